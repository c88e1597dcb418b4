package io.steadfast.handlers.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.RateLimitedLog;
import io.steadfast.relay.BindingSnapshot;
import io.steadfast.relay.IpIp;

import io.steadfast.relay.RelayDropReason;
import io.steadfast.relay.RelayServer;
import io.steadfast.relay.UpdateResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code relay-server} (relay, on the cloud-side TUN, between {@code tun-read} and {@code tun-write}).
 * The cloud routes R and the stable prefixes into the relay's TUN, so every packet here is one of:
 * <ul>
 *   <li>IP-in-IP V -> R from a client: checked against the binding (inner source S bound, outer source its
 *       V), unwrapped in place and passed on into the cloud;</li>
 *   <li>a binding update (UDP to R:4505): verified by {@link RelayServer}; the acknowledgement R -> V goes
 *       on into the cloud, which routes V to the client's gateway;</li>
 *   <li>a packet for a stable address S: wrapped R -> V of S's binding, in place, and passed on;</li>
 *   <li>anything else: dropped and counted by reason.</li>
 * </ul>
 * Bindings expire once a second. The protocol logic is {@link RelayServer}'s.
 *
 * <pre>{@code
 * tun.pipeline().addLast("tun-read", ...).addLast("relay-server", new RelayServerHandler(server, System::nanoTime))
 *               .addLast("tun-write", ...);
 * }</pre>
 */
public final class RelayServerHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    private static final Logger LOG = LoggerFactory.getLogger(RelayServerHandler.class);

    private final RelayServer server;
    private final LongSupplier clock;
    private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private ScheduledFuture<?> expiry;
    private long copies;
    private long notServed;
    private long noBinding;
    private long otherProtocol;

    public RelayServerHandler(RelayServer server, LongSupplier clock) {
        this.server = server;
        this.clock = clock;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        expiry = ctx.executor().scheduleAtFixedRate(() -> server.expire(clock.getAsLong()), 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (expiry != null) expiry.cancel(false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf packet) || packet.readableBytes() < Ipv4.MIN_HEADER_LENGTH || Ipv4.version(packet) != 4) {
            ctx.fireChannelRead(msg);
            return;
        }
        int destination = Ipv4.destination(packet);
        if (destination == server.relayAddress()) {
            toRelay(ctx, packet);
        } else if (server.serves(destination)) {
            toClient(ctx, packet, destination);
        } else {
            notServed++;
            dropLog.warn("{}: dropped a packet for {}, neither R nor a served stable address", ctx.name(), Ipv4.toString(destination));
            packet.release();
        }
    }

    private void toRelay(ChannelHandlerContext ctx, ByteBuf packet) {
        int protocol = Ipv4.protocol(packet);
        if (protocol == Ipv4.PROTOCOL_IPIP) {
            RelayDropReason refused = server.fromClient(packet); // counts its own refusals
            if (refused != null) {
                drop(ctx, packet, refused);
                return;
            }
            ctx.fireChannelRead(packet);
        } else if (protocol == Ipv4.PROTOCOL_UDP) {
            UpdateResult result = server.handleUpdatePacket(packet, clock.getAsLong()); // counts its own refusals
            packet.release();
            if (result.ackPacket() != null) {
                ctx.fireChannelRead(Packets.withRoom(ctx.alloc(), result.ackPacket()));
            }
        } else {
            otherProtocol++;
            drop(ctx, packet, RelayDropReason.NOT_IPIP);
        }
    }

    private void toClient(ChannelHandlerContext ctx, ByteBuf packet, int destination) {
        int careOf = server.careOfFor(destination);
        if (careOf == 0) {
            noBinding++;
            drop(ctx, packet, RelayDropReason.NO_BINDING);
            return;
        }
        if (!IpIp.encapsulate(packet, server.relayAddress(), careOf)) {
            copies++;
            packet = Packets.copyWithRoom(ctx.alloc(), packet);
            IpIp.encapsulate(packet, server.relayAddress(), careOf);
        }
        ctx.fireChannelRead(packet);
    }

    private void drop(ChannelHandlerContext ctx, ByteBuf packet, RelayDropReason reason) {
        dropLog.warn("{}: dropped a packet from {}: {}", ctx.name(), Ipv4.toString(Ipv4.source(packet)), reason);
        packet.release();
    }

    /** The bindings, for {@code steadfast status}. */
    public List<BindingSnapshot> bindings() {
        return server.snapshot();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        server.counters().forEach((k, v) -> {
            if (!k.startsWith("dropped.") || v > 0) c.put(k, v);
        });
        c.put("copies", copies);
        c.put("dropped.not-served", notServed);
        c.put("dropped.no-binding", noBinding);
        c.put("dropped.other-protocol", otherProtocol);
        return c;
    }

}
