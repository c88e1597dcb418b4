package io.steadfast.pipeline.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.testing.RootTests;
import io.steadfast.pipeline.testbed.RoamingNetwork;
import io.steadfast.pipeline.testbed.SteadfastProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end as root: client (stable address S) - our gateway (ESP) - cloud with our relay and a server.
 * The client registers S -> V with the relay (authenticated binding update), wraps its traffic V -> R,
 * and the server's replies to S come back through the relay; a tunnel change by hand re-registers.
 */
class RelayTunnelTest {

    @TempDir
    Path dir;

    @BeforeEach
    void needsRoot() {
        RootTests.requireRootAndNetns();
        RootTests.requireTool("ping");
    }

    @Test
    void trafficFromTheStableAddressFlowsThroughTheRelayBothWays() throws Exception {
        try (RoamingNetwork net = new RoamingNetwork(dir, 1).jvmOptions("-Dio.netty.leakDetection.level=paranoid").start(true)) {
            net.awaitBound(1, RoamingNetwork.careOfA(1));
            assertThat(net.client(1).run("ping", "-c", "3", "-i", "0.2", "-W", "2", RoamingNetwork.SERVER))
                    .contains("3 packets transmitted, 3 received");

            String relay = net.relayProcess().status();
            assertThat(relay).contains("bindings: 1").contains(RoamingNetwork.stable(1) + " -> " + RoamingNetwork.careOfA(1) + " client 1 ");
            assertThat(relay).containsPattern("relay-server\\s+bindings=1 packets\\.from-clients=[3-9]");
            assertThat(relay).containsPattern("packets\\.to-clients=[3-9]");
            String client = net.clientProcess(1).status();
            assertThat(client).containsPattern("ipip-encap\\s+wrapped=[3-9]");
            assertThat(client).containsPattern("ipip-decap\\s+unwrapped=[3-9] acks=[1-9]");
            // Under load the first update may be retransmitted before its ack arrives; the duplicate ack is refused.
            assertThat(client).containsPattern("relay-client\\s+updates=\\d+ retransmits=\\d+ acks=1 bound=1");

            // A tunnel change by hand: the client re-registers at once and traffic keeps flowing.
            String answer = net.clientProcess(1).control(RoamingNetwork.OUTBOUND, "relay-client", "care-of " + RoamingNetwork.careOfA(1));
            assertThat(answer).startsWith("relay-client: care-of " + RoamingNetwork.careOfA(1));
            assertThat(net.client(1).run("ping", "-c", "2", "-i", "0.2", "-W", "2", RoamingNetwork.SERVER)).contains("2 received");
            assertThat(net.relayProcess().status()).containsPattern("updates\\.accepted=2");

            for (SteadfastProcess p : new SteadfastProcess[] {net.clientProcess(1), net.relayProcess(), net.gatewayAProcess(), net.gatewayBProcess()}) {
                assertThat(p.stop()).isZero();
                assertThat(p.log()).doesNotContain("LEAK").doesNotContain("Exception");
            }
        }
    }
}
