package io.steadfast.handlers.basic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.steadfast.handlers.ip.Icmp;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.stage.CountingStage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stage {@code icmp-echo}: answers ICMP echo requests in place. Each IPv4 echo request becomes its echo
 * reply (addresses swapped, checksums fixed) and travels on to the next stage, typically
 * {@code tun-write}, which hands it back to the kernel; every other packet passes on untouched.
 * Expects well-formed IPv4, so put it after {@code tun-read}.
 *
 * <pre>{@code
 * pipeline.addLast("tun-read", new TunReadHandler(Ipv6Policy.DROP))
 *         .addLast("icmp-echo", new IcmpEchoHandler())
 *         .addLast("tun-write", new TunWriteHandler(() -> tun));
 * }</pre>
 */
public final class IcmpEchoHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    private long answered;
    private long passed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf packet && Ipv4.version(packet) == 4 && Icmp.isEchoRequest(packet)) {
            Icmp.turnIntoEchoReply(packet);
            answered++;
        } else {
            passed++;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("answered", answered);
        c.put("passed", passed);
        return c;
    }
}
