package io.steadfast.handlers.failover;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.steadfast.handlers.esp.EspEncryptHandler;
import io.steadfast.handlers.stage.ControllableStage;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.DescribedStage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Stage {@code failover-controller} (client, outbound, with {@code probe-injector} and {@code esp-encrypt}
 * in the same pipeline): carries out what the {@link FailoverController} decides. A switch makes
 * {@code esp-encrypt} use the new gateway's SA (which announces the new V to {@code relay-client}); a
 * probe goes out through {@code probe-injector}. The pipeline stays as it is: only the SA in use changes.
 *
 * <p>Takes {@code status}, {@code use GATEWAY} and {@code fail} (declare the active gateway dead) through
 * the control socket.
 *
 * <pre>{@code
 * tun.pipeline().addLast("probe-injector", injector)
 *               .addLast("failover-controller", new FailoverHandler(controller, System::nanoTime))
 *               .addLast("esp-encrypt", encrypt);
 * }</pre>
 */
public final class FailoverHandler extends ChannelInboundHandlerAdapter implements CountingStage, ControllableStage, DescribedStage {
    private final FailoverController controller;
    private final LongSupplier clock;
    private final java.util.function.Supplier<io.netty.channel.Channel> udp;
    private ChannelHandlerContext ctx;

    public FailoverHandler(FailoverController controller, LongSupplier clock) {
        this(controller, clock, () -> null);
    }

    /** @param udp the UDP channel, told with {@link io.steadfast.handlers.event.GatewayWanted} of a gateway whose SA is missing */
    public FailoverHandler(FailoverController controller, LongSupplier clock, java.util.function.Supplier<io.netty.channel.Channel> udp) {
        this.controller = controller;
        this.clock = clock;
        this.udp = udp;
    }

    /** Prefers {@code name}'s SA; if it is not there yet, asks the UDP pipeline (the ike stage) for it. */
    private boolean want(String name) {
        if (encrypt().prefer(name)) return true;
        io.netty.channel.Channel u = udp.get();
        if (u != null) u.pipeline().fireUserEventTriggered(new io.steadfast.handlers.event.GatewayWanted(name));
        return false;
    }

    /** Takes the controller's actions; the stages it acts through are looked up when used (they may be added later). */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // Added to a running pipeline: start once the stages after this one are there too.
        if (ctx.channel().isActive()) ctx.executor().execute(this::startIfReady);
        controller.actions(new FailoverController.Actions() {
            @Override
            public boolean probe(Gateway via, int sequence) {
                ProbeInjectorHandler injector = ctx.pipeline().get(ProbeInjectorHandler.class);
                EspEncryptHandler encrypt = encrypt();
                if (injector == null || !encrypt.has(via.outboundSa())) return false;
                // An IKE gateway's V is the virtual IP it assigned: known once its SA is up.
                int source = via.probeSource() != 0 ? via.probeSource() : encrypt.careOf(via.outboundSa());
                if (source == 0) return false;
                injector.probe(source, sequence);
                return true;
            }

            @Override
            public void switchTo(Gateway from, Gateway to) {
                want(to.outboundSa());
            }
        });
    }

    /**
     * Makes esp-encrypt use the active gateway's SA from the start and starts the controller's clock; if that
     * SA is not there yet (IKE is still negotiating it), both happen when it arrives.
     */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startIfReady();
        ctx.fireChannelActive();
    }

    private void startIfReady() {
        if (want(controller.active().outboundSa())) controller.start(clock.getAsLong());
    }

    /** The preferred SA arrived (esp-encrypt announces its care-of): from now on silence counts. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.steadfast.handlers.event.TunnelChanged && !controller.started()) controller.start(clock.getAsLong());
        ctx.fireUserEventTriggered(evt);
    }

    private EspEncryptHandler encrypt() {
        EspEncryptHandler encrypt = ctx.pipeline().get(EspEncryptHandler.class);
        if (encrypt == null) throw new IllegalStateException("failover-controller needs esp-encrypt in its pipeline");
        return encrypt;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        controller.actions(null);
    }

    @Override
    public String control(String command) {
        String[] words = command.strip().split("\\s+");
        long now = clock.getAsLong();
        if (words.length == 1 && words[0].equals("status")) return controller.describe(now).strip();
        if (words.length == 1 && words[0].equals("fail")) {
            String was = controller.active().name();
            controller.failActive(now);
            return "failover-controller: " + was + " declared dead, now using " + controller.active().name();
        }
        if (words.length == 2 && words[0].equals("use")) {
            return "failover-controller: now using " + controller.use(words[1], now).name();
        }
        throw new IllegalArgumentException("failover-controller takes: status | use GATEWAY | fail");
    }

    @Override
    public String describe() {
        return controller.describe(clock.getAsLong());
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("switches", controller.switches());
        c.put("failures", controller.failures());
        c.put("probes", controller.probes());
        Failover last = controller.history().isEmpty() ? null : controller.history().getLast();
        c.put("last-switch.ms", last == null || last.switchNanos() < 0 ? -1 : last.switchNanos() / 1_000_000);
        return c;
    }
}
