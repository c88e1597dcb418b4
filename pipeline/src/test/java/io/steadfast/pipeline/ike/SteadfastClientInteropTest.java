package io.steadfast.pipeline.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.tun.Netns;
import io.steadfast.pipeline.testbed.Charon;
import io.steadfast.pipeline.testbed.SteadfastProcess;
import io.steadfast.pipeline.testbed.TcpTransfer;
import io.steadfast.pipeline.testbed.Testbed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole client against strongSwan 5.9.8, as root in namespaces: a {@code steadfast client} process whose
 * profile names the {@code ike} stage negotiates its SAs with charon (PSK, virtual IP, on the ESP socket),
 * puts them into its ESP stages, and the kernel's ping and a TCP transfer cross the tunnel to the cloud
 * behind the gateway. Stopping the client deletes its SAs on the gateway.
 *
 * <pre>
 *  C [sf-c 10.99.0.7] 10.241.0.1 == 10.241.0.2 G (charon, kernel-libipsec; cloud 10.10.0.1 on lo; pool 10.99.0.7)
 * </pre>
 */
class SteadfastClientInteropTest {
    private static final String PSK = "steadfast-client-interop-psk";

    @TempDir
    Path dir;

    @BeforeEach
    void prerequisites() {
        StrongSwanTests.requireCharon();
    }

    private static String swanctl() {
        return """
                connections {
                  rw {
                    version = 2
                    local_addrs = 10.241.0.2
                    proposals = aes128gcm16-prfsha256-x25519
                    encap = yes
                    dpd_delay = 2s
                    pools = pool
                    local { auth = psk
                      id = gw.example }
                    remote { auth = psk
                      id = client.example }
                    children { net { local_ts = 10.10.0.0/16
                      esp_proposals = aes128gcm16 } }
                  }
                }
                pools { pool { addrs = 10.99.0.7-10.99.0.7 } }
                secrets { ike-client { id-1 = client.example
                  id-2 = gw.example
                  secret = "%s" } }
                """.formatted(PSK);
    }

    /** Starts {@code steadfast client} in {@code ns} with the ike stage toward G, {@code settings} added to its profile. */
    private SteadfastProcess startClient(Netns ns, String settings) throws Exception {
        Testbed.writeSecret(dir.resolve("gw.psk"), PSK + "\n");
        Path profile = Files.writeString(dir.resolve("client.conf"), """
                steadfast {
                  kind = client
                  name = ike-client
                  control.socket = "%s/client.sock"
                  tun { name = sf-c, addresses = ["10.99.0.7/32"], routes = ["10.10.0.0/16"] }
                  udp { address = "0.0.0.0", port = 4500 }
                  ike {
                    gateways = [{ name = gw, address = "10.241.0.2", local-id = client.example, remote-id = gw.example,
                                  psk-file = gw.psk, remote-ts = ["10.10.0.0/16"] }]
                  }
                  pipelines {
                    outbound { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
                    inbound { source = udp, stages = [udp-recv, ike, esp-decrypt, tun-write] }
                  }
                  %s
                }
                """.formatted(dir, settings));
        return SteadfastProcess.start(ns, "client", profile, dir.resolve("client.sock"),
                dir.resolve("client.log"), "-Dio.netty.leakDetection.level=paranoid");
    }

    /** What a test does once the client is up with charon. */
    private interface WithClient {
        void run(Netns client, Netns gw, Charon charon, SteadfastProcess steadfast) throws Exception;
    }

    /**
     * Builds C and G, starts charon and the client ({@code settings} added to its profile), waits until the client
     * has its IKE SA and Child SA (or fails with charon's log), runs {@code test}, and stops everything.
     */
    private void withClient(String settings, WithClient test) throws Exception {
        try (Testbed bed = new Testbed()) {
            Netns client = bed.host("ikec");
            Netns gw = bed.router("ikegw");
            bed.link(client, "10.241.0.1/24", gw, "10.241.0.2/24");
            gw.run("ip", "addr", "add", "10.10.0.1/32", "dev", "lo");
            try (Charon charon = Charon.start(gw, swanctl(), Map.of())) {
                charon.loadAll();
                SteadfastProcess steadfast = startClient(client, settings);
                try {
                    steadfast.awaitReady();
                    try {
                        steadfast.awaitStatus("ike-sas=1 child-sas.up=1", Duration.ofSeconds(15));
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e.getMessage() + "\ncharon:\n" + charon.log(), e);
                    }
                    test.run(client, gw, charon, steadfast);
                } finally {
                    steadfast.stop();
                }
            }
        }
    }

    @Test
    void theClientNegotiatesWithStrongSwanAndPingAndTcpCrossTheTunnel() throws Exception {
        withClient("", (client, gw, charon, steadfast) -> {
            String status = steadfast.status();
            assertThat(status).contains("gateway gw 10.241.0.2:4500: ESTABLISHED, virtual IP 10.99.0.7");
            assertThat(charon.listSas()).contains("ESTABLISHED", "client.example", "10.99.0.7", "INSTALLED");

            assertThat(client.run("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.10.0.1")).contains("3 received");
            // A TCP stream while strongSwan rekeys the Child SA and then the IKE SA: nothing breaks.
            try (TcpTransfer t = TcpTransfer.start(gw, "10.10.0.1", 5001, client, "10.99.0.7", 60L << 20, 3, 10L << 20)) {
                assertThat(t.awaitReceived(10L << 20, Duration.ofSeconds(30))).isTrue();
                assertThat(charon.swanctl("--rekey", "--child", "net")).contains("rekey completed successfully");
                assertThat(t.awaitReceived(30L << 20, Duration.ofSeconds(30))).isTrue();
                assertThat(charon.swanctl("--rekey", "--ike", "rw")).contains("rekey completed successfully");
                TcpTransfer.Result r = t.await(Duration.ofSeconds(60));
                assertThat(r.intact()).as(r + "\n" + steadfast.status()).isTrue();
                assertThat(r.largestGap()).as("no outage across the rekeys").isLessThan(Duration.ofMillis(500));
            }
            assertThat(steadfast.log()).contains("ike: gw: Child SA rekeyed").doesNotContain("wants a rekey");
            assertThat(steadfast.status()).containsPattern("esp-encrypt\\s+gw\\.packets=[1-9]")
                    .containsPattern("ike\\s+ike-sas=1 child-sas\\.up=1 datagrams\\.in=\\d+")
                    .contains("child-sas.rekeys-started=0");

            assertThat(steadfast.stop()).isZero();
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (charon.hasSas() && System.nanoTime() < end) Thread.sleep(50);
            assertThat(charon.hasSas()).as("our client deleted its SAs on the gateway:%n%s", charon.listSas()).isFalse();
            assertThat(steadfast.log()).contains("ike: gw: deleting the IKE SA").doesNotContain("LEAK").doesNotContain("Exception");
        });
    }

    @Test
    void theClientRekeysItsChildSaByItselfAndAStreamCrossesTheRekeysIntact() throws Exception {
        // strongSwan rekeys by time only (an hour); our client rekeys after 3000 packets either way.
        withClient("stages.ike.rekey-packets = 3000", (client, gw, charon, steadfast) -> {
            String firstSas = charon.listSas();
            try (TcpTransfer t = TcpTransfer.start(gw, "10.10.0.1", 5001, client, "10.99.0.7", 30L << 20, 3, 10L << 20)) {
                TcpTransfer.Result r = t.await(Duration.ofSeconds(60));
                assertThat(r.intact()).as(r + "\n" + steadfast.status()).isTrue();
                assertThat(r.largestGap()).as("no outage across our rekeys").isLessThan(Duration.ofMillis(500));
            }
            assertThat(steadfast.log()).contains("ike: gw: Child SA in 0x").contains("wants a rekey")
                    .contains("ike: gw: Child SA rekeyed");
            assertThat(steadfast.status()).containsPattern("child-sas\\.rekeys-started=[1-9]");
            String sas = charon.listSas();
            assertThat(sas).as("charon has the rekeyed Child SA installed").contains("INSTALLED").isNotEqualTo(firstSas);
            assertThat(client.run("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.10.0.1")).contains("3 received");
            assertThat(steadfast.log()).doesNotContain("LEAK").doesNotContain("Exception");
        });
    }
}
