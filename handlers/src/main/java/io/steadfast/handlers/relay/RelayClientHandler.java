package io.steadfast.handlers.relay;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.steadfast.handlers.event.TunnelChanged;
import io.steadfast.handlers.stage.ControllableStage;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.DeadlineTimer;
import io.steadfast.relay.Ipv4;
import io.steadfast.relay.RelayClient;
import io.steadfast.relay.UpdateToSend;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Stage {@code relay-client} (client, outbound, after {@code ipip-encap}, before {@code esp-encrypt}):
 * keeps the relay's binding S -> V current. On start and on every {@link TunnelChanged} it sends an
 * authenticated binding update (UDP V -> R:4505) into the tunnel, retransmits it with backoff until
 * {@code ipip-decap} hands over the relay's acknowledgement, and refreshes it before its lifetime ends.
 * The protocol logic is {@link RelayClient}'s; this stage only schedules and injects.
 *
 * <p>Takes {@code care-of A.B.C.D} through the control socket: a tunnel change by hand, for experiments.
 *
 * <pre>{@code
 * tun.pipeline().addLast("ipip-encap", new IpipEncapHandler(client))
 *               .addLast("relay-client", new RelayClientHandler(client, System::nanoTime))
 *               .addLast("esp-encrypt", ...);
 * }</pre>
 */
public final class RelayClientHandler extends ChannelInboundHandlerAdapter implements CountingStage, ControllableStage {
    private final RelayClient client;
    private final LongSupplier clock;
    private ChannelHandlerContext ctx;
    private final DeadlineTimer timer;
    private long injected;

    /** @param clock the same monotonic clock {@code client} was made with */
    public RelayClientHandler(RelayClient client, LongSupplier clock) {
        this.client = client;
        this.clock = clock;
        this.timer = new DeadlineTimer(clock, this::sendDue);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) reschedule();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        reschedule();
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timer.cancel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof TunnelChanged changed) {
            client.tunnelChanged(changed.careOf(), clock.getAsLong());
            sendDue();
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Sends what is due now and sets the timer for the next deadline. */
    private void sendDue() {
        UpdateToSend update = client.pollUpdate(clock.getAsLong());
        if (update != null) {
            injected++;
            ctx.fireChannelRead(Packets.withRoom(ctx.alloc(), update.packet()));
            ctx.fireChannelReadComplete();
        }
        reschedule();
    }

    private void reschedule() {
        timer.at(ctx.executor(), client.nextDeadline());
    }

    @Override
    public String control(String command) {
        String[] words = command.strip().split("\\s+");
        if (words.length == 2 && words[0].equals("care-of")) {
            int careOf = parse(words[1]);
            ctx.pipeline().fireUserEventTriggered(new TunnelChanged(careOf));
            return "relay-client: care-of " + Ipv4.format(careOf) + ", binding update " + client.outstandingSequence() + " sent";
        }
        if (words.length == 1 && words[0].equals("status")) {
            return "relay-client: care-of " + Ipv4.format(client.careOf()) + ", acknowledged " + Ipv4.format(client.acknowledgedCareOf())
                    + (client.hasOutstanding() ? ", update " + client.outstandingSequence() + " outstanding" : "");
        }
        throw new IllegalArgumentException("relay-client takes: care-of A.B.C.D | status");
    }

    private static int parse(String dotted) {
        String[] parts = dotted.split("\\.");
        if (parts.length != 4) throw new IllegalArgumentException("\"" + dotted + "\" is not an IPv4 address");
        int a = 0;
        for (String p : parts) {
            int v;
            try {
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + dotted + "\" is not an IPv4 address");
            }
            if (v < 0 || v > 255) throw new IllegalArgumentException("\"" + dotted + "\" is not an IPv4 address");
            a = (a << 8) | v;
        }
        if (a == 0) throw new IllegalArgumentException("0.0.0.0 is no care-of address");
        return a;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("updates", client.updatesSent());
        c.put("retransmits", client.retransmits());
        c.put("acks", client.acksAccepted());
        c.put("bound", client.isBound() ? 1L : 0L);
        c.put("injected", injected);
        return c;
    }
}
