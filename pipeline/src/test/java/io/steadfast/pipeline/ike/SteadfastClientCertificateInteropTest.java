package io.steadfast.pipeline.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.testing.RootTests;
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
 * A {@code steadfast client} process authenticating with certificates made by strongSwan's {@code pki} (an RSA
 * client certificate; the gateway's is ECDSA, from the same CA; RFC 7427 signatures both ways) against charon,
 * as root in namespaces: virtual IP, a ping and a TCP transfer through the tunnel.
 */
class SteadfastClientCertificateInteropTest {
    @TempDir
    Path dir;

    @BeforeEach
    void prerequisites() {
        StrongSwanTests.requireCharon();
        RootTests.requireTool("pki");
    }

    @Test
    void theClientAuthenticatesWithItsCertificateAndTrafficFlows() throws Exception {
        Path pki = Files.createDirectories(dir.resolve("pki"));
        PkiFiles.make(pki);
        try (Testbed bed = new Testbed()) {
            Netns client = bed.host("ikecc");
            Netns gw = bed.router("ikecg");
            bed.link(client, "10.243.0.1/24", gw, "10.243.0.2/24");
            gw.run("ip", "addr", "add", "10.10.0.1/32", "dev", "lo");
            try (Charon charon = Charon.start(gw, """
                    connections {
                      rw {
                        version = 2
                        local_addrs = 10.243.0.2
                        proposals = aes128gcm16-prfsha256-x25519
                        encap = yes
                        pools = pool
                        local { auth = pubkey
                          certs = gw.crt
                          id = gw.example }
                        remote { auth = pubkey
                          id = client.example }
                        children { net { local_ts = 10.10.0.0/16
                          esp_proposals = aes128gcm16 } }
                      }
                    }
                    pools { pool { addrs = 10.99.0.7-10.99.0.7 } }
                    """, Map.of())) {
                charon.install("x509ca", pki.resolve("ca.crt"));
                charon.install("x509", pki.resolve("gw.crt"));
                charon.install("private", pki.resolve("gw.key"));
                charon.loadAll();
                Path profile = Files.writeString(dir.resolve("client.conf"), """
                        steadfast {
                          kind = client
                          name = ike-cert-client
                          control.socket = "%1$s/client.sock"
                          tun { name = sf-c, addresses = ["10.99.0.7/32"], routes = ["10.10.0.0/16"] }
                          udp { address = "0.0.0.0", port = 4500 }
                          ike.gateways = [{ name = gw, address = "10.243.0.2", local-id = client.example, remote-id = gw.example,
                                            certificate = "pki/client.crt", private-key = "pki/client.key", ca = "pki/ca.crt",
                                            remote-ts = ["10.10.0.0/16"] }]
                          pipelines {
                            outbound { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
                            inbound { source = udp, stages = [udp-recv, ike, esp-decrypt, tun-write] }
                          }
                        }
                        """.formatted(dir));
                SteadfastProcess steadfast = SteadfastProcess.start(client, "client", profile, dir.resolve("client.sock"), dir.resolve("client.log"));
                try {
                    steadfast.awaitReady();
                    long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                    while (!steadfast.status().contains("child-sas.up=1") && System.nanoTime() < end) Thread.sleep(100);
                    assertThat(steadfast.status()).as("%s%ncharon:%n%s", steadfast.log(), charon.log())
                            .contains("gateway gw 10.243.0.2:4500: ESTABLISHED, virtual IP 10.99.0.7");
                    assertThat(charon.log()).contains("authentication of 'client.example' with RSA_EMSA_PKCS1_SHA2_256 successful");
                    assertThat(client.run("ping", "-c", "2", "-i", "0.2", "-W", "2", "10.10.0.1")).contains("2 received");
                    try (TcpTransfer t = TcpTransfer.start(gw, "10.10.0.1", 5001, client, "10.99.0.7", 10L << 20, 8)) {
                        TcpTransfer.Result r = t.await(Duration.ofSeconds(60));
                        assertThat(r.intact()).as(r.toString()).isTrue();
                    }
                    assertThat(steadfast.stop()).isZero();
                    assertThat(steadfast.log()).doesNotContain("Exception");
                } finally {
                    steadfast.stop();
                }
            }
        }
    }
}
