package io.steadfast.handlers.basic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.RateLimitedLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code tun-read}: the first stage after the TUN device. Passes well-formed IPv4 packets on,
 * counts IPv6 packets and forwards or drops them by policy, and drops (and counts) anything malformed,
 * so that later stages may trust the IPv4 header.
 *
 * <pre>{@code
 * tunChannel.pipeline().addLast("tun-read", new TunReadHandler(Ipv6Policy.DROP));
 * }</pre>
 */
public final class TunReadHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    private static final Logger LOG = LoggerFactory.getLogger(TunReadHandler.class);

    /** What to do with IPv6 packets until the data path speaks IPv6. */
    public enum Ipv6Policy { FORWARD, DROP }

    private final Ipv6Policy ipv6Policy;
    private final RateLimitedLog malformedLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private long ipv4;
    private long ipv6;
    private long ipv6Dropped;
    private long malformed;

    public TunReadHandler(Ipv6Policy ipv6Policy) {
        this.ipv6Policy = ipv6Policy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int version = Ipv4.version(packet);
        if (version == 6) {
            ipv6++;
            if (ipv6Policy == Ipv6Policy.FORWARD) {
                ctx.fireChannelRead(packet);
            } else {
                ipv6Dropped++;
                packet.release();
            }
            return;
        }
        String problem = Ipv4.malformation(packet);
        if (problem != null) {
            malformed++;
            malformedLog.warn("{}: dropped a packet of {} bytes: {}", ctx.name(), packet.readableBytes(), problem);
            packet.release();
            return;
        }
        ipv4++;
        ctx.fireChannelRead(packet);
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("ipv4", ipv4);
        c.put("ipv6", ipv6);
        c.put("dropped.ipv6", ipv6Dropped);
        c.put("dropped.malformed", malformed);
        return c;
    }
}
