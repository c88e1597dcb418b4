package io.steadfast.pipeline.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.testing.RootTests;
import io.steadfast.pipeline.testbed.RoamingNetwork;
import io.steadfast.pipeline.testbed.SteadfastProcess;
import io.steadfast.pipeline.testbed.TcpTransfer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper's experiment, end to end as root, with no command from anyone: a TCP transfer from the server
 * to the client's stable address runs while gateway A fails, at the network layer (the client's path to it
 * goes down) or at the VPN layer (its process is killed; its host still routes). The client notices the
 * silence, probes, declares A dead after F, moves to gateway B and re-registers with the relay; the
 * transfer completes intact and the outage (the largest gap between two reads) stays under a second.
 */
class FailoverTest {
    private static final long BYTES = 100L << 20;
    private static final long FAIL_AFTER = 20L << 20;
    private static final Duration MAX_OUTAGE = Duration.ofMillis(1000);

    @TempDir
    Path dir;

    @BeforeEach
    void needsRoot() {
        RootTests.requireRootAndNetns();
    }

    @Test
    void aCutPathToGatewayAIsDetectedAndTheTransferMovesToBIntactWithinASecond() throws Exception {
        transferAcrossAFailure(net -> net.cutPathToA(1), "path cut");
    }

    @Test
    void aKilledGatewayADaemonIsDetectedAndTheTransferMovesToBIntactWithinASecond() throws Exception {
        transferAcrossAFailure(RoamingNetwork::killGatewayA, "gateway killed");
    }

    @Test
    void anIdleButHealthyTunnelIsProbedAndNeverDeclaredDead() throws Exception {
        try (RoamingNetwork net = new RoamingNetwork(dir, 1).withFailover().start(true)) {
            net.awaitBound(1, RoamingNetwork.careOfA(1));
            Thread.sleep(3000);
            String status = net.clientProcess(1).status();
            assertThat(status).containsPattern("failover-controller\\s+switches=0 failures=0 probes=[1-9]\\d");
            assertThat(status).containsPattern("inbound-monitor\\s+probe.replies=[1-9]\\d");
            assertThat(status).contains("failover: active gw-a");
        }
    }

    @Test
    void withBothGatewaysDownForTenSecondsTrafficResumesByItselfAsSoonAsOneIsBack() throws Exception {
        try (RoamingNetwork net = new RoamingNetwork(dir, 1).withFailover().start(true)) {
            net.awaitBound(1, RoamingNetwork.careOfA(1));
            net.cutPathToA(1);
            net.cutPathToB(1);
            Thread.sleep(10_000);
            // A died first and the client may have moved to B before B's silence counted too; either way, now
            // every gateway is dead and the client stays where it is.
            assertThat(net.clientProcess(1).status()).as("nowhere to go")
                    .containsPattern("gateway gw-a \\((active|standby)\\), dead for").containsPattern("gateway gw-b \\((active|standby)\\), dead for")
                    .containsPattern("failover-controller\\s+switches=[01] ");
            long back = System.nanoTime();
            net.restorePathToB(1);
            // Whether the client had moved to B before B's death was noticed or stayed on A: it now uses B.
            String status = net.clientProcess(1).awaitStatus("gateway gw-b (active), answering for", Duration.ofSeconds(5));
            long resumedMs = (System.nanoTime() - back) / 1_000_000;
            System.out.println("both down, B back: B carries traffic after " + resumedMs + " ms\n" + status);
            // One probe interval (50 ms) plus a tick and the switch; the rest is this test's polling and a busy machine.
            assertThat(resumedMs).isLessThan(500);
            net.awaitBound(1, RoamingNetwork.careOfB(1));
            assertThat(net.client(1).run("ping", "-c", "2", "-i", "0.2", "-W", "2", "-I", RoamingNetwork.stable(1), RoamingNetwork.SERVER))
                    .contains("2 received");
        }
    }

    @Test
    void aFlappingPathCausesOneSwitchNotAnOscillation() throws Exception {
        try (RoamingNetwork net = new RoamingNetwork(dir, 1).withFailover().start(true)) {
            net.awaitBound(1, RoamingNetwork.careOfA(1));
            for (int round = 0; round < 3; round++) {    // A's path down 2 s, up 2 s
                net.cutPathToA(1);
                Thread.sleep(2000);
                net.restorePathToA(1);
                Thread.sleep(2000);
            }
            String status = net.clientProcess(1).status();
            assertThat(status).containsPattern("failover-controller\\s+switches=1 ");
            assertThat(status).contains("failover: active gw-b");
        }
    }

    @Test
    void failbackToThePreferredGatewayLosesNothingOfARunningStream() throws Exception {
        try (RoamingNetwork net = new RoamingNetwork(dir, 1).withFailover("failback-after = 2s").start(true)) {
            net.awaitBound(1, RoamingNetwork.careOfA(1));
            net.cutPathToA(1);
            net.clientProcess(1).awaitStatus("switched gw-a -> gw-b", Duration.ofSeconds(5));
            net.awaitBound(1, RoamingNetwork.careOfB(1));
            long retransmitsBefore = serverCounter(net, "TcpRetransSegs");
            long dsacksBefore = serverCounter(net, "TcpExtTCPDSACKRecv");
            // 200 MB at 25 MB/s: eight seconds, the failback two seconds after A's return in the middle.
            try (TcpTransfer t = TcpTransfer.start(net.server, RoamingNetwork.SERVER, 5001, net.client(1), RoamingNetwork.stable(1),
                    200L << 20, 11, 25L << 20)) {
                assertThat(t.awaitReceived(40L << 20, Duration.ofSeconds(30))).isTrue();
                net.restorePathToA(1);
                TcpTransfer.Result r = t.await(Duration.ofSeconds(60));
                String status = net.clientProcess(1).status();
                System.out.println("failback: " + r + "\n" + status);
                assertThat(r.intact()).as(r.toString()).isTrue();
                assertThat(status).containsPattern("switched gw-b -> gw-a: failback: gw-a answered for 2\\d{3} ms");
                assertThat(r.largestGap()).as("no outage at the failback").isLessThan(Duration.ofMillis(500));
            }
            assertThat(net.relayProcess().status()).as("nothing dropped at the relay across the move")
                    .doesNotContainPattern("dropped\\.(?!replayed-update|ipv6)[a-z-]+=[1-9]");
            // A segment that crosses the switch on the old path can arrive after later ones on the new path; the
            // client's duplicate ACKs then make the server retransmit it, and the client, which had the original,
            // reports the copy back as a duplicate (D-SACK, RFC 2883). Only a retransmission without one stands
            // for a lost segment.
            long retransmitted = serverCounter(net, "TcpRetransSegs") - retransmitsBefore;
            long spurious = serverCounter(net, "TcpExtTCPDSACKRecv") - dsacksBefore;
            System.out.println("failback: server retransmitted " + retransmitted + " segments, " + spurious + " reported as duplicates");
            assertThat(retransmitted - spurious).as("segments the server retransmitted because they were lost (%d retransmitted,"
                    + " %d of them reported back as duplicates)", retransmitted, spurious).isZero();
        }
    }

    /** One of the server's kernel counters (nstat, absolute), e.g. TcpRetransSegs. */
    private static long serverCounter(RoamingNetwork net, String name) throws Exception {
        String out = net.server.run("nstat", "-az", name);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(name + "\\s+(\\d+)").matcher(out);
        if (!m.find()) throw new AssertionError("no " + name + " in:\n" + out);
        return Long.parseLong(m.group(1));
    }

    private interface Failure {
        void inflict(RoamingNetwork net) throws Exception;
    }

    private void transferAcrossAFailure(Failure failure, String what) throws Exception {
        try (RoamingNetwork net = new RoamingNetwork(dir, 1).withFailover().start(true)) {
            net.awaitBound(1, RoamingNetwork.careOfA(1));
            try (TcpTransfer t = TcpTransfer.start(net.server, RoamingNetwork.SERVER, 5001, net.client(1), RoamingNetwork.stable(1), BYTES, 9)) {
                assertThat(t.awaitReceived(FAIL_AFTER, Duration.ofSeconds(60))).as("under way: " + t.result(false)).isTrue();
                failure.inflict(net);
                TcpTransfer.Result r = t.await(Duration.ofSeconds(120));
                System.out.println(what + ": " + r);
                String status = net.clientProcess(1).status();
                System.out.println(status);
                assertThat(r.intact()).as(r + "\n" + status).isTrue();
                assertThat(r.largestGap()).as("outage, " + what + "\n" + status).isLessThan(MAX_OUTAGE);
                assertThat(status).containsPattern("failover-controller\\s+switches=1 failures=1 ");
                assertThat(status).containsPattern("switched gw-a -> gw-b: no inbound for \\d+ ms, switch \\d+\\.\\d ms");
            }
            assertThat(net.relayProcess().status()).contains(RoamingNetwork.stable(1) + " -> " + RoamingNetwork.careOfB(1) + " ");
            SteadfastProcess client = net.clientProcess(1);
            assertThat(client.stop()).isZero();
            assertThat(client.log()).contains("failover: switching gw-a -> gw-b").doesNotContain("Exception");
        }
    }
}
