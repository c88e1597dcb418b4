package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Wireshark's ESP dissector as an independent receiver: we seal ICMP echoes, wrap them in IPv4/UDP 4500
 * (RFC 3948), write a pcap, and let tshark decrypt them with the SA in its {@code esp_sa} table; it must
 * show the inner addresses, the ICMP fields and our sequence numbers. Skipped without tshark, except
 * under CI=true, where a missing tshark fails the test.
 *
 * <p>The command line (Wireshark 4.0; UAT columns: protocol, source, destination, SPI, encryption
 * algorithm, encryption key, authentication algorithm, authentication key):
 * <pre>
 * tshark -n -r esp.pcap -o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE \
 *   -o 'uat:esp_sa:"IPv4","192.0.2.1","198.51.100.1","0x00c0ffee","AES-GCM with 16 octet ICV [RFC4106]","0x&lt;key||salt&gt;","NULL",""' \
 *   -T fields -E occurrence=a -E aggregator=, -e esp.spi -e esp.sequence -e ip.src -e ip.dst -e icmp.type -e esp.icv_good
 * </pre>
 * Addresses may be {@code "*"}; NULL encryption takes {@code "NULL",""}; AES-128 and AES-256 share the name,
 * the key length tells them apart; Wireshark 4.0 knows no ESN, so only 32-bit sequence numbers decode.
 * Wireshark before 4.2 has no ChaCha20-Poly1305 in that table and rejects the name; then only the
 * cleartext ESP header is checked and the test says so.
 */
class TsharkInteropTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final int OUTER_SRC = TestPackets.address("192.0.2.1");
    static final int OUTER_DST = TestPackets.address("198.51.100.1");
    static final int INNER_SRC = TestPackets.address("10.9.0.2");
    static final int INNER_DST = TestPackets.address("10.9.0.1");
    static final int SPI = 0x00c0ffee;
    static final int PACKETS = 3;

    static Path tshark;

    @TempDir
    Path dir;

    @BeforeAll
    static void findTshark() {
        tshark = findOnPath("tshark");
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (tshark == null && ci) {
            throw new AssertionError("CI=true but tshark is not on the PATH (apt-get install -y tshark)");
        }
        assumeTrue(tshark != null, "tshark is not on the PATH");
    }

    /** Wireshark's name of the transform in the esp_sa table. */
    static String wiresharkEncryption(EspAlgorithm alg) {
        return switch (alg) {
            case AES128GCM16, AES256GCM16 -> "AES-GCM with 16 octet ICV [RFC4106]";
            case CHACHA20POLY1305 -> "ChaCha20 with Poly1305 [RFC7634]";
            case NULL -> "NULL";
        };
    }

    /** One row of the esp_sa UAT for an SA from OUTER_SRC to OUTER_DST. */
    static String uatRow(EspAlgorithm alg, int spi, byte[] keyMaterial) {
        String key = keyMaterial.length == 0 ? "" : "0x" + Hex.of(keyMaterial);
        return String.format("\"IPv4\",\"192.0.2.1\",\"198.51.100.1\",\"0x%08x\",\"%s\",\"%s\",\"NULL\",\"\"",
                spi, wiresharkEncryption(alg), key);
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void tsharkDecryptsOurEspInUdp(EspAlgorithm alg) throws Exception {
        byte[] km = TestPackets.keyMaterial(alg, 2024);
        Path pcap = writeCapture(alg, km);
        String uat = uatRow(alg, SPI, km);
        List<String> command = List.of(tshark.toString(), "-n", "-r", pcap.toString(),
                "-o", "esp.enable_encryption_decode:TRUE",
                "-o", "esp.enable_authentication_check:TRUE",
                "-o", "uat:esp_sa:" + uat,
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,",
                "-e", "udp.dstport", "-e", "esp.spi", "-e", "esp.sequence", "-e", "ip.src", "-e", "ip.dst",
                "-e", "icmp.type", "-e", "icmp.seq", "-e", "esp.pad_len", "-e", "esp.protocol", "-e", "esp.icv_good");
        Result result = run(command);
        if (result.exit != 0 && result.stderr.contains("invalid value: " + wiresharkEncryption(alg))) {
            System.out.println("tshark " + version() + " cannot decrypt " + alg.keyword() + ": " + result.stderr.strip());
            checkHeadersOnly(pcap);
            return;
        }
        assertThat(result.exit).as("tshark failed: %s", result.stderr).isZero();
        System.out.println(alg.keyword() + ": " + String.join(" ", command) + "\n" + result.stdout.strip());
        if (System.getenv("ESP_PCAP_DIR") != null) {
            Files.copy(pcap, Path.of(System.getenv("ESP_PCAP_DIR"), pcap.getFileName().toString()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> lines = result.lines();
        assertThat(lines).as(String.join("\n", command) + "\n" + result.stdout).hasSize(PACKETS);
        for (int i = 0; i < PACKETS; i++) {
            String[] f = lines.get(i).split("\t", -1);
            assertThat(f[0]).isEqualTo("4500");
            assertThat(f[1]).isEqualTo(String.format("0x%08x", SPI));
            assertThat(f[2]).isEqualTo(String.valueOf(i + 1));
            assertThat(f[3]).as("outer then inner source").isEqualTo("192.0.2.1,10.9.0.2");
            assertThat(f[4]).as("outer then inner destination").isEqualTo("198.51.100.1,10.9.0.1");
            assertThat(f[5]).as("ICMP echo request inside").isEqualTo("8");
            assertThat(f[6]).isEqualTo(String.valueOf(100 + i));
            assertThat(f[7]).as("pad length of a %d-byte inner packet", 52 + i).isEqualTo(String.valueOf(Esp.padLength(52 + i)));
            assertThat(f[8]).isEqualTo("0x04");
            assertThat(f[9]).as("Wireshark verified the ICV").isEqualTo(alg.isAuthenticated() ? "1" : "");
        }
    }

    @Test
    void aWrongKeyShowsNoInnerPacket() throws Exception {
        EspAlgorithm alg = EspAlgorithm.AES128GCM16;
        Path pcap = writeCapture(alg, TestPackets.keyMaterial(alg, 2024));
        byte[] wrong = TestPackets.keyMaterial(alg, 1);
        Result result = run(List.of(tshark.toString(), "-n", "-r", pcap.toString(),
                "-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE",
                "-o", "uat:esp_sa:" + uatRow(alg, SPI, wrong),
                "-T", "fields", "-e", "esp.sequence", "-e", "icmp.type", "-e", "esp.icv_bad"));
        assertThat(result.exit).as(result.stderr).isZero();
        assertThat(result.lines()).hasSize(PACKETS).allSatisfy(line -> {
            String[] f = line.split("\t", -1);
            assertThat(f[1]).as("no inner ICMP").isEmpty();
            assertThat(f[2]).as("ICV bad").isEqualTo("1");
        });
    }

    private void checkHeadersOnly(Path pcap) throws Exception {
        Result result = run(List.of(tshark.toString(), "-n", "-r", pcap.toString(),
                "-T", "fields", "-e", "esp.spi", "-e", "esp.sequence"));
        assertThat(result.exit).as(result.stderr).isZero();
        List<String> lines = result.lines();
        assertThat(lines).hasSize(PACKETS);
        for (int i = 0; i < PACKETS; i++) {
            assertThat(lines.get(i)).isEqualTo(String.format("0x%08x\t%d", SPI, i + 1));
        }
    }

    /** Seals {@link #PACKETS} ICMP echoes and writes them as IPv4/UDP 4500 to a pcap. */
    private Path writeCapture(EspAlgorithm alg, byte[] km) throws IOException {
        EspEncryptor encryptor = new EspEncryptor(SecurityAssociation.outbound(SPI, alg, km, false, Lifetime.UNLIMITED));
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < PACKETS; i++) {
            byte[] inner = TestPackets.icmpEcho(INNER_SRC, INNER_DST, 0x77, 100 + i, 24 + i);
            ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withPacket(encryptor.headroom(), inner, encryptor.maxTailroom()));
            try {
                assertThat(encryptor.seal(buf, Esp.NEXT_HEADER_IPV4)).isNull();
                frames.add(PcapWriter.udp(OUTER_SRC, OUTER_DST, EspInUdp.PORT, Hex.readable(buf)));
            } finally {
                buf.release();
            }
        }
        Path pcap = dir.resolve(alg.keyword() + ".pcap");
        PcapWriter.write(pcap, frames);
        return pcap;
    }

    record Result(int exit, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    private Result run(List<String> command) throws IOException, InterruptedException {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tshark did not finish within 60 s: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private String version() throws IOException, InterruptedException {
        return run(List.of(tshark.toString(), "-v")).stdout.lines().filter(l -> l.startsWith("TShark")).findFirst().orElse("?");
    }

    private static Path findOnPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/sbin:/bin:/sbin";
        for (String entry : path.split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, tool))) {
                return Path.of(entry, tool);
            }
        }
        return null;
    }
}
