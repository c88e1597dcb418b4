package io.steadfast.pipeline.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.testing.RootTests;
import io.steadfast.handlers.tun.Netns;
import io.steadfast.ike.auth.Certificates;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.sa.ChildSa;
import io.steadfast.ike.sa.IkeEvent;
import io.steadfast.ike.sa.IkeSa;
import io.steadfast.ike.sa.InitiatorConfig;
import io.steadfast.ike.sa.Retransmission;
import io.steadfast.pipeline.testbed.Charon;
import io.steadfast.pipeline.testbed.Testbed;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our initiator with certificates made by strongSwan's {@code pki} against charon as the gateway: an RSA client
 * certificate and an ECDSA gateway certificate from one CA, RFC 7427 signatures both ways, then a ping through the
 * Child SA; and certificates from a CA the other side does not trust each fail with one clear line.
 */
class StrongSwanCertificateInteropTest {
    static final InetSocketAddress GATEWAY = new InetSocketAddress(StrongSwanInteropTest.address("10.243.0.2"), 500);
    static final List<TrafficSelector> CLOUD = List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16));

    @TempDir
    static Path pki;
    static Testbed bed;
    static Netns client;
    static Charon charon;

    @BeforeAll
    static void gateway() throws Exception {
        StrongSwanTests.requireCharon();
        RootTests.requireTool("pki");
        PkiFiles.make(pki);

        bed = new Testbed();
        client = bed.host("ikecc");
        Netns gw = bed.router("ikecg");
        bed.link(client, "10.243.0.1/24", gw, "10.243.0.2/24");
        gw.run("ip", "addr", "add", "10.10.0.1/32", "dev", "lo");
        charon = Charon.start(gw, swanctl(), Map.of("retransmit_tries", "2", "retransmit_timeout", "1"));
        charon.install("x509ca", pki.resolve("ca.crt"));
        charon.install("x509", pki.resolve("gw.crt"));
        charon.install("private", pki.resolve("gw.key"));
        String loaded = charon.loadAll();
        assertThat(loaded).contains("loaded certificate", "loaded ECDSA key");
    }

    @AfterAll
    static void stop() throws Exception {
        if (charon != null) charon.close();
        if (bed != null) bed.close();
    }

    static String swanctl() {
        return """
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
                pools { pool { addrs = 10.99.0.0/24 } }
                """;
    }

    static InitiatorConfig ours(String certificate, String trustedCa) throws Exception {
        Certificates credentials = Certificates.fromPem(pki.resolve(certificate + ".key"), pki.resolve(certificate + ".crt"),
                pki.resolve(trustedCa + ".crt"));
        return new InitiatorConfig("client.example", "gw.example", null, "aes128gcm16-prfsha256-x25519", "aes128gcm16",
                CLOUD, true, true, 4500, 1280, new Retransmission(Duration.ofMillis(500), 2.0, 3), Duration.ofSeconds(30),
                credentials);
    }

    static UdpIkeClient connect(InitiatorConfig config, int port) throws Exception {
        UdpIkeClient c = UdpIkeClient.open(client, new InetSocketAddress(StrongSwanInteropTest.address("10.243.0.1"), port));
        c.start(config, GATEWAY);
        return c;
    }

    @Test
    void rsaClientAndEcdsaGatewayCertificates() throws Exception {
        try (UdpIkeClient c = connect(ours("client", "ca"), 41001)) {
            IkeEvent.ChildSaUp up = c.await(IkeEvent.ChildSaUp.class, Duration.ofSeconds(10));
            assertThat(up).as("failure: %s; charon log:%n%s", c.failure(), charon.log()).isNotNull();
            assertThat(c.sa.peerIdentity()).isEqualTo("fqdn:gw.example");
            assertThat(charon.log()).contains("authentication of 'client.example' with RSA_EMSA_PKCS1_SHA2_256 successful");
            ChildSa child = up.child();
            Inet4Address cloud = (Inet4Address) InetAddress.getByName("10.10.0.1");
            c.sendEsp(child, Icmp.echoRequest(child.virtualIp(), cloud, 0x4242, 1));
            assertThat(Icmp.isEchoReply(c.receiveEsp(child, Duration.ofSeconds(5)), cloud, 0x4242, 1)).isTrue();
            c.act(c.sa.close(System.nanoTime()));
            assertThat(c.await(IkeEvent.Deleted.class, Duration.ofSeconds(5))).isNotNull();
            assertThat(c.sa.state()).isEqualTo(IkeSa.State.CLOSED);
        }
    }

    @Test
    void aClientCertificateFromAnUntrustedCaIsOneClearError() throws Exception {
        try (LogLines log = new LogLines(); UdpIkeClient c = connect(ours("stranger", "ca"), 41002)) {
            assertThat(c.await(IkeEvent.ChildSaUp.class, Duration.ofSeconds(10))).isNull();
            String expected = "/10.243.0.2:4500 rejected our identity fqdn:client.example (AUTHENTICATION_FAILED): it does"
                    + " not trust our certificate, or does not know our identity";
            assertThat(c.failure()).isEqualTo(expected);
            assertThat(log.warnings()).containsExactly(expected);
        }
    }

    @Test
    void aGatewayCertificateWeDoNotTrustIsOneClearError() throws Exception {
        try (LogLines log = new LogLines(); UdpIkeClient c = connect(ours("client", "rogue"), 41003)) {
            assertThat(c.await(IkeEvent.ChildSaUp.class, Duration.ofSeconds(10))).isNull();
            assertThat(c.failure()).startsWith("/10.243.0.2:4500 as fqdn:gw.example failed authentication: its certificate"
                    + " 'CN=gw.example' is not trusted");
            assertThat(log.warnings()).containsExactly(c.failure());
        }
    }
}
