package io.steadfast.pipeline.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.testing.RootTests;
import io.steadfast.pipeline.testbed.RoamingNetwork;
import io.steadfast.pipeline.testbed.TcpTransfer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten clients, each its own process with its own S and relay key, through one relay at once, each with an
 * independent transfer from the server; one of them moves to gateway B mid-transfer. Every transfer
 * completes intact, only the mover's binding changes, and the others see no outage from the move.
 */
class TenClientsTest {
    private static final int CLIENTS = 10;
    private static final int MOVER = 3;
    private static final long BYTES = 24L << 20;

    @TempDir
    Path dir;

    @BeforeEach
    void needsRoot() {
        RootTests.requireRootAndNetns();
    }

    @Test
    void tenClientsShareOneRelayAndOneMovingDisturbsNoneOfTheOthers() throws Exception {
        try (RoamingNetwork net = new RoamingNetwork(dir, CLIENTS).jvmOptions("-Xmx256m", "-XX:+UseSerialGC").start(true)) {
            for (int i = 1; i <= CLIENTS; i++) net.awaitBound(i, RoamingNetwork.careOfA(i));
            assertThat(net.relayProcess().status()).contains("bindings: " + CLIENTS);

            List<TcpTransfer> transfers = new ArrayList<>();
            try {
                for (int i = 1; i <= CLIENTS; i++) {
                    transfers.add(TcpTransfer.start(net.server, RoamingNetwork.SERVER, 5000 + i, net.client(i),
                            RoamingNetwork.stable(i), BYTES, 100 + i));
                }
                TcpTransfer mover = transfers.get(MOVER - 1);
                assertThat(mover.awaitReceived(BYTES / 4, Duration.ofSeconds(90))).as("under way: " + mover.result(false)).isTrue();
                assertThat(net.moveToB(MOVER)).contains("now using to-b");

                List<TcpTransfer.Result> results = new ArrayList<>();
                for (TcpTransfer t : transfers) results.add(t.await(Duration.ofSeconds(180)));
                for (int i = 1; i <= CLIENTS; i++) {
                    TcpTransfer.Result r = results.get(i - 1);
                    System.out.println("client " + i + ": " + r);
                    assertThat(r.intact()).as("client " + i + ": " + r).isTrue();
                    if (i != MOVER) {
                        assertThat(r.largestGap()).as("client " + i + " stalled").isLessThan(Duration.ofSeconds(5));
                    }
                }
            } finally {
                for (TcpTransfer t : transfers) t.close();
            }

            // Only the mover's binding moved (refreshes before the lifetime ends are no moves); nothing was
            // refused but retransmitted updates the relay had already taken (counted as replayed).
            String relay = net.relayProcess().status();
            assertThat(relay).contains("bindings: " + CLIENTS);
            for (int i = 1; i <= CLIENTS; i++) {
                String careOf = i == MOVER ? RoamingNetwork.careOfB(i) : RoamingNetwork.careOfA(i);
                assertThat(relay).as("binding of client " + i)
                        .containsPattern(RoamingNetwork.stable(i).replace(".", "\\.") + " -> " + careOf.replace(".", "\\.")
                                + " client " + i + " .* moves " + (i == MOVER ? 1 : 0) + " in [1-9]\\d* out [1-9]");
            }
            assertThat(relay).doesNotContainPattern("dropped\\.(?!replayed-update|ipv6)[a-z-]+=[1-9]");
            assertThat(net.gatewayBProcess().status()).containsPattern("to-c" + MOVER + "\\.packets=[1-9]")
                    .containsPattern("to-c1\\.packets=0 ");
            assertThat(net.clientProcess(MOVER).status()).containsPattern("switches=1\\b");
        }
    }
}
