package io.steadfast.handlers.failover;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.steadfast.handlers.ip.Icmp;
import io.steadfast.handlers.stage.CountingStage;
import java.util.Map;

/**
 * Stage {@code probe-injector} (client, outbound, before {@code esp-encrypt} and after {@code ipip-encap}):
 * puts an ICMP echo request V -> P into the pipeline when the failover controller asks, so that it goes
 * through the active gateway's SA unwrapped. P's reply comes back to V through the same gateway and is
 * taken out by {@code inbound-monitor}. Passes every other packet on untouched.
 *
 * <pre>{@code
 * tun.pipeline().addLast("probe-injector", new ProbeInjectorHandler(probeTarget, identifier))
 *               .addLast("esp-encrypt", encrypt);
 * }</pre>
 */
public final class ProbeInjectorHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    /** Room kept before and after a probe for the ESP header and trailer, as the TUN channel keeps it. */
    static final int SPARE_ROOM = 64;
    /** Bytes of data in a probe: small, and enough to tell it from an empty echo in a capture. */
    static final int DATA_LENGTH = 16;

    private final int probeTarget;
    private final int identifier;
    private ChannelHandlerContext ctx;
    private long sent;

    /** @param identifier the ICMP identifier that marks our probes (and their replies) */
    public ProbeInjectorHandler(int probeTarget, int identifier) {
        this.probeTarget = probeTarget;
        this.identifier = identifier;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Sends probe {@code sequence} from {@code source} to the probe target, now. Call on the event loop. */
    public void probe(int source, int sequence) {
        if (ctx == null || !ctx.channel().isActive()) return;
        ByteBuf packet = ctx.alloc().directBuffer(SPARE_ROOM + 28 + DATA_LENGTH + SPARE_ROOM);
        packet.writerIndex(SPARE_ROOM).readerIndex(SPARE_ROOM);
        Icmp.writeEchoRequest(packet, source, probeTarget, identifier, sequence, DATA_LENGTH);
        sent++;
        ctx.fireChannelRead(packet);
        ctx.fireChannelReadComplete();
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("probes", sent);
    }
}
