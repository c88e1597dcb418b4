package io.steadfast.handlers.failover;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.steadfast.handlers.esp.EspDecryptHandler;
import io.steadfast.handlers.ip.Icmp;
import io.steadfast.handlers.stage.CountingStage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Stage {@code inbound-monitor} (client, inbound, right after {@code esp-decrypt}): watches the time of the
 * last packet that decrypted and passed anti-replay on each gateway's inbound SA, and on a timer (a
 * quarter of the probe interval) hands them to the {@link FailoverController}, which probes or switches, as
 * Netty's {@code IdleStateHandler} turns inbound idleness into events. It also takes the answers to our
 * probes (ICMP echo replies from the probe target with our identifier) out of the stream: they are counted
 * and never reach the OS.
 *
 * <pre>{@code
 * udp.pipeline().addLast("esp-decrypt", decrypt).addLast("inbound-monitor",
 *         new InboundMonitorHandler(controller, probeTarget, identifier, System::nanoTime));
 * }</pre>
 */
public final class InboundMonitorHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    private final FailoverController controller;
    private final int probeTarget;
    private final int identifier;
    private final LongSupplier clock;
    private EspDecryptHandler decrypt;
    private ScheduledFuture<?> timer;
    private long replies;

    /** @param clock the clock {@code esp-decrypt} stamps packets with ({@link System#nanoTime()}) */
    public InboundMonitorHandler(FailoverController controller, int probeTarget, int identifier, LongSupplier clock) {
        this.controller = controller;
        this.probeTarget = probeTarget;
        this.identifier = identifier;
        this.clock = clock;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        decrypt = ctx.pipeline().get(EspDecryptHandler.class);
        if (decrypt == null) throw new IllegalStateException("inbound-monitor needs esp-decrypt in the same pipeline");
        for (Gateway g : controller.gateways()) {
            if (!g.inboundSa().endsWith("*") && !decrypt.has(g.inboundSa())) {
                throw new IllegalStateException("gateway " + g.name() + ": esp-decrypt has no inbound SA named " + g.inboundSa());
            }
        }
        if (ctx.channel().isActive()) startTimer(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startTimer(ctx);
        ctx.fireChannelActive();
    }

    private void startTimer(ChannelHandlerContext ctx) {
        if (timer != null) return;
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(5), controller.settings().probeInterval().toNanos() / 4);
        timer = ctx.executor().scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) timer.cancel(false);
    }

    /** Feeds the controller the active gateway's last valid inbound time. Runs on the timer. */
    void tick() {
        controller.tick(clock.getAsLong(), i -> decrypt.lastInboundNanos(controller.gateways().get(i).inboundSa()));
    }

    /** When the last valid packet arrived through the active gateway, 0 if none yet. */
    public long lastInbound() {
        return decrypt.lastInboundNanos(controller.active().inboundSa());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf packet && Icmp.echoReplySequence(packet, probeTarget, identifier) >= 0) {
            replies++;
            packet.release();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("probe.replies", replies);
        long last = decrypt == null ? 0 : lastInbound();
        c.put("idle.ms", last == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(clock.getAsLong() - last));
        return c;
    }
}
