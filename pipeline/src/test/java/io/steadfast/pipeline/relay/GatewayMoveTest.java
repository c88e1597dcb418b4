package io.steadfast.pipeline.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.testing.RootTests;
import io.steadfast.pipeline.testbed.RoamingNetwork;
import io.steadfast.pipeline.testbed.SteadfastProcess;
import io.steadfast.pipeline.testbed.TcpTransfer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper's point, end to end as root: a long TCP transfer from the server to the client; mid-transfer
 * the client's path to gateway A fails and the client moves to gateway B (new SA, new V) by command. With
 * the relay the transfer completes intact, without a reset; with the relay stages left out of the profile,
 * the server keeps answering the old V, which only gateway A can reach, and the connection is dead.
 */
class GatewayMoveTest {
    private static final long BYTES = 100L << 20;
    private static final long MOVE_AFTER = 20L << 20;
    private static final int PORT = 5001;

    @TempDir
    Path dir;

    @BeforeEach
    void needsRoot() {
        RootTests.requireRootAndNetns();
    }

    @Test
    void withTheRelayALongTransferSurvivesTheMoveToGatewayBIntact() throws Exception {
        try (RoamingNetwork net = new RoamingNetwork(dir, 1).jvmOptions("-Dio.netty.leakDetection.level=advanced").start(true)) {
            net.awaitBound(1, RoamingNetwork.careOfA(1));
            try (TcpTransfer t = TcpTransfer.start(net.server, RoamingNetwork.SERVER, PORT, net.client(1), RoamingNetwork.stable(1), BYTES, 1)) {
                assertThat(t.awaitReceived(MOVE_AFTER, Duration.ofSeconds(60))).as("transfer under way: " + t.result(false)).isTrue();
                net.cutPathToA(1);
                String answer = net.moveToB(1);
                assertThat(answer.strip()).isEqualTo("esp-encrypt: now using to-b to 10.4.1.2:4500, care-of " + RoamingNetwork.careOfB(1) + " announced");

                TcpTransfer.Result result = t.await(Duration.ofSeconds(120));
                System.out.println("with the relay: " + result);
                assertThat(result.intact()).as(result + "\n" + diagnostics(net)).isTrue();
                assertThat(result.largestGap()).as("outage across the move").isLessThan(Duration.ofSeconds(10));
            }
            String relay = net.relayProcess().status();
            assertThat(relay).contains("bindings: 1").contains(RoamingNetwork.stable(1) + " -> " + RoamingNetwork.careOfB(1));
            assertThat(relay).containsPattern("updates\\.accepted=2\\b");
            String client = net.clientProcess(1).status();
            assertThat(client).containsPattern("esp-encrypt\\s+to-a\\.packets=\\d+ to-a\\.bytes=\\d+ to-b\\.packets=[1-9]\\d* ");
            assertThat(client).containsPattern("switches=1\\b");
            assertThat(client).containsPattern("relay-client\\s+updates=\\d+ retransmits=\\d+ acks=2 bound=1");
            assertThat(net.gatewayBProcess().status()).containsPattern("to-c1\\.packets=[1-9]");
            for (SteadfastProcess p : new SteadfastProcess[] {net.clientProcess(1), net.relayProcess(), net.gatewayAProcess(), net.gatewayBProcess()}) {
                assertThat(p.stop()).isZero();
                assertThat(p.log()).doesNotContain("LEAK").doesNotContain("Exception");
            }
        }
    }

    @Test
    void withoutTheRelayTheSameMoveBreaksTheConnection() throws Exception {
        try (RoamingNetwork net = new RoamingNetwork(dir, 1).start(false)) {
            try (TcpTransfer t = TcpTransfer.start(net.server, RoamingNetwork.SERVER, PORT, net.client(1), RoamingNetwork.careOfA(1), BYTES, 2)) {
                assertThat(t.awaitReceived(MOVE_AFTER, Duration.ofSeconds(60))).as("transfer under way: " + t.result(false)).isTrue();
                net.cutPathToA(1);
                assertThat(net.moveToB(1)).startsWith("esp-encrypt: now using to-b");
                long moved = System.nanoTime();

                Thread.sleep(1000);
                long settled = t.received();
                Thread.sleep(5000);
                TcpTransfer.Result result = t.result(false);
                System.out.println("without the relay: " + result);
                assertThat(result.received()).as("nothing arrives after the move: the server answers V_A, behind gateway A")
                        .isEqualTo(settled).isLessThan(BYTES);
                assertThat(result.intact()).isFalse();
                assertThat(System.nanoTime() - t.lastReadNanos()).as("stalled since the move").isGreaterThan(TimeUnit.SECONDS.toNanos(5));
                assertThat(t.lastReadNanos() - moved).isLessThan(TimeUnit.SECONDS.toNanos(1));
            }
            // The client did switch, but packets from V_A can only go through gateway A (whose SA alone may carry
            // them), and its path is cut: nothing went through B.
            String client = net.clientProcess(1).status();
            assertThat(client).containsPattern("esp-encrypt .*switches=1 ");
            assertThat(client).containsPattern("to-b\\.packets=0 ");
            assertThat(client).containsPattern("error\\.network-is-unreachable=[1-9]");
        }
    }

    static String diagnostics(RoamingNetwork net) {
        StringBuilder b = new StringBuilder();
        for (SteadfastProcess p : new SteadfastProcess[] {net.clientProcess(1), net.gatewayAProcess(), net.gatewayBProcess(), net.relayProcess()}) {
            try {
                b.append(p.status()).append(p.log()).append('\n');
            } catch (Exception e) {
                b.append(e).append('\n');
            }
        }
        return b.toString();
    }
}
