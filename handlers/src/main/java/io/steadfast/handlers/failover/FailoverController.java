package io.steadfast.handlers.failover;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which gateway carries the traffic, when to probe and when to leave it (the paper's sections 3.2.2 and
 * 4.1). Plain logic on one thread: the {@code inbound-monitor} stage calls {@link #tick} periodically with
 * the time of the last valid packet through each gateway; the controller answers through {@link Actions}.
 *
 * <ul>
 *   <li>The active gateway is probed when its inbound has been idle for the probe interval, and declared
 *       dead when it has been idle for the detection period F; then the next gateway in profile order that
 *       is not dead takes over at once.
 *   <li>The other gateways are standbys: each is probed every probe interval, so the controller knows which
 *       are alive before it needs one (with static SAs every standby is hot). A standby idle for F is dead;
 *       its next answer makes it alive again.
 *   <li>A gateway declared dead is not chosen again within the hold-down unless it is the only one alive:
 *       a flapping link cannot make the client oscillate.
 *   <li>If every gateway is dead the client stays where it is, probing all, and moves to the first that
 *       answers, within one probe interval of its return.
 *   <li>Failback (optional): once the preferred (first) gateway has answered for the failback time without
 *       a break, traffic goes back to it; the one it leaves stays up, so nothing is lost on the way.
 *   <li>A gateway that cannot be probed yet (its SA is not up: cold standby) is not judged by its silence: a
 *       standby stays a candidate, and a newly active one gets up to ten times F for its SA to come up.
 *   <li>With an allowed outage A instead of F, F is A - C, C the switch time measured at the last switch
 *       (from the decision to the first valid inbound through the new gateway).
 * </ul>
 *
 * <pre>{@code
 * FailoverController c = new FailoverController(List.of(gwA, gwB), FailoverSettings.defaults(), System.nanoTime());
 * c.actions(actions);
 * c.start(System.nanoTime());
 * // every probe interval / 4:
 * c.tick(System.nanoTime(), gateway -> lastValidInboundThrough(gateway));
 * }</pre>
 */
public final class FailoverController {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverController.class);
    private static final int HISTORY = 16;

    /** What the controller asks the data path to do. Called from {@link #tick} and the manual commands. */
    public interface Actions {
        /**
         * Sends probe number {@code sequence} through {@code via}; false if it cannot be sent yet (the gateway's
         * SA is not up: cold standby, IKE still negotiating). Silence does not count against such a gateway.
         */
        boolean probe(Gateway via, int sequence);

        /** Makes {@code to} carry the traffic from now on (swap the outbound SA, announce its V). */
        void switchTo(Gateway from, Gateway to);
    }

    private final List<Gateway> gateways;
    private final FailoverSettings settings;
    private final long[] deadSince;      // 0: not known dead
    private final long[] aliveSince;     // first answer after the last silence; 0: not answering
    private final long[] watchedSince;   // when silence started to count for this gateway
    private final long[] lastProbe;
    private final long[] unprobeableSince; // 0: the last probe could be sent
    private final Deque<Failover> history = new ArrayDeque<>();
    private Actions actions;
    private boolean started;
    private int active;
    private int probeSequence;
    private long switchDecided;          // 0: not waiting for the first inbound through a new gateway
    private long switchNanos = -1;       // C, last measured
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
        int n = gateways.size();
        this.deadSince = new long[n];
        this.aliveSince = new long[n];
        this.watchedSince = new long[n];
        this.lastProbe = new long[n];
        this.unprobeableSince = new long[n];
    }

    /**
     * Starts timing at {@code now}: the data path is up (the first probes may go now). Ticks before are
     * ignored, so a slow start-up (addresses and routes being set) is no silence.
     */
    public void start(long now) {
        if (started) return;
        started = true;
        for (int i = 0; i < gateways.size(); i++) {
            watchedSince[i] = now;
            lastProbe[i] = now - settings.probeInterval().toNanos();
        }
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
     * @param lastInbound when the last valid packet arrived through gateway {@code i} (its index in
     *                    {@link #gateways()}), 0 if none ever
     */
    public void tick(long now, IntToLongFunction lastInbound) {
        if (!started) return;
        long probeInterval = settings.probeInterval().toNanos();
        long f = detectionNanos();
        lastInboundSeen = lastInbound.applyAsLong(active);
        measureSwitch(lastInboundSeen);
        // Standbys first, so that the active gateway's verdict knows which of them are alive.
        for (int i = 0; i < gateways.size(); i++) {
            if (i == active) continue;
            long idle = observe(i, lastInbound.applyAsLong(i), now);
            if (idle >= f && deadSince[i] == 0) {
                deadSince[i] = now;
                aliveSince[i] = 0;
                LOG.warn("failover: standby gateway {} is dead (no answer for {} ms)", gateways.get(i).name(), ms(idle));
            }
            if (now - lastProbe[i] >= probeInterval) probe(i, now);
        }
        long idle = observe(active, lastInboundSeen, now);
        if (idle >= f && deadSince[active] == 0) {
            fail(now, "no inbound for " + ms(idle) + " ms");
        } else if (idle >= probeInterval && now - lastProbe[active] >= probeInterval) {
            probe(active, now);
        }
        // The active gateway is dead and stayed so (everyone was dead): take the first that answers again.
        if (deadSince[active] != 0) {
            int next = nextAlive(now);
            if (next >= 0) switchTo(next, now, "gateway " + gateways.get(next).name() + " answers again");
        }
        failback(now);
    }

    /** Takes note of gateway {@code i}'s last inbound; returns how long it has been silent. */
    private long observe(int i, long last, long now) {
        if (deadSince[i] != 0 && last != 0 && last - deadSince[i] > 0) revived(i, last);
        else if (aliveSince[i] == 0 && last != 0 && last - watchedSince[i] > 0) aliveSince[i] = last;
        long since = last != 0 && last - watchedSince[i] > 0 ? last : watchedSince[i];
        return now - since;
    }

    private void measureSwitch(long lastInbound) {
        if (switchDecided != 0 && lastInbound != 0 && lastInbound - switchDecided >= 0) {
            switchNanos = lastInbound - switchDecided;
            switchDecided = 0;
            Failover last = history.pollLast();
            if (last != null) history.addLast(last.completed(switchNanos));
            LOG.info("failover: {} answers, switch took {} ms; F is now {} ms", active().name(), ms(switchNanos), ms(detectionNanos()));
        }
    }

    private void revived(int i, long at) {
        LOG.info("failover: gateway {} answers again", gateways.get(i).name());
        deadSince[i] = 0;
        aliveSince[i] = at;
        watchedSince[i] = at;
    }

    private void failback(long now) {
        if (settings.failbackAfter() == null || active == 0 || deadSince[0] != 0 || aliveSince[0] == 0) return;
        if (now - aliveSince[0] >= settings.failbackAfter().toNanos()) {
            switchTo(0, now, "failback: " + gateways.get(0).name() + " answered for " + ms(now - aliveSince[0]) + " ms");
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
                deadSince[i] = 0; // the operator's word: give it a fresh chance
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
        aliveSince[active] = 0;
        int next = nextAlive(now);
        if (next < 0) {
            LOG.warn("failover: gateway {} is dead ({}); every gateway is dead: probing all, staying until one answers",
                    active().name(), reason);
            return;
        }
        LOG.warn("failover: gateway {} is dead ({})", active().name(), reason);
        switchTo(next, now, reason);
    }

    /** The first gateway after the active one, in profile order, not dead; a dead one only after its hold-down. */
    private int nextAlive(long now) {
        long holdDown = settings.holdDown().toNanos();
        int fallback = -1;
        for (int step = 1; step <= gateways.size(); step++) {
            int i = (active + step) % gateways.size();
            if (i == active) break;
            if (deadSince[i] != 0) continue;
            if (recentlyLeft(i, now, holdDown)) {
                if (fallback < 0) fallback = i;
                continue;
            }
            return i;
        }
        return fallback;
    }

    /** True if the client left gateway {@code i} as dead less than a hold-down ago. */
    private boolean recentlyLeft(int i, long now, long holdDown) {
        for (Failover f : history) {
            if (f.from().equals(gateways.get(i).name()) && now - f.decidedNanos() < holdDown && !f.reason().startsWith("failback")
                    && !f.reason().equals("by command")) {
                return true;
            }
        }
        return false;
    }

    private void switchTo(int next, long now, String reason) {
        Gateway from = active();
        active = next;
        watchedSince[next] = now;
        unprobeableSince[next] = 0;
        switchDecided = now == 0 ? 1 : now;
        switches++;
        if (history.size() == HISTORY) history.removeFirst();
        history.addLast(new Failover(from.name(), active().name(), reason, now, -1));
        LOG.warn("failover: switching {} -> {}", from.name(), active().name());
        if (actions != null) actions.switchTo(from, active());
        probe(next, now); // at once: the new gateway's answer measures C and confirms it
    }

    private void probe(int i, long now) {
        lastProbe[i] = now;
        probes++;
        probeSequence = (probeSequence + 1) & 0xffff;
        boolean sent = actions == null || actions.probe(gateways.get(i), probeSequence);
        if (sent) {
            unprobeableSince[i] = 0;
            return;
        }
        // Nothing to probe it with yet: its silence does not count (an active gateway's for at most 10 F).
        if (unprobeableSince[i] == 0) unprobeableSince[i] = now;
        if (i != active || now - unprobeableSince[i] < 10 * detectionNanos()) watchedSince[i] = now;
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
                .append(settings.failbackAfter() != null ? ", failback after " + settings.failbackAfter().toMillis() + " ms" : "")
                .append('\n');
        for (int i = 0; i < gateways.size(); i++) {
            Gateway g = gateways.get(i);
            b.append("  gateway ").append(g.name()).append(i == active ? " (active)" : " (standby)")
                    .append(deadSince[i] != 0 ? ", dead for " + ms(now - deadSince[i]) + " ms"
                            : aliveSince[i] != 0 ? ", answering for " + ms(now - aliveSince[i]) + " ms" : ", no answer yet")
                    .append('\n');
        }
        for (Failover f : history) b.append("  switched ").append(f).append(", ").append(ms(now - f.decidedNanos())).append(" ms ago\n");
        return b.toString();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f", nanos / 1e6);
    }
}
