package io.steadfast.handlers.failover;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which gateway carries the traffic, when to probe it and when to leave it (the paper's sections 3.2.2 and
 * 4.1). Plain logic on one thread: the {@code inbound-monitor} stage calls {@link #tick} periodically with
 * the time of the last packet that arrived valid through the active gateway; the controller answers through
 * {@link Actions}: probe the active gateway when inbound has been idle for the probe interval, switch to the
 * next gateway when it has been idle for the detection period F.
 *
 * <p>The next gateway is the first after the active one, in profile order, that has not been declared dead
 * within the hold-down. If every gateway is dead, it tries them in turn anyway, each for F plus a backoff
 * that doubles up to a cap, and stays as soon as one answers. With an allowed outage A instead of F, F is
 * A - C, C being the switch time measured at the last switch (the decision to the first valid inbound packet).
 *
 * <pre>{@code
 * FailoverController c = new FailoverController(List.of(gwA, gwB), FailoverSettings.defaults(), System.nanoTime());
 * c.actions(new FailoverController.Actions() { ... });
 * // every probe interval / 4:
 * c.tick(System.nanoTime(), lastValidInboundThroughActive);
 * }</pre>
 */
public final class FailoverController {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverController.class);
    private static final int HISTORY = 16;

    /** What the controller asks the data path to do. Called from {@link #tick} and the manual commands. */
    public interface Actions {
        /** Sends probe number {@code sequence} through {@code via}. */
        void probe(Gateway via, int sequence);

        /** Makes {@code to} carry the traffic from now on (swap the outbound SA, announce its V). */
        void switchTo(Gateway from, Gateway to);
    }

    private final List<Gateway> gateways;
    private final FailoverSettings settings;
    private final long[] deadSince;
    private final Deque<Failover> history = new ArrayDeque<>();
    private Actions actions;
    private int active;
    private long activeSince;
    private long lastProbe;
    private int probeSequence;
    private long switchDecided;          // 0: not waiting for the first inbound through a new gateway
    private long switchNanos = -1;       // C, last measured
    private long retryBackoff;           // extra grace while every gateway is dead
    private boolean started;
    private long lastInboundSeen;
    private long probes;
    private long failures;
    private long switches;

    /** The first gateway is active; nothing is timed until {@link #start}. */
    public FailoverController(List<Gateway> gateways, FailoverSettings settings, long now) {
        if (gateways.isEmpty()) throw new IllegalArgumentException("no gateways");
        String problem = settings.problem();
        if (problem != null) throw new IllegalArgumentException(problem);
        this.gateways = List.copyOf(gateways);
        this.settings = settings;
        this.deadSince = new long[gateways.size()];
        this.activeSince = now;
        this.lastProbe = now - settings.probeInterval().toNanos();
    }

    /**
     * Starts timing at {@code now}: the data path is up (the first probe may go now). Ticks before are
     * ignored, so a slow start-up (addresses and routes being set) is no silence.
     */
    public void start(long now) {
        if (started) return;
        started = true;
        activeSince = now;
        lastProbe = now - settings.probeInterval().toNanos();
    }

    public boolean started() {
        return started;
    }

    /** Where probes and switches go; until set, the controller only watches. */
    public void actions(Actions actions) {
        this.actions = actions;
    }

    public List<Gateway> gateways() {
        return gateways;
    }

    public Gateway active() {
        return gateways.get(active);
    }

    public FailoverSettings settings() {
        return settings;
    }

    /** F now, in nanoseconds. */
    public long detectionNanos() {
        return settings.detectionNanos(switchNanos >= 0 ? switchNanos : settings.switchEstimate().toNanos());
    }

    /**
     * Advances the controller to {@code now}.
     *
     * @param lastInbound when the last valid packet arrived through the active gateway (0 if none ever)
     */
    public void tick(long now, long lastInbound) {
        if (!started) return;
        lastInboundSeen = lastInbound;
        if (switchDecided != 0 && lastInbound != 0 && lastInbound - switchDecided >= 0) {
            switchNanos = lastInbound - switchDecided;
            switchDecided = 0;
            retryBackoff = 0;
            deadSince[active] = 0;
            Failover last = history.pollLast();
            if (last != null) history.addLast(last.completed(switchNanos));
            LOG.info("failover: {} answers, switch took {} ms; F is now {} ms", active().name(), ms(switchNanos), ms(detectionNanos()));
        }
        long since = lastInbound != 0 && lastInbound - activeSince > 0 ? lastInbound : activeSince;
        long idle = now - since;
        if (idle >= detectionNanos() + retryBackoff) {
            fail(now, "no inbound for " + ms(idle) + " ms");
        } else if (idle >= settings.probeInterval().toNanos() && now - lastProbe >= settings.probeInterval().toNanos()) {
            probe(now);
        }
    }

    /** Declares the active gateway dead by hand (the control socket's {@code fail}) and switches. */
    public void failActive(long now) {
        fail(now, "declared dead by command");
    }

    /** Switches to the gateway named {@code name} by hand. */
    public Gateway use(String name, long now) {
        for (int i = 0; i < gateways.size(); i++) {
            if (gateways.get(i).name().equals(name)) {
                if (i != active) switchTo(i, now, "by command");
                return gateways.get(i);
            }
        }
        throw new IllegalArgumentException("no gateway named \"" + name + "\"; there are "
                + String.join(", ", gateways.stream().map(Gateway::name).toList()));
    }

    private void fail(long now, String reason) {
        failures++;
        deadSince[active] = now;
        int next = nextAlive(now);
        if (next < 0) {
            // Everyone is dead: try the next in turn anyway, giving each a little longer.
            next = (active + 1) % gateways.size();
            long cap = settings.maxRetryBackoff().toNanos();
            retryBackoff = retryBackoff == 0 ? settings.probeInterval().toNanos() : Math.min(cap, retryBackoff * 2);
            reason += "; every gateway is dead, trying " + gateways.get(next).name() + " for " + ms(detectionNanos() + retryBackoff) + " ms";
        }
        LOG.warn("failover: gateway {} is dead ({})", active().name(), reason);
        if (next == active) {
            // A single gateway: nothing to switch to; keep probing it.
            activeSince = now;
            probe(now);
            return;
        }
        switchTo(next, now, reason);
    }

    private int nextAlive(long now) {
        long holdDown = settings.holdDown().toNanos();
        for (int step = 1; step < gateways.size(); step++) {
            int i = (active + step) % gateways.size();
            if (deadSince[i] == 0 || now - deadSince[i] >= holdDown) return i;
        }
        return -1;
    }

    private void switchTo(int next, long now, String reason) {
        Gateway from = active();
        active = next;
        activeSince = now;
        switchDecided = now == 0 ? 1 : now;
        switches++;
        if (history.size() == HISTORY) history.removeFirst();
        history.addLast(new Failover(from.name(), active().name(), reason, now, -1));
        LOG.warn("failover: switching {} -> {}", from.name(), active().name());
        if (actions != null) actions.switchTo(from, active());
        probe(now); // at once: the new gateway's answer measures C and confirms it
    }

    private void probe(long now) {
        lastProbe = now;
        probes++;
        probeSequence = (probeSequence + 1) & 0xffff;
        if (actions != null) actions.probe(active(), probeSequence);
    }

    public long probes() {
        return probes;
    }

    public long failures() {
        return failures;
    }

    public long switches() {
        return switches;
    }

    /** The switches so far, oldest first (at most the last 16). */
    public List<Failover> history() {
        return new ArrayList<>(history);
    }

    /** Lines for {@code steadfast status}: the gateways, the last inbound, F, the last switches. */
    public String describe(long now) {
        long lastInbound = lastInboundSeen;
        StringBuilder b = new StringBuilder();
        b.append("failover: active ").append(active().name()).append(", last inbound ")
                .append(lastInbound == 0 ? "never" : ms(now - lastInbound) + " ms ago")
                .append(", probe every ").append(settings.probeInterval().toMillis()).append(" ms, F ").append(ms(detectionNanos())).append(" ms")
                .append(settings.allowedOutage() != null ? " (A " + settings.allowedOutage().toMillis() + " ms - C)" : "")
                .append('\n');
        for (int i = 0; i < gateways.size(); i++) {
            Gateway g = gateways.get(i);
            b.append("  gateway ").append(g.name()).append(i == active ? " (active)" : "")
                    .append(deadSince[i] != 0 ? ", declared dead " + ms(now - deadSince[i]) + " ms ago" : "").append('\n');
        }
        for (Failover f : history) b.append("  switched ").append(f).append(", ").append(ms(now - f.decidedNanos())).append(" ms ago\n");
        return b.toString();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f", nanos / 1e6);
    }
}
