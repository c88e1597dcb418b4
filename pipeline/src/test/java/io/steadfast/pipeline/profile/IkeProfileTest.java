package io.steadfast.pipeline.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.auth.TestPki;
import io.steadfast.pipeline.TestProfiles;
import io.steadfast.pipeline.config.Problem;
import io.steadfast.pipeline.config.ProfileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** steadfast.ike: gateways of a client and the responder of a gateway, and every mistake reported at its line. */
class IkeProfileTest {
    @TempDir
    Path dir;

    @BeforeEach
    void keys() throws Exception {
        Files.writeString(dir.resolve("gw.psk"), "a secret with spaces\n");
        Files.writeString(dir.resolve("clients.psk"), "# IDENTITY SECRET\nclient.example s3cret one\nother@example.org two\n");
        for (String f : List.of("gw.psk", "clients.psk")) Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-------"));
    }

    private static final String CLIENT_PIPELINES = """
            pipelines {
              out { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
              in { source = udp, stages = [udp-recv, ike, esp-decrypt, tun-write] }
            }
            """;

    private List<Problem> problemsOf(Path file) {
        try {
            TestProfiles.load(file);
        } catch (ProfileException e) {
            return e.problems();
        }
        throw new AssertionError("loaded without problems");
    }

    @Test
    void aClientNamesItsGatewaysWithDefaultsForPortProposalsAndSelectors() throws Exception {
        Profile p = TestProfiles.load(TestProfiles.write(dir, "c.conf", """
                steadfast {
                  kind = client
                  udp { address = "0.0.0.0", port = 4500 }
                  ike.gateways = [
                    { name = gw-a, address = "10.1.0.2", local-id = client.example, remote-id = gw.example, psk-file = gw.psk,
                      remote-ts = ["10.2.0.0/16"] }
                    { address = "10.4.0.2:14500", local-id = client.example, psk-file = gw.psk,
                      ike-proposals = "aes256gcm16-prfsha384-ecp256", esp-proposals = "chacha20poly1305" }
                  ]
                  %s
                }
                """.formatted(CLIENT_PIPELINES)));
        assertThat(p.ike().gateways()).hasSize(2);
        IkeSpec.Gateway a = p.ike().gateways().get(0), b = p.ike().gateways().get(1);
        assertThat(a.address().getPort()).isEqualTo(4500);
        assertThat(new String(a.psk(), StandardCharsets.UTF_8)).isEqualTo("a secret with spaces");
        assertThat(a.ikeProposals()).isEqualTo("aes128gcm16-prfsha256-x25519");
        assertThat(a.remoteTs().toString()).isEqualTo("[10.2.0.0/16]");
        assertThat(a.initiatorConfig().remoteId()).isNotNull();
        assertThat(a.toString()).doesNotContain("secret");
        assertThat(b.name()).isEqualTo("gw-2");
        assertThat(b.address().getPort()).isEqualTo(14500);
        assertThat(b.remoteTs().toString()).isEqualTo("[0.0.0.0/0]");
        assertThat(p.ike().responder()).isNull();
    }

    @Test
    void everyGatewayMistakeIsReported() {
        List<Problem> problems = problemsOf(TestProfiles.write(dir, "bad.conf", """
                steadfast {
                  kind = client
                  udp { address = "0.0.0.0", port = 4500 }
                  ike.gateways = [
                    { name = a, local-id = x, psk-file = gw.psk }
                    { name = b, address = "10.1.0.300", psk-file = nowhere.psk }
                    { name = c, address = "10.1.0.2", local-id = x, psk-file = gw.psk, ike-proposals = "aes128gcm16-prfsha256-nonsense" }
                    { name = d, address = "10.1.0.2", local-id = x, psk-file = gw.psk, colour = blue }
                    "no"
                  ]
                  %s
                }
                """.formatted(CLIENT_PIPELINES)));
        String all = problems.toString();
        assertThat(all).contains("gateways[0].address: missing");
        assertThat(all).contains("gateways[1].address: \"10.1.0.300\" is not an address");
        assertThat(all).contains("gateways[1].local-id: missing");
        assertThat(all).contains("gateways[1].psk-file: cannot read").contains("nowhere.psk");
        assertThat(all).contains("gateways[2].ike-proposals:").contains("nonsense");
        assertThat(all).contains("gateways[3].colour");
        assertThat(all).contains("gateways[4]: expected a gateway");
    }

    @Test
    void certificateMistakesAreReported() throws Exception {
        Files.writeString(dir.resolve("not-a.crt"), "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----\n");
        String all = problemsOf(TestProfiles.write(dir, "cert.conf", """
                steadfast {
                  kind = client
                  udp { address = "0.0.0.0", port = 4500 }
                  ike.gateways = [
                    { name = a, address = "10.1.0.2", local-id = x, certificate = not-a.crt }
                    { name = b, address = "10.1.0.3", local-id = x, certificate = not-a.crt, private-key = gw.psk, ca = not-a.crt }
                    { name = c, address = "10.1.0.4", local-id = x }
                  ]
                  %s
                }
                """.formatted(CLIENT_PIPELINES))).toString();
        assertThat(all).contains("gateways[0].private-key: missing").contains("gateways[0].ca: missing");
        assertThat(all).contains("gateways[1].certificate: cannot load");
        assertThat(all).contains("gateways[2].psk-file: missing").contains("or certificate + private-key + ca");
    }

    @Test
    void theIkeStageBelongsBetweenUdpRecvAndEspDecryptAndNeedsGateways() {
        String all = problemsOf(TestProfiles.write(dir, "order.conf", """
                steadfast {
                  kind = client
                  udp { address = "0.0.0.0", port = 4500 }
                  pipelines {
                    out { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
                    in { source = udp, stages = [udp-recv, esp-decrypt, ike, tun-write] }
                  }
                }
                """)).toString();
        assertThat(all).contains("ike takes the IKE messages of the UDP socket").contains("before esp-decrypt");
        assertThat(all).contains("stage ike needs steadfast.ike { gateways");
        assertThat(all).contains("stage esp-encrypt needs at least one outbound SA");
    }

    @Test
    void aGatewayNamesItsResponderWithAPskPerClient() throws Exception {
        Profile p = TestProfiles.load(TestProfiles.write(dir, "g.conf", """
                steadfast {
                  kind = gateway
                  udp { address = "10.1.0.2", port = 4500 }
                  ike.responder { local-id = gw.example, psk-file = clients.psk, pool = "10.99.0.0/24", local-ts = ["10.2.0.0/16"] }
                  pipelines {
                    out { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
                    in { source = udp, stages = [udp-recv, ike-responder, esp-decrypt, tun-write] }
                  }
                }
                """));
        IkeSpec.Responder r = p.ike().responder();
        assertThat(r.psks()).containsOnlyKeys("client.example", "other@example.org");
        assertThat(new String(r.psks().get("client.example"), StandardCharsets.UTF_8)).isEqualTo("s3cret one");
        assertThat(r.pool().toString()).isEqualTo("10.99.0.0/24");
        assertThat(r.responderConfig()).isNotNull();
    }

    @Test
    void aGatewayResponderMayHaveACertificateBesideOrInsteadOfPsks() throws Exception {
        TestPki.Ca ca = TestPki.ca("CN=Profile CA", TestPki.keys("EC", 256));
        KeyPair keys = TestPki.keys("EC", 256);
        TestPki.writePem(dir.resolve("ca.crt"), ca.certificate());
        TestPki.writePem(dir.resolve("gw.crt"), TestPki.issue(ca, "CN=gw.example", keys, "gw.example"));
        TestPki.writePem(dir.resolve("gw.key"), keys.getPrivate());
        String pipelines = """
                pipelines {
                  out { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
                  in { source = udp, stages = [udp-recv, ike-responder, esp-decrypt, tun-write] }
                }""";
        for (String psk : List.of("", "psk-file = clients.psk,")) {
            Profile p = TestProfiles.load(TestProfiles.write(dir, "gc.conf", """
                    steadfast {
                      kind = gateway
                      udp { address = "10.1.0.2", port = 4500 }
                      ike.responder { local-id = gw.example, %s certificate = gw.crt, private-key = gw.key, ca = ca.crt,
                                      pool = "10.99.0.0/24" }
                      %s
                    }
                    """.formatted(psk, pipelines)));
            IkeSpec.Responder r = p.ike().responder();
            assertThat(r.psks()).hasSize(psk.isEmpty() ? 0 : 2);
            assertThat(r.certificates().certificate().getSubjectX500Principal().getName()).isEqualTo("CN=gw.example");
            assertThat(r.certificates().trustAnchors()).containsExactly(ca.certificate());
            assertThat(r.responderConfig().certificates()).isSameAs(r.certificates());
        }
        String all = problemsOf(TestProfiles.write(dir, "gcbad.conf", """
                steadfast {
                  kind = gateway
                  udp { address = "10.1.0.2", port = 4500 }
                  ike.responder { local-id = gw.example, certificate = gw.crt, pool = "10.99.0.0/24" }
                  %s
                }
                """.formatted(pipelines))).toString();
        assertThat(all).contains("responder.private-key: missing").contains("responder.ca: missing; expected the PEM file of"
                + " the CA clients' certificates must chain to");
        all = problemsOf(TestProfiles.write(dir, "gcnone.conf", """
                steadfast {
                  kind = gateway
                  udp { address = "10.1.0.2", port = 4500 }
                  ike.responder { local-id = gw.example, pool = "10.99.0.0/24" }
                  %s
                }
                """.formatted(pipelines))).toString();
        assertThat(all).contains("responder.psk-file: missing").contains("or certificate + private-key + ca");
    }

    @Test
    void responderMistakesAreReported() throws Exception {
        Files.writeString(dir.resolve("empty.psk"), "# nobody\n");
        String all = problemsOf(TestProfiles.write(dir, "rbad.conf", """
                steadfast {
                  kind = gateway
                  udp { address = "10.1.0.2", port = 4500 }
                  ike.responder { psk-file = empty.psk, pool = "10.99.0.0/33" }
                  pipelines { in { source = udp, stages = [udp-recv, ike-responder, esp-decrypt, tun-write] } }
                }
                """)).toString();
        assertThat(all).contains("responder.local-id: missing").contains("names no client").contains("responder.pool:");
    }
}
