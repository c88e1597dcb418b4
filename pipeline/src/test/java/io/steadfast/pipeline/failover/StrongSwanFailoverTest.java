package io.steadfast.pipeline.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.pipeline.ike.StrongSwanTests;
import io.steadfast.pipeline.testbed.RoamingNetwork;
import io.steadfast.pipeline.testbed.SteadfastProcess;
import io.steadfast.pipeline.testbed.TcpTransfer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover between two strongSwan 5.9.8 gateways, as root in namespaces: our client negotiates SAs with both
 * (hot standby: both IKE SAs up from the start), its stable address S goes through gateway 1 and our relay;
 * mid-transfer gateway 1's path is cut, or its charon is killed. The client detects it, moves to gateway 2
 * and re-registers with the relay; the TCP transfer completes intact with an outage under a second.
 */
class StrongSwanFailoverTest {
    private static final long BYTES = 100L << 20;
    private static final long FAIL_AFTER = 20L << 20;

    @TempDir
    Path dir;

    @BeforeEach
    void prerequisites() {
        StrongSwanTests.requireCharon();
    }

    @Test
    void gateway1sPathCutMidTransferTheStreamMovesToGateway2Intact() throws Exception {
        across(net -> net.cutPathToA(1), "path to strongSwan gateway 1 cut");
    }

    @Test
    void gateway1sCharonKilledMidTransferTheStreamMovesToGateway2Intact() throws Exception {
        across(RoamingNetwork::killGatewayA, "strongSwan gateway 1 killed");
    }

    @Test
    void coldStandbyNegotiatesWithGateway2OnlyWhenGateway1FailsAndStaysUnderOneAndAHalfSeconds() throws Exception {
        across(net -> net.cutPathToA(1), "cold standby, path to gateway 1 cut", true, Duration.ofMillis(1500));
    }

    private interface Failure {
        void inflict(RoamingNetwork net) throws Exception;
    }

    private void across(Failure failure, String what) throws Exception {
        across(failure, what, false, Duration.ofMillis(1000));
    }

    private void across(Failure failure, String what, boolean cold, Duration maxOutage) throws Exception {
        RoamingNetwork bed = new RoamingNetwork(dir, 1).withStrongSwanGateways().withFailover();
        if (cold) bed.withColdStandby();
        try (RoamingNetwork net = bed.start(true)) {
            net.awaitBound(1, RoamingNetwork.careOfA(1));
            String status = net.clientProcess(1).status();
            assertThat(status).contains("gateway gw-a 10.1.1.2:4500: ESTABLISHED, virtual IP " + RoamingNetwork.careOfA(1))
                    .contains(cold ? "gateway gw-b 10.4.1.2:4500: not started"
                            : "gateway gw-b 10.4.1.2:4500: ESTABLISHED, virtual IP " + RoamingNetwork.careOfB(1));
            try (TcpTransfer t = TcpTransfer.start(net.server, RoamingNetwork.SERVER, 5001, net.client(1), RoamingNetwork.stable(1), BYTES, 21)) {
                assertThat(t.awaitReceived(FAIL_AFTER, Duration.ofSeconds(60))).as("under way: " + t.result(false)).isTrue();
                failure.inflict(net);
                TcpTransfer.Result r = t.await(Duration.ofSeconds(120));
                status = net.clientProcess(1).status();
                System.out.println(what + ": " + r + "\n" + status);
                assertThat(r.intact()).as(r + "\n" + status + net.clientProcess(1).log()).isTrue();
                assertThat(r.largestGap()).as("outage, " + (cold ? "cold" : "hot") + " standby").isLessThan(maxOutage);
            }
            assertThat(status).containsPattern("switched gw-a -> gw-b: no inbound for \\d+ ms, switch \\d+\\.\\d ms");
            assertThat(net.relayProcess().status()).contains(RoamingNetwork.stable(1) + " -> " + RoamingNetwork.careOfB(1) + " ");
            SteadfastProcess client = net.clientProcess(1);
            assertThat(client.stop()).isZero();
            assertThat(client.log()).doesNotContain("Exception").doesNotContain("LEAK");
        }
    }
}
