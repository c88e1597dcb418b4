package io.steadfast.handlers.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.RateLimitedLog;
import io.steadfast.relay.Relay;
import io.steadfast.relay.RelayClient;
import io.steadfast.relay.RelayDropReason;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code ipip-decap} (client, inbound): everything that comes from the relay. IP-in-IP from R to
 * S is unwrapped in place and goes on to the applications; binding acknowledgements (UDP from R:4505)
 * are handed to the relay client and consumed; IP-in-IP that is not from R or not for S is dropped and
 * counted. Other packets pass untouched.
 *
 * <pre>{@code
 * udp.pipeline().addLast("udp-recv", ...).addLast("esp-decrypt", ...)
 *               .addLast("ipip-decap", new IpipDecapHandler(relayClient)).addLast("tun-write", ...);
 * }</pre>
 */
public final class IpipDecapHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    private static final Logger LOG = LoggerFactory.getLogger(IpipDecapHandler.class);

    private final RelayClient client;
    private final long[] drops = new long[RelayDropReason.values().length];
    private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private long unwrapped;
    private long acks;
    private long acksRefused;

    public IpipDecapHandler(RelayClient client) {
        this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf packet) || packet.readableBytes() < Ipv4.MIN_HEADER_LENGTH || Ipv4.version(packet) != 4) {
            ctx.fireChannelRead(msg);
            return;
        }
        int protocol = Ipv4.protocol(packet);
        if (protocol == Ipv4.PROTOCOL_IPIP) {
            RelayDropReason refused = client.fromRelay(packet);
            if (refused != null) {
                drops[refused.ordinal()]++;
                dropLog.warn("{}: dropped IP-in-IP from {}: {}", ctx.name(), Ipv4.toString(Ipv4.source(packet)), refused);
                packet.release();
                return;
            }
            unwrapped++;
            ctx.fireChannelRead(packet);
        } else if (protocol == Ipv4.PROTOCOL_UDP && Ipv4.source(packet) == client.relayAddress()
                && isFromRelayPort(packet)) {
            if (client.handleAckPacket(packet)) {
                acks++;
            } else {
                acksRefused++;
                dropLog.warn("{}: binding ack not taken: {}", ctx.name(), client.lastAckDrop());
            }
            packet.release();
        } else {
            ctx.fireChannelRead(packet);
        }
    }

    private static boolean isFromRelayPort(ByteBuf packet) {
        int udp = packet.readerIndex() + Ipv4.headerLength(packet);
        return packet.readableBytes() >= Ipv4.headerLength(packet) + 8 && packet.getUnsignedShort(udp) == Relay.DEFAULT_PORT;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("unwrapped", unwrapped);
        c.put("acks", acks);
        c.put("acks.refused", acksRefused);
        for (RelayDropReason r : RelayDropReason.values()) {
            if (drops[r.ordinal()] > 0) c.put(r.counterName(), drops[r.ordinal()]);
        }
        return c;
    }
}
