package io.steadfast.pipeline.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.testing.RootTests;
import io.steadfast.pipeline.testbed.RelayNetwork;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end as root: client (stable address S) - our gateway (ESP) - cloud with our relay and a server.
 * The client registers S -> V with the relay (authenticated binding update), wraps its traffic V -> R,
 * and the server's replies to S come back through the relay.
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
        try (RelayNetwork net = new RelayNetwork(dir).jvmOptions("-Dio.netty.leakDetection.level=paranoid").start(true)) {
            awaitBound(net);
            assertThat(net.client.run("ping", "-c", "3", "-i", "0.2", "-W", "2", RelayNetwork.SERVER))
                    .contains("3 packets transmitted, 3 received");

            String relay = net.relayProcess().status();
            assertThat(relay).contains("bindings: 1").contains(RelayNetwork.STABLE).contains(RelayNetwork.CARE_OF);
            assertThat(relay).containsPattern("relay-server\\s+bindings=1 packets\\.from-clients=[3-9]");
            assertThat(relay).containsPattern("packets\\.to-clients=[3-9]");
            String client = net.clientProcess().status();
            assertThat(client).containsPattern("ipip-encap\\s+wrapped=[3-9]");
            assertThat(client).containsPattern("ipip-decap\\s+unwrapped=[3-9] acks=1");
            assertThat(client).containsPattern("relay-client\\s+updates=1 retransmits=0 acks=1 bound=1");

            // A tunnel change by hand: the client re-registers at once and traffic keeps flowing.
            String answer = io.steadfast.pipeline.control.ControlClient.request(dir.resolve("client.sock"),
                    "control outbound relay-client care-of " + RelayNetwork.CARE_OF);
            assertThat(answer).startsWith("relay-client: care-of " + RelayNetwork.CARE_OF);
            assertThat(net.client.run("ping", "-c", "2", "-i", "0.2", "-W", "2", RelayNetwork.SERVER)).contains("2 received");
            assertThat(net.relayProcess().status()).containsPattern("updates\\.accepted=2");

            for (var p : new io.steadfast.pipeline.testbed.SteadfastProcess[] {net.clientProcess(), net.relayProcess(), net.gatewayProcess()}) {
                assertThat(p.stop()).isZero();
                assertThat(p.log()).doesNotContain("LEAK").doesNotContain("Exception");
            }
        }
    }

    @Test
    void withoutTheRelayStagesRepliesToTheStableAddressAreNotDelivered() throws Exception {
        try (RelayNetwork net = new RelayNetwork(dir).start(false)) {
            // The request leaves unwrapped (S -> server through the tunnel); the server's reply to S is routed
            // to the relay, which has no binding for S and drops it.
            String out;
            try {
                out = net.client.run("ping", "-c", "2", "-i", "0.2", "-W", "1", RelayNetwork.SERVER);
            } catch (java.io.IOException e) {
                out = e.getMessage();
            }
            assertThat(out).contains("0 received");
            assertThat(net.relayProcess().status()).containsPattern("dropped\\.no-binding=[1-9]");
        }
    }

    private static void awaitBound(RelayNetwork net) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (net.clientProcess().status().contains("bound=1")) return;
            Thread.sleep(100);
        }
        throw new AssertionError("no binding after 20 s:\n" + net.clientProcess().status() + net.relayProcess().status()
                + net.clientProcess().log() + net.relayProcess().log());
    }
}
