package io.steadfast.handlers.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.relay.IpIp;
import io.steadfast.relay.RelayClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stage {@code ipip-encap} (client, outbound): wraps every packet the applications send from the stable
 * address S in IP-in-IP (RFC 2003) from the tunnel's current address V to the relay R, in place in the
 * room before the packet. Packets from another source, and everything before V is known, are dropped and
 * counted: the relay would refuse them anyway.
 *
 * <pre>{@code
 * tun.pipeline().addLast("tun-read", ...).addLast("ipip-encap", new IpipEncapHandler(relayClient))
 *               .addLast("relay-client", ...).addLast("esp-encrypt", ...);
 * }</pre>
 */
public final class IpipEncapHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    private final RelayClient client;
    private long wrapped;
    private long copies;
    private long noCareOf;
    private long notFromStable;

    public IpipEncapHandler(RelayClient client) {
        this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf packet) || Ipv4.version(packet) != 4) {
            ctx.fireChannelRead(msg); // IPv6 and events pass as they are
            return;
        }
        int careOf = client.careOf();
        if (careOf == 0) {
            noCareOf++;
            packet.release();
            return;
        }
        if (Ipv4.source(packet) != client.stableAddress()) {
            notFromStable++;
            packet.release();
            return;
        }
        if (!IpIp.encapsulate(packet, careOf, client.relayAddress())) {
            copies++;
            packet = Packets.copyWithRoom(ctx.alloc(), packet);
            IpIp.encapsulate(packet, careOf, client.relayAddress());
        }
        wrapped++;
        ctx.fireChannelRead(packet);
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("wrapped", wrapped);
        c.put("copies", copies);
        c.put("dropped.no-care-of", noCareOf);
        c.put("dropped.not-from-stable", notFromStable);
        return c;
    }
}
