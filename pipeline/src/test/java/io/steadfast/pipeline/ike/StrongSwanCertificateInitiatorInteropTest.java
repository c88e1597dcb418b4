package io.steadfast.pipeline.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.testing.RootTests;
import io.steadfast.handlers.tun.Netns;
import io.steadfast.ike.auth.Certificates;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.sa.IkeEvent;
import io.steadfast.ike.sa.ResponderConfig;
import io.steadfast.pipeline.testbed.Charon;
import io.steadfast.pipeline.testbed.Testbed;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * strongSwan 5.9.8 as initiator with an RSA certificate made by {@code pki} against our responder with an ECDSA one:
 * our CERTREQ in IKE_SA_INIT makes charon send its certificate, each side checks the other's chain and RFC 7427
 * signature, charon gets a virtual IP from our pool; a certificate from a CA we do not trust is refused in one line.
 */
class StrongSwanCertificateInitiatorInteropTest {
    @TempDir
    static Path pki;
    static Testbed bed;
    static Netns gw;
    static Charon charon;

    @BeforeAll
    static void client() throws Exception {
        StrongSwanTests.requireCharon();
        RootTests.requireTool("pki");
        PkiFiles.make(pki);
        bed = new Testbed();
        Netns client = bed.host("ssci");
        gw = bed.host("ourcgw");
        bed.link(client, "10.244.0.1/24", gw, "10.244.0.2/24");
        charon = Charon.start(client, swanctl("client"), Map.of("retransmit_tries", "2", "retransmit_timeout", "1",
                "install_virtual_ip", "yes"));
        charon.install("x509ca", pki.resolve("ca.crt"));
        for (String name : List.of("client", "stranger")) {
            charon.install("x509", pki.resolve(name + ".crt"));
            charon.install("private", pki.resolve(name + ".key"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (charon != null) charon.close();
        if (bed != null) bed.close();
    }

    static String swanctl(String certificate) {
        return """
                connections {
                  gw {
                    version = 2
                    local_addrs = 10.244.0.1
                    remote_addrs = 10.244.0.2
                    proposals = aes128gcm16-prfsha256-x25519
                    encap = yes
                    vips = 0.0.0.0
                    local { auth = pubkey
                      certs = %s.crt
                      id = client.example }
                    remote { auth = pubkey
                      id = gw.example }
                    children { net { remote_ts = 10.10.0.0/16
                      esp_proposals = aes128gcm16 } }
                  }
                }
                """.formatted(certificate);
    }

    static ResponderConfig ours() throws Exception {
        return ResponderConfig.psk("gw.example", Map.of(), "aes128gcm16-prfsha256-x25519", "aes128gcm16",
                List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16)), "10.99.0.0/24")
                .withCertificates(Certificates.fromPem(pki.resolve("gw.key"), pki.resolve("gw.crt"), pki.resolve("ca.crt")));
    }

    static CompletableFuture<String> swanctlAsync(String... args) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return charon.swanctl(args);
            } catch (java.io.IOException e) {
                return "FAILED " + e.getMessage();
            }
        });
    }

    @Test
    void strongSwanAuthenticatesWithItsCertificateAndAcceptsOurs() throws Exception {
        charon.configure(swanctl("client"));
        charon.loadAll();
        try (UdpIkeGateway ours = UdpIkeGateway.open(gw, InetAddress.getByName("10.244.0.2"), ours())) {
            CompletableFuture<String> initiate = swanctlAsync("--initiate", "--child", "net", "--timeout", "15");
            ours.runUntil(initiate::isDone, Duration.ofSeconds(20));
            assertThat(initiate.join()).as("charon log:%n%s", charon.log()).contains("initiate completed successfully");
            IkeEvent.ChildSaUp up = ours.event(IkeEvent.ChildSaUp.class);
            assertThat(up.sa().peerIdentity()).isEqualTo("fqdn:client.example");
            assertThat(up.child().virtualIp().getHostAddress()).isEqualTo("10.99.0.1");
            assertThat(charon.log()).contains("authentication of 'gw.example' with ECDSA_WITH_SHA256_DER successful");
            CompletableFuture<String> terminate = swanctlAsync("--terminate", "--ike", "gw", "--timeout", "10");
            ours.runUntil(() -> terminate.isDone() && ours.event(IkeEvent.Deleted.class) != null, Duration.ofSeconds(15));
            assertThat(ours.responder.sas()).isEmpty();
        }
    }

    @Test
    void aCertificateFromACaWeDoNotTrustIsRefusedInOneLine() throws Exception {
        charon.configure(swanctl("stranger"));
        charon.loadAll();
        try (LogLines log = new LogLines();
                UdpIkeGateway ours = UdpIkeGateway.open(gw, InetAddress.getByName("10.244.0.2"), ours())) {
            CompletableFuture<String> initiate = swanctlAsync("--initiate", "--child", "net", "--timeout", "15");
            ours.runUntil(initiate::isDone, Duration.ofSeconds(20));
            assertThat(initiate.join()).doesNotContain("initiate completed successfully");
            assertThat(log.warnings()).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("/10.244.0.1:4500 as fqdn:client.example failed authentication: its certificate"
                            + " 'CN=client.example' is not trusted"));
            assertThat(ours.responder.sas()).isEmpty();
        }
    }
}
