package io.steadfast.handlers.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The controller's state machine against a fake network on a fake clock, no sleeps: gateways that answer
 * probes (or not), data that flows through the active one (or not), ticks every 25 ms.
 */
class FailoverControllerTest {
    private static final long MS = 1_000_000L;
    private static final Gateway A = new Gateway("gw-a", "to-a", "from-a", 0x0a640105);
    private static final Gateway B = new Gateway("gw-b", "to-b", "from-b", 0x0a640205);
    private static final Gateway C = new Gateway("gw-c", "to-c", "from-c", 0x0a640305);

    /** Probe 100 ms, F 300 ms, C estimate 50 ms, hold-down 10 s, no failback: the timers these tests reason about. */
    private static final FailoverSettings SETTINGS = settings(Duration.ofMillis(300), null, Duration.ofSeconds(10), null);

    private static FailoverSettings settings(Duration f, Duration a, Duration holdDown, Duration failback) {
        return new FailoverSettings(Duration.ofMillis(100), f, a, Duration.ofMillis(50), holdDown, failback);
    }

    /** Gateways that are up or down; an up gateway answers a probe 5 ms later and carries data when active. */
    private final class FakeNetwork implements FailoverController.Actions {
        final List<Gateway> gateways;
        final boolean[] up;
        final boolean[] unprobeable;
        final long[] lastInbound;
        boolean dataFlowing;
        final List<String> log = new ArrayList<>();
        private final List<long[]> pendingReplies = new ArrayList<>();
        FailoverController controller;

        FakeNetwork(Gateway... gateways) {
            this.gateways = List.of(gateways);
            this.up = new boolean[gateways.length];
            java.util.Arrays.fill(up, true);
            this.unprobeable = new boolean[gateways.length];
            this.lastInbound = new long[gateways.length];
        }

        @Override
        public boolean probe(Gateway via, int sequence) {
            int i = gateways.indexOf(via);
            log.add("probe " + via.name());
            if (up[i]) pendingReplies.add(new long[] {i, now + 5 * MS});
            return !unprobeable[i];
        }

        @Override
        public void switchTo(Gateway from, Gateway to) {
            log.add("switch " + from.name() + " -> " + to.name());
        }

        /** Delivers what has arrived by {@code now}. */
        void deliver() {
            pendingReplies.removeIf(r -> {
                if (r[1] > now) return false;
                lastInbound[(int) r[0]] = r[1];
                return true;
            });
            int active = gateways.indexOf(controller.active());
            if (dataFlowing && up[active]) lastInbound[active] = now - MS;
        }

        List<String> switches() {
            return log.stream().filter(s -> s.startsWith("switch")).toList();
        }

        long probesOf(Gateway g) {
            return log.stream().filter(s -> s.equals("probe " + g.name())).count();
        }
    }

    private long now = 1_000 * MS;

    private FakeNetwork network(FailoverSettings settings, Gateway... gateways) {
        FakeNetwork net = new FakeNetwork(gateways);
        net.controller = new FailoverController(List.of(gateways), settings, now);
        net.controller.actions(net);
        net.controller.start(now);
        return net;
    }

    private void run(FakeNetwork net, long ms) {
        for (long end = now + ms * MS; now < end; ) {
            now += 25 * MS;
            net.deliver();
            net.controller.tick(now, i -> net.lastInbound[i]);
        }
    }

    @Test
    void theDefaultsBeatATcpSendersFirstRetransmissionTimeout() {
        FailoverSettings d = FailoverSettings.defaults();
        assertThat(d.probeInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(d.detectionNanos(0)).isEqualTo(200 * MS);
        assertThat(d.failbackAfter()).isNull();
        assertThat(d.problem()).isNull();
    }

    @Test
    void nothingIsTimedBeforeTheDataPathStarts() {
        FakeNetwork net = new FakeNetwork(A, B);
        java.util.Arrays.fill(net.up, false);
        net.controller = new FailoverController(List.of(A, B), SETTINGS, now);
        net.controller.actions(net);
        run(net, 1_000);                                  // start-up takes a second: no probe, no verdict
        assertThat(net.log).isEmpty();
        net.controller.start(now);
        net.up[1] = true;
        run(net, 300);
        assertThat(net.switches()).containsExactly("switch gw-a -> gw-b");
    }

    @Test
    void steadyTrafficNeedsNoProbeOfTheActiveGatewayWhileTheStandbyIsProbedEveryInterval() {
        FakeNetwork net = network(SETTINGS, A, B);
        net.dataFlowing = true;
        run(net, 5_000);
        assertThat(net.switches()).isEmpty();
        assertThat(net.probesOf(A)).isZero();
        assertThat(net.probesOf(B)).isBetween(49L, 51L);
        assertThat(net.controller.describe(now)).contains("gateway gw-a (active), answering for").contains("gateway gw-b (standby), answering for");
    }

    @Test
    void anIdleActiveGatewayIsProbedOncePerIntervalAndItsAnswersKeepItActive() {
        FakeNetwork net = network(SETTINGS, A, B);
        run(net, 2_000);
        assertThat(net.switches()).isEmpty();
        // Each answer (5 ms after its probe) restarts the idle time: a probe every 125 ms at 25 ms ticks.
        assertThat(net.probesOf(A)).isBetween(15L, 17L);
    }

    @Test
    void silenceForFOnTheActiveGatewaySwitchesToTheNextAndProbesItAtOnce() {
        FakeNetwork net = network(SETTINGS, A, B);
        net.dataFlowing = true;
        run(net, 500);
        long deadAt = now;
        net.up[0] = false;
        run(net, 400);
        assertThat(net.switches()).containsExactly("switch gw-a -> gw-b");
        assertThat(net.controller.active()).isEqualTo(B);
        int i = net.log.indexOf("switch gw-a -> gw-b");
        assertThat(net.log.get(i + 1)).isEqualTo("probe gw-b");
        Failover f = net.controller.history().getFirst();
        assertThat(f.reason()).startsWith("no inbound for 3");
        assertThat(f.decidedNanos() - deadAt).isBetween(275 * MS, 325 * MS);
        assertThat(f.switchNanos()).as("the first data through B, at the next tick (25 ms) less 1 ms").isEqualTo(24 * MS);
        assertThat(net.controller.describe(now)).contains("gateway gw-a (standby), dead for");
    }

    @Test
    void aGatewayLeftAsDeadIsNotChosenAgainWithinTheHoldDownWhileAnotherIsAlive() {
        FakeNetwork net = network(SETTINGS, A, B, C);
        net.dataFlowing = true;
        net.up[0] = false;
        run(net, 400);                                    // A dies -> B
        net.up[0] = true;                                 // A is back at once ...
        run(net, 1_000);
        net.up[1] = false;
        run(net, 400);                                    // ... but when B dies, C (not A) takes over
        assertThat(net.switches()).containsExactly("switch gw-a -> gw-b", "switch gw-b -> gw-c");
    }

    @Test
    void aGatewayLeftRecentlyIsChosenWhenItIsTheOnlyOneAlive() {
        FakeNetwork net = network(SETTINGS, A, B);
        net.dataFlowing = true;
        net.up[0] = false;
        run(net, 400);                                    // A dies -> B
        net.up[0] = true;
        run(net, 500);                                    // A answers its probes again
        net.up[1] = false;
        run(net, 400);                                    // B dies: A is the only one alive
        assertThat(net.switches()).containsExactly("switch gw-a -> gw-b", "switch gw-b -> gw-a");
    }

    @Test
    void aFlappingGatewayCausesOneSwitchNotAnOscillation() {
        FakeNetwork net = network(SETTINGS, A, B);
        net.dataFlowing = true;
        for (int round = 0; round < 5; round++) {        // A down 2 s, up 2 s, for 20 s
            net.up[0] = false;
            run(net, 2_000);
            net.up[0] = true;
            run(net, 2_000);
        }
        assertThat(net.switches()).containsExactly("switch gw-a -> gw-b");
    }

    @Test
    void whenEveryGatewayIsDeadTheClientStaysProbingAllAndMovesWithinOneProbeIntervalOfTheFirstReturn() {
        FakeNetwork net = network(SETTINGS, A, B);
        net.dataFlowing = true;
        run(net, 500);
        net.up[0] = false;
        net.up[1] = false;
        run(net, 10_000);                                 // both down for 10 s
        assertThat(net.switches()).as("nowhere to go").isEmpty();
        assertThat(net.probesOf(A)).isGreaterThan(90);
        assertThat(net.probesOf(B)).isGreaterThan(90);
        long back = now;
        net.up[1] = true;                                 // B returns
        run(net, 300);
        assertThat(net.switches()).containsExactly("switch gw-a -> gw-b");
        Failover f = net.controller.history().getFirst();
        assertThat(f.reason()).isEqualTo("gateway gw-b answers again");
        assertThat(f.decidedNanos() - back).as("one probe interval and a tick").isLessThanOrEqualTo(125 * MS + 25 * MS);
    }

    @Test
    void aDeadStandbyIsSkippedAndTheClientWaitsForAnyGatewayToAnswer() {
        FakeNetwork net = network(SETTINGS, A, B);
        net.dataFlowing = true;
        net.up[1] = false;
        run(net, 500);                                    // B, the standby, dies first
        assertThat(net.controller.describe(now)).contains("gateway gw-b (standby), dead for");
        net.up[0] = false;
        run(net, 1_000);                                  // then A: no one to switch to
        assertThat(net.switches()).isEmpty();
        net.up[0] = true;                                 // A returns: it is active already, traffic resumes
        run(net, 300);
        assertThat(net.switches()).isEmpty();
        assertThat(net.controller.describe(now)).contains("gateway gw-a (active), answering for");
    }

    @Test
    void failbackReturnsToThePreferredGatewayOnceItHasAnsweredLongEnough() {
        FakeNetwork net = network(settings(Duration.ofMillis(300), null, Duration.ofSeconds(10), Duration.ofSeconds(3)), A, B);
        net.dataFlowing = true;
        net.up[0] = false;
        run(net, 400);                                    // A dies -> B
        long back = now;
        net.up[0] = true;
        run(net, 2_500);
        assertThat(net.switches()).as("not yet: A has answered for 2.5 s").hasSize(1);
        run(net, 1_000);
        assertThat(net.switches()).containsExactly("switch gw-a -> gw-b", "switch gw-b -> gw-a");
        Failover f = net.controller.history().getLast();
        assertThat(f.reason()).startsWith("failback: gw-a answered for 3");
        assertThat(f.decidedNanos() - back).isBetween(3_000 * MS, 3_150 * MS);
    }

    @Test
    void noFailbackToAGatewayThatKeepsFlapping() {
        FakeNetwork net = network(settings(Duration.ofMillis(300), null, Duration.ofSeconds(10), Duration.ofSeconds(3)), A, B);
        net.dataFlowing = true;
        for (int round = 0; round < 5; round++) {
            net.up[0] = false;
            run(net, 2_000);
            net.up[0] = true;
            run(net, 2_000);
        }
        assertThat(net.switches()).containsExactly("switch gw-a -> gw-b");
    }

    @Test
    void aColdStandbyThatCannotBeProbedYetIsStillACandidateAndGetsTimeForItsSa() {
        FakeNetwork net = network(SETTINGS, A, B);
        net.dataFlowing = true;
        net.unprobeable[1] = true;                        // no SA with B: cold standby
        run(net, 2_000);
        assertThat(net.controller.describe(now)).as("silence of an unprobeable standby does not count")
                .doesNotContain("gateway gw-b (standby), dead");
        net.up[0] = false;
        run(net, 350);
        assertThat(net.switches()).containsExactly("switch gw-a -> gw-b");
        run(net, 1_000);                                  // IKE with B takes a second: B is not given up on
        assertThat(net.switches()).hasSize(1);
        net.unprobeable[1] = false;                       // B's SA is up: it is probed and answers
        run(net, 500);
        assertThat(net.controller.active()).isEqualTo(B);
        assertThat(net.controller.describe(now)).contains("gateway gw-b (active), answering for");
    }

    @Test
    void anActiveGatewayWhoseSaNeverComesIsGivenUpAfterTenTimesF() {
        FakeNetwork net = network(SETTINGS, A, B);
        net.unprobeable[0] = true;
        net.up[0] = false;
        run(net, 2_900);
        assertThat(net.switches()).isEmpty();
        run(net, 600);
        assertThat(net.switches()).containsExactly("switch gw-a -> gw-b");
    }

    @Test
    void aSingleGatewayIsProbedOnAndNeverSwitchedAway() {
        FakeNetwork net = network(SETTINGS, A);
        net.up[0] = false;
        run(net, 2_000);
        assertThat(net.switches()).isEmpty();
        assertThat(net.controller.failures()).isEqualTo(1);
        assertThat(net.probesOf(A)).isBetween(19L, 21L);
        net.up[0] = true;
        run(net, 200);
        assertThat(net.controller.describe(now)).contains("gateway gw-a (active), answering for");
    }

    @Test
    void anAllowedOutageGivesFAsAMinusTheMeasuredSwitchTime() {
        FakeNetwork net = network(settings(null, Duration.ofMillis(800), Duration.ofSeconds(10), null), A, B);
        assertThat(net.controller.detectionNanos()).as("A - estimated C").isEqualTo(750 * MS);
        net.dataFlowing = true;
        net.up[0] = false;
        run(net, 1_000);
        assertThat(net.switches()).hasSize(1);
        assertThat(net.controller.detectionNanos()).as("A - measured C (24 ms)").isEqualTo(776 * MS);
        assertThat(net.controller.describe(now)).contains("F 776 ms (A 800 ms - C)");
    }

    @Test
    void settingsThatWouldDeclareAGatewayDeadOnOneLostProbeAreRefused() {
        FailoverSettings shortF = settings(Duration.ofMillis(250), null, Duration.ofSeconds(10), null);
        assertThat(shortF.problem()).isEqualTo("detection-period 250 ms is below 3 probe intervals (300 ms): one lost probe would declare a gateway dead");
        FailoverSettings shortA = settings(null, Duration.ofMillis(320), Duration.ofSeconds(10), null);
        assertThat(shortA.problem()).startsWith("allowed-outage 320 ms minus the switch time 50 ms leaves F = 270 ms, which is below 3 probe intervals");
        assertThatThrownBy(() -> new FailoverController(List.of(A), shortF, now)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailoverController(List.of(), SETTINGS, now)).hasMessage("no gateways");
    }

    @Test
    void commandsSwitchByNameOrDeclareTheActiveGatewayDead() {
        FakeNetwork net = network(SETTINGS, A, B, C);
        FailoverController c = net.controller;
        assertThat(c.use("gw-c", now)).isEqualTo(C);
        c.failActive(now);
        assertThat(c.active()).isEqualTo(A);
        assertThat(net.switches()).containsExactly("switch gw-a -> gw-c", "switch gw-c -> gw-a");
        assertThat(c.history().getLast().reason()).isEqualTo("declared dead by command");
        assertThatThrownBy(() -> c.use("gw-z", now)).hasMessage("no gateway named \"gw-z\"; there are gw-a, gw-b, gw-c");
        assertThat(c.describe(now)).contains("gateway gw-c (standby), dead for 0 ms").contains("gateway gw-a (active)");
    }

    @Test
    void withoutActionsTheControllerOnlyWatches() {
        FailoverController c = new FailoverController(List.of(A, B), SETTINGS, now);
        c.start(now);
        for (int i = 0; i < 20; i++) {
            now += 25 * MS;
            c.tick(now, g -> 0);
        }
        assertThat(c.active()).as("both silent: nowhere to go").isEqualTo(A);
        assertThat(c.probes()).isPositive();
        assertThat(c.failures()).isEqualTo(1);
    }
}
