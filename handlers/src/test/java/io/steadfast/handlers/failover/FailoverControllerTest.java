package io.steadfast.handlers.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controller's state machine on a fake clock: probes, detection, switches, hold-down, all-dead retries, A - C. */
class FailoverControllerTest {
    private static final long MS = 1_000_000L;
    private static final Gateway A = new Gateway("gw-a", "to-a", "from-a", 0x0a640105);
    private static final Gateway B = new Gateway("gw-b", "to-b", "from-b", 0x0a640205);
    private static final Gateway C = new Gateway("gw-c", "to-c", "from-c", 0x0a640305);

    /** Records what the controller asks for. */
    private static final class Recorder implements FailoverController.Actions {
        final List<String> log = new ArrayList<>();

        @Override
        public void probe(Gateway via, int sequence) {
            log.add("probe " + via.name() + " #" + sequence);
        }

        @Override
        public void switchTo(Gateway from, Gateway to) {
            log.add("switch " + from.name() + " -> " + to.name());
        }

        List<String> switches() {
            return log.stream().filter(s -> s.startsWith("switch")).toList();
        }

        long probes() {
            return log.stream().filter(s -> s.startsWith("probe")).count();
        }
    }

    /** The timers these tests reason about: probe 100 ms, F 300 ms, C estimate 50 ms, hold-down 10 s, backoff cap 2 s. */
    private static final FailoverSettings SETTINGS = new FailoverSettings(Duration.ofMillis(100), Duration.ofMillis(300), null,
            Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofSeconds(2));

    private final Recorder actions = new Recorder();
    private long now = 1_000 * MS;

    private FailoverController controller(FailoverSettings settings, Gateway... gateways) {
        FailoverController c = new FailoverController(List.of(gateways), settings, now);
        c.actions(actions);
        c.start(now);
        return c;
    }

    /** Ticks every 25 ms for {@code ms}, with inbound as given by {@code inbound} (null: none arrives). */
    private void run(FailoverController c, long ms, java.util.function.LongUnaryOperator lastInboundAt) {
        for (long end = now + ms * MS; now < end; ) {
            now += 25 * MS;
            c.tick(now, lastInboundAt.applyAsLong(now));
        }
    }

    @Test
    void theDefaultsBeatATcpSendersFirstRetransmissionTimeout() {
        FailoverSettings d = FailoverSettings.defaults();
        assertThat(d.probeInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(d.detectionNanos(0)).isEqualTo(200 * MS).isLessThan(Duration.ofMillis(200 + 50).toNanos());
        assertThat(d.problem()).isNull();
    }

    @Test
    void nothingIsTimedBeforeTheDataPathStarts() {
        FailoverController c = new FailoverController(List.of(A, B), SETTINGS, now);
        c.actions(actions);
        long t0 = now;
        run(c, 1_000, t -> 0);                           // start-up takes a second: no probe, no switch
        assertThat(actions.log).isEmpty();
        c.start(now);
        run(c, 300, t -> 0);
        assertThat(actions.switches()).containsExactly("switch gw-a -> gw-b");
        assertThat(c.history().getFirst().decidedNanos() - t0).isEqualTo(1_300 * MS);
    }

    @Test
    void steadyInboundNeedsNoProbeAndNoSwitch() {
        FailoverController c = controller(SETTINGS, A, B);
        run(c, 5_000, t -> t - 10 * MS);                 // a packet every tick
        assertThat(actions.log).isEmpty();
        assertThat(c.active()).isEqualTo(A);
    }

    @Test
    void idleInboundIsProbedOncePerIntervalWhileTheAnswersKeepTheGatewayAlive() {
        FailoverController c = controller(SETTINGS, A, B);
        // Each probe's answer arrives 5 ms after the probe: the tick after it sees it.
        List<Long> probeTimes = new ArrayList<>();
        List<Long> replies = new ArrayList<>(List.of(now));
        c.actions(new FailoverController.Actions() {
            @Override
            public void probe(Gateway via, int sequence) {
                probeTimes.add(now);
                replies.add(now + 5 * MS);
            }

            @Override
            public void switchTo(Gateway from, Gateway to) {
                throw new AssertionError("no switch expected");
            }
        });
        run(c, 2_000, t -> replies.stream().filter(r -> r <= t).mapToLong(Long::longValue).max().orElse(0));
        assertThat(probeTimes).hasSizeBetween(15, 20);   // idle reaches 100 ms every ~100 ms
        for (int i = 1; i < probeTimes.size(); i++) {
            assertThat(probeTimes.get(i) - probeTimes.get(i - 1)).isGreaterThanOrEqualTo(100 * MS);
        }
        assertThat(c.switches()).isZero();
    }

    @Test
    void inboundIdleForFSwitchesToTheNextGatewayAndProbesItAtOnce() {
        FailoverController c = controller(SETTINGS, A, B);
        long deadAt = now;
        run(c, 400, t -> deadAt);                         // A stops answering at once
        assertThat(actions.switches()).containsExactly("switch gw-a -> gw-b");
        assertThat(c.active()).isEqualTo(B);
        // Probes at 100 and 200 ms of silence, the switch at F = 300 ms, then a probe through B at once.
        assertThat(actions.log.subList(0, 4)).containsExactly("probe gw-a #1", "probe gw-a #2", "switch gw-a -> gw-b", "probe gw-b #3");
        Failover f = c.history().getFirst();
        assertThat(f.from()).isEqualTo("gw-a");
        assertThat(f.reason()).isEqualTo("no inbound for 300 ms");
        assertThat(f.decidedNanos() - deadAt).isEqualTo(300 * MS);
        assertThat(f.switchNanos()).as("B has not answered yet").isEqualTo(-1);
    }

    @Test
    void theFirstInboundThroughTheNewGatewayMeasuresTheSwitchTimeC() {
        FailoverController c = controller(SETTINGS, A, B);
        long deadAt = now;
        long[] switchedAt = {0};
        run(c, 300, t -> deadAt);
        switchedAt[0] = c.history().getFirst().decidedNanos();
        long s = switchedAt[0];
        run(c, 1_000, t -> t < s + 30 * MS ? 0 : t < s + 75 * MS ? s + 30 * MS : t - 10 * MS);
        assertThat(c.history().getFirst().switchNanos()).isEqualTo(30 * MS);
        assertThat(c.history().getFirst().toString()).isEqualTo("gw-a -> gw-b: no inbound for 300 ms, switch 30.0 ms");
        assertThat(c.switches()).isEqualTo(1);
    }

    @Test
    void aDeadGatewayIsNotChosenAgainWithinTheHoldDown() {
        FailoverController c = controller(SETTINGS, A, B, C);
        long deadAt = now;
        run(c, 300, t -> deadAt);                         // A dies -> B
        long bDeadAt = now;
        run(c, 300, t -> bDeadAt);                        // B dies too -> C, not back to A
        assertThat(actions.switches()).containsExactly("switch gw-a -> gw-b", "switch gw-b -> gw-c");
        run(c, 2_000, t -> t - 10 * MS);                  // C works
        assertThat(c.switches()).isEqualTo(2);
    }

    @Test
    void afterTheHoldDownARecoveredGatewayCanBeChosenAgain() {
        FailoverSettings s = new FailoverSettings(Duration.ofMillis(100), Duration.ofMillis(300), null, Duration.ofMillis(50),
                Duration.ofSeconds(1), Duration.ofSeconds(2));
        FailoverController c = controller(s, A, B);
        long t0 = now;
        run(c, 300, t -> t0);                             // A dies -> B
        run(c, 2_000, t -> t - 10 * MS);                  // B works for 2 s: A's hold-down (1 s) is over
        long bDead = now;
        run(c, 300, t -> bDead);                          // B dies -> A again
        assertThat(actions.switches()).containsExactly("switch gw-a -> gw-b", "switch gw-b -> gw-a");
    }

    @Test
    void whenEveryGatewayIsDeadItKeepsTryingThemInTurnWithGrowingCappedBackoffAndStaysWithTheFirstThatAnswers() {
        FailoverController c = controller(SETTINGS, A, B);
        long t0 = now;
        run(c, 10_000, t -> t0);                          // nobody answers for 10 s
        List<String> switches = actions.switches();
        assertThat(switches.size()).isBetween(5, 20);
        assertThat(switches).allMatch(s -> s.equals("switch gw-a -> gw-b") || s.equals("switch gw-b -> gw-a"));
        List<Failover> history = c.history();
        long lastGap = history.get(history.size() - 1).decidedNanos() - history.get(history.size() - 2).decidedNanos();
        assertThat(lastGap).as("capped: F + 2 s").isLessThanOrEqualTo(2_300 * MS + 25 * MS).isGreaterThanOrEqualTo(2_000 * MS);
        assertThat(history.get(history.size() - 1).reason()).contains("every gateway is dead");

        // One comes back: its first answer ends the retries and resets the backoff.
        Gateway back = c.active();
        long answersFrom = now + 50 * MS;
        run(c, 5_000, t -> t >= answersFrom ? t - 5 * MS : 0);
        assertThat(c.active()).isEqualTo(back);
        assertThat(c.history().getLast().switchNanos()).isPositive();
        assertThat(c.detectionNanos()).isEqualTo(300 * MS);
    }

    @Test
    void aSingleGatewayIsProbedOnAndNeverSwitchedAway() {
        FailoverController c = controller(SETTINGS, A);
        long t0 = now;
        run(c, 2_000, t -> t0);
        assertThat(actions.switches()).isEmpty();
        assertThat(c.failures()).as("declared dead again and again, with growing backoff").isBetween(3L, 6L);
        assertThat(actions.probes()).isGreaterThanOrEqualTo(15);
    }

    @Test
    void anAllowedOutageGivesFAsAMinusTheMeasuredSwitchTime() {
        FailoverSettings s = new FailoverSettings(Duration.ofMillis(100), null, Duration.ofMillis(800), Duration.ofMillis(50),
                Duration.ofSeconds(10), Duration.ofSeconds(2));
        FailoverController c = controller(s, A, B);
        assertThat(c.detectionNanos()).as("A - estimated C").isEqualTo(750 * MS);
        long t0 = now;
        run(c, 750, t -> t0);
        assertThat(c.switches()).isEqualTo(1);
        long switched = c.history().getFirst().decidedNanos();
        run(c, 500, t -> t >= switched + 120 * MS ? switched + 120 * MS : 0);
        assertThat(c.detectionNanos()).as("A - measured C").isEqualTo(680 * MS);
        assertThat(c.describe(now)).contains("F 680 ms (A 800 ms - C)");
    }

    @Test
    void settingsThatWouldDeclareAGatewayDeadOnOneLostProbeAreRefused() {
        FailoverSettings shortF = new FailoverSettings(Duration.ofMillis(100), Duration.ofMillis(250), null, Duration.ofMillis(50),
                Duration.ofSeconds(10), Duration.ofSeconds(2));
        assertThat(shortF.problem()).isEqualTo("detection-period 250 ms is below 3 probe intervals (300 ms): one lost probe would declare a gateway dead");
        FailoverSettings shortA = new FailoverSettings(Duration.ofMillis(100), null, Duration.ofMillis(320), Duration.ofMillis(50),
                Duration.ofSeconds(10), Duration.ofSeconds(2));
        assertThat(shortA.problem()).startsWith("allowed-outage 320 ms minus the switch time 50 ms leaves F = 270 ms, which is below 3 probe intervals");
        assertThatThrownBy(() -> new FailoverController(List.of(A), shortF, now)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailoverController(List.of(), SETTINGS, now)).hasMessage("no gateways");
    }

    @Test
    void commandsSwitchByNameOrDeclareTheActiveGatewayDead() {
        FailoverController c = controller(SETTINGS, A, B, C);
        assertThat(c.use("gw-c", now)).isEqualTo(C);
        c.failActive(now);
        assertThat(c.active()).isEqualTo(A);
        assertThat(actions.switches()).containsExactly("switch gw-a -> gw-c", "switch gw-c -> gw-a");
        assertThat(c.history().getLast().reason()).isEqualTo("declared dead by command");
        assertThatThrownBy(() -> c.use("gw-z", now)).hasMessage("no gateway named \"gw-z\"; there are gw-a, gw-b, gw-c");
        assertThat(c.describe(now)).contains("gateway gw-c, declared dead 0 ms ago").contains("gateway gw-a (active)");
    }

    @Test
    void withoutActionsTheControllerOnlyWatches() {
        FailoverController c = new FailoverController(List.of(A, B), SETTINGS, now);
        c.start(now);
        long t0 = now;
        run(c, 400, t -> t0);
        assertThat(c.active()).isEqualTo(B);
        assertThat(c.probes()).isPositive();
    }
}
