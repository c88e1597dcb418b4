package io.steadfast.pipeline.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.esp.EspAlgorithm;
import io.steadfast.pipeline.TestProfiles;
import io.steadfast.pipeline.config.Problem;
import io.steadfast.pipeline.config.ProfileException;
import io.steadfast.pipeline.config.Problems;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ESP part of profiles: SAs, the key file, the UDP socket, and what ESP stages need. */
class EspProfileTest {
    static final String KEY20 = "0x" + "11".repeat(20);
    static final String KEY36 = "0x" + "22".repeat(36);

    @TempDir
    Path dir;

    @BeforeEach
    void keyFile() throws Exception {
        Files.writeString(dir.resolve("k.keys"), """
                # comment
                0x00001001 %s

                0x00002001   %s
                4098 %s
                """.formatted(KEY20, KEY36, KEY20));
        Files.setPosixFilePermissions(dir.resolve("k.keys"), PosixFilePermissions.fromString("rw-------"));
    }

    private Path profile(String esp, String pipelines) {
        return TestProfiles.write(dir, "p.conf", """
                steadfast {
                  kind = client
                  udp { address = "10.1.0.1", port = 0, receive-buffer = 1m }
                  esp {
                    key-file = "k.keys"
                    %s
                  }
                  pipelines { %s }
                }
                """.formatted(esp, pipelines));
    }

    private static final String DATA_PATH = """
            out { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
            in { source = udp, stages = [udp-recv, esp-decrypt, tun-write] }
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
    void readsSasWithKeysFromTheKeyFileRelativeToTheProfile() throws Exception {
        Profile p = TestProfiles.load(profile("""
                security-associations = [
                  { name = to-gw, direction = out, spi = "0x00001001", algorithm = aes128gcm16, peer = "10.1.0.2:4500", traffic-selector = "10.2.0.0/16" }
                  { direction = in, spi = "0x2001", algorithm = chacha20poly1305, esn = true }
                  { direction = in, spi = 4098, algorithm = AES128GCM16 }
                ]
                """, DATA_PATH));
        assertThat(p.esp().keyFile()).isEqualTo(dir.resolve("k.keys"));
        assertThat(p.esp().replayWindow()).isEqualTo(1024);
        SaSpec out = p.esp().outbound().get(0);
        assertThat(out.name()).isEqualTo("to-gw");
        assertThat(out.spi()).isEqualTo(0x1001);
        assertThat(out.algorithm()).isEqualTo(EspAlgorithm.AES128GCM16);
        assertThat(out.peer()).isEqualTo(new InetSocketAddress("10.1.0.2", 4500));
        assertThat(out.trafficSelector().toString()).isEqualTo("10.2.0.0/16");
        assertThat(out.keyMaterial()).hasSize(20).containsOnly((byte) 0x11);
        SaSpec in = p.esp().inbound().get(0);
        assertThat(in.name()).isEqualTo("in-0x00002001");
        assertThat(in.esn()).isTrue();
        assertThat(in.keyMaterial()).hasSize(36);
        assertThat(p.esp().inbound().get(1).spi()).isEqualTo(4098);
        assertThat(p.udp().local()).isEqualTo(new InetSocketAddress("10.1.0.1", 0));
        assertThat(p.udp().receiveBuffer()).isEqualTo(1 << 20);
        assertThat(p.udp().sendBuffer()).isEqualTo(4 << 20);
        assertThat(p.needsUdp()).isTrue();
        assertThat(out.toString()).contains("spi 0x00001001").contains("peer 10.1.0.2:4500").doesNotContain("11");
    }

    @Test
    void everySaMistakeIsReportedAtItsLine() {
        List<Problem> problems = problemsOf(profile("""
                security-associations = [
                  { direction = out, spi = "0x00001001", algorithm = aes128gcm16 }
                  { direction = sideways, spi = "0x00002001", algorithm = aes256gcm16 }
                  { direction = in, spi = "0x00000010", algorithm = aes128gcm16 }
                  { direction = in, spi = "0x00002001", algorithm = des }
                  { direction = in, spi = "0x00009999", algorithm = aes128gcm16 }
                  { direction = in, spi = "0x00002001", algorithm = aes128gcm16, peer = "10.0.0.1:1" }
                  { direction = out, spi = 4097, algorithm = aes128gcm16, peer = "10.0.0.1", traffic-selector = "10.0.0.0/40" }
                  "not an object"
                ]
                """, DATA_PATH));
        String all = problems.toString();
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.key()).isEqualTo("steadfast.esp.security-associations[0].peer");
            assertThat(p.message()).startsWith("missing");
            assertThat(p.line()).isEqualTo(7);
        });
        assertThat(all).contains("security-associations[1].direction: \"sideways\" is not allowed");
        assertThat(all).contains("security-associations[2].spi: SPI 0x00000010 is out of range");
        assertThat(all).contains("security-associations[3].algorithm:").contains("des");
        assertThat(all).contains("security-associations[4].spi: no key for SPI 0x00009999");
        assertThat(all).contains("security-associations[5].peer: only outbound SAs have a peer");
        assertThat(all).contains("security-associations[5].algorithm: aes128gcm16 takes 20 bytes of key material");
        assertThat(all).contains("security-associations[6].peer: \"10.0.0.1\" is not an endpoint");
        assertThat(all).contains("security-associations[6].traffic-selector:");
        assertThat(all).contains("security-associations[7]: expected an SA");
    }

    @Test
    void aClientWithTwoGatewaysNamesTheCareOfAddressOfEachAndTheRelayStartsWithTheFirst() throws Exception {
        Files.writeString(dir.resolve("relay.keys"), "7 10.9.0.1 0x" + "ab".repeat(32) + "\n");
        Files.setPosixFilePermissions(dir.resolve("relay.keys"), PosixFilePermissions.fromString("rw-------"));
        Path file = TestProfiles.write(dir, "roam.conf", """
                steadfast {
                  kind = client
                  tun { name = sf-c, addresses = ["10.9.0.1/32"] }
                  udp { address = "0.0.0.0", port = 4500 }
                  esp {
                    key-file = "k.keys"
                    security-associations = [
                      { name = to-a, direction = out, spi = "0x00001001", algorithm = aes128gcm16, peer = "10.1.0.2:4500", care-of = "10.100.1.5" }
                      { name = to-b, direction = out, spi = 4098, algorithm = aes128gcm16, peer = "10.4.0.2:4500", care-of = "10.100.2.5" }
                      { direction = in, spi = "0x2001", algorithm = chacha20poly1305 }
                    ]
                  }
                  relay { address = "10.20.0.2", client-id = 7, key-file = "relay.keys" }
                  pipelines {
                    out { source = tun, stages = [tun-read, ipip-encap, relay-client, esp-encrypt, udp-send] }
                    in { source = udp, stages = [udp-recv, esp-decrypt, ipip-decap, tun-write] }
                  }
                }
                """);
        Profile p = TestProfiles.load(file);
        assertThat(p.esp().outbound()).extracting(SaSpec::careOf).containsExactly(0x0a640105, 0x0a640205);
        assertThat(p.relay().careOf()).as("V until the first switch: to-a's").isEqualTo(0x0a640105);
        assertThat(p.esp().outbound().get(1).toString()).endsWith("care-of 10.100.2.5)");

        Path explicit = TestProfiles.write(dir, "roam2.conf", Files.readString(file)
                .replace("key-file = \"relay.keys\" }", "key-file = \"relay.keys\", care-of = \"10.100.9.9\" }"));
        assertThat(TestProfiles.load(explicit).relay().careOf()).as("relay.care-of wins").isEqualTo(0x0a640909);
    }

    @Test
    void careOfMistakesAreReported() {
        List<Problem> problems = problemsOf(profile("""
                security-associations = [
                  { direction = out, spi = "0x00001001", algorithm = aes128gcm16, peer = "10.1.0.2:4500", care-of = "10.100.1" }
                  { direction = out, spi = 4098, algorithm = aes128gcm16, peer = "10.1.0.3:4500", care-of = "0.0.0.0" }
                  { direction = in, spi = "0x00002001", algorithm = chacha20poly1305, care-of = "10.100.1.5" }
                ]
                """, DATA_PATH));
        String all = problems.toString();
        assertThat(all).contains("security-associations[0].care-of: \"10.100.1\" is not a dotted-quad IPv4 address; expected the tunnel address");
        assertThat(all).contains("security-associations[1].care-of: 0.0.0.0 is no tunnel address");
        assertThat(all).contains("security-associations[2].care-of: only outbound SAs have a care-of");
    }

    @Test
    void espStagesWithoutSasAreRefused() {
        Path file = TestProfiles.write(dir, "nosa.conf", """
                steadfast {
                  kind = client
                  pipelines {
                    out { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
                    in { source = udp, stages = [udp-recv, esp-decrypt, tun-write] }
                  }
                }
                """);
        String all = problemsOf(file).toString();
        assertThat(all).contains("stage esp-encrypt needs at least one outbound SA");
        assertThat(all).contains("stage esp-decrypt needs at least one inbound SA");
    }

    @Test
    void sasNeedAKeyFile() {
        Path file = TestProfiles.write(dir, "nokeys.conf", """
                steadfast {
                  kind = client
                  esp.security-associations = [{ direction = in, spi = "0x1001", algorithm = aes128gcm16 }]
                  pipelines { in { source = udp, stages = [udp-recv, esp-decrypt, tun-write] } }
                }
                """);
        assertThat(problemsOf(file).toString()).contains("steadfast.esp.key-file: empty; expected a file path");
    }

    @Test
    void keyFileMistakesNameTheKeyFileAndLine() throws Exception {
        Path keys = Files.writeString(dir.resolve("bad.keys"), """
                0x00001001 %s
                0x00001001 %s
                0x1002
                0x1003 0xabc
                0x1004 0xzz
                banana 0x00
                """.formatted(KEY20, KEY20));
        Problems problems = new Problems();
        Map<Integer, byte[]> read = KeyFile.read(keys, problems);
        assertThat(read).containsOnlyKeys(0x1001);
        assertThat(problems.list()).extracting(Problem::line).containsExactly(2, 3, 4, 5, 6);
        assertThat(problems.list()).allSatisfy(p -> assertThat(p.file()).isEqualTo(keys.toString()));
        assertThat(problems.list().get(0).message()).contains("appears twice");
        assertThat(problems.list().get(1).message()).contains("expected: SPI KEY-MATERIAL");
        assertThat(problems.list().get(2).message()).contains("even number of hex digits");
        assertThat(problems.list().get(4).message()).contains("\"banana\" is not an SPI");
        assertThat(String.valueOf(problems.list())).doesNotContain("11111111"); // never print keys
    }

    @Test
    void aMissingKeyFileIsOneProblem() {
        Problems problems = new Problems();
        KeyFile.read(dir.resolve("absent.keys"), problems);
        assertThat(problems.list()).singleElement().satisfies(p -> assertThat(p.message()).startsWith("cannot read the key file"));
    }

    @Test
    void badUdpSettingsAreProblems() {
        Path file = TestProfiles.write(dir, "udp.conf", """
                steadfast {
                  kind = gateway
                  udp { address = "10.1.0.300", port = 70000, send-buffer = tiny, colour = red }
                  pipelines { in { source = udp, stages = [udp-recv, discard] } }
                }
                """);
        assertThat(problemsOf(file)).extracting(Problem::key).containsExactlyInAnyOrder(
                "steadfast.udp.address", "steadfast.udp.port", "steadfast.udp.send-buffer", "steadfast.udp.colour");
    }
}
