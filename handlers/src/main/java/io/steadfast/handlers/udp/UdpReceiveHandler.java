package io.steadfast.handlers.udp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.steadfast.esp.EspInUdp;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.RateLimitedLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code udp-recv}: the first stage of the UDP 4500 pipeline. Sorts each datagram (RFC 3948): ESP
 * goes on as the {@link DatagramPacket} (the sender is needed later), NAT keepalives are counted and
 * dropped, IKE messages (non-ESP marker) go on to the {@link IkeSink} of the pipeline (stage {@code ike}) or,
 * without one, are counted and dropped; anything else is garbage: counted, dropped, logged at most once per
 * interval.
 *
 * <pre>{@code
 * udpChannel.pipeline().addLast("udp-recv", new UdpReceiveHandler())
 *                      .addLast("esp-decrypt", decrypt)
 *                      .addLast("tun-write", new TunWriteHandler(() -> tun));
 * }</pre>
 */
public final class UdpReceiveHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    private static final Logger LOG = LoggerFactory.getLogger(UdpReceiveHandler.class);

    private final RateLimitedLog garbageLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private long esp;
    private long bytes;
    private long keepalives;
    private long ike;
    private long ikeDropped;
    private long invalid;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket datagram)) {
            ctx.fireChannelRead(msg);
            return;
        }
        switch (EspInUdp.classify(datagram.content())) {
            case ESP -> {
                esp++;
                bytes += datagram.content().readableBytes();
                ctx.fireChannelRead(datagram);
            }
            case NAT_KEEPALIVE -> {
                keepalives++;
                datagram.release();
            }
            case IKE -> {
                if (ctx.pipeline().get(IkeSink.class) != null) {
                    ike++;
                    ctx.fireChannelRead(datagram);
                } else {
                    ikeDropped++;
                    datagram.release();
                }
            }
            default -> {
                invalid++;
                garbageLog.warn("{}: dropped {} bytes of garbage from {}", ctx.name(),
                        datagram.content().readableBytes(), datagram.sender());
                ReferenceCountUtil.release(datagram);
            }
        }
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("esp", esp);
        c.put("bytes", bytes);
        c.put("keepalives", keepalives);
        c.put("ike", ike);
        c.put("dropped.ike", ikeDropped);
        c.put("dropped.invalid", invalid);
        return c;
    }
}
