package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.steadfast.ike.crypto.IkeSaKeys;
import io.steadfast.ike.crypto.SkCipher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's IKEv2 dissector, an independent implementation, reads our messages: the IKE_SA_INIT request
 * field by field, and our SK payloads decrypted with the keys we derived (its "ikev2_decryption_table").
 * Skipped where tshark is not installed.
 */
class TsharkDissectionTest {
    @TempDir
    Path dir;

    static boolean tsharkAvailable() {
        try {
            Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** A pcap (LINKTYPE_RAW) of IPv4/UDP datagrams from 192.0.2.10:500 to 198.51.100.1:500. */
    static byte[] pcap(List<byte[]> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer global = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        global.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        out.writeBytes(global.array());
        for (byte[] message : messages) {
            ByteBuffer ip = ByteBuffer.allocate(28 + message.length);
            ip.put((byte) 0x45).put((byte) 0).putShort((short) (28 + message.length)).putInt(0).put((byte) 64).put((byte) 17)
                    .putShort((short) 0).put(new byte[] {(byte) 192, 0, 2, 10}).put(new byte[] {(byte) 198, 51, 100, 1});
            ip.putShort((short) 500).putShort((short) 500).putShort((short) (8 + message.length)).putShort((short) 0).put(message);
            ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt(0).putInt(0).putInt(ip.capacity()).putInt(ip.capacity());
            out.writeBytes(record.array());
            out.writeBytes(ip.array());
        }
        return out.toByteArray();
    }

    /** Skips without tshark, but fails under CI=true, where .ci/setup installs it. */
    static void requireTshark() {
        boolean available = tsharkAvailable();
        if (!available && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true but tshark is missing (.ci/setup installs it)");
        }
        assumeTrue(available, "tshark not installed");
    }

    String tshark(List<byte[]> messages, String... options) throws Exception {
        Path file = dir.resolve("ike.pcap");
        Files.write(file, pcap(messages));
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-V"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void ikeSaInitRequestDissects() throws Exception {
        requireTshark();
        String out = tshark(List.of(Fixtures.ikeSaInitRequest().encode()));
        assertThat(out).contains("Exchange type: IKE_SA_INIT (34)", "Initiator: Initiator", "Response: Request", "Length: 222",
                "Transform ID (ENCR): AES-GCM with a 16 octet ICV (20)", "Key Length: 128",
                "Transform ID (PRF): PRF_HMAC_SHA2_256 (5)", "Transform ID (D-H): Curve25519 (31)",
                "DH Group #: Curve25519 (31)", "Nonce DATA: 000102030405060708090a0b0c0d0e0f",
                "Notify Message Type: NAT_DETECTION_SOURCE_IP (16388)",
                "Notify Message Type: NAT_DETECTION_DESTINATION_IP (16389)",
                "Notify Message Type: SIGNATURE_HASH_ALGORITHMS (16431)",
                "Notify Message Type: IKEV2_FRAGMENTATION_SUPPORTED (16430)");
        assertThat(out).doesNotContainIgnoringCase("malformed").doesNotContain("Expert Info");
    }

    @Test
    void wiresharkDecryptsOurSkPayloads() throws Exception {
        requireTshark();
        check("aes128gcm16-prfsha256-x25519", "AES-GCM-128 with 16 octet ICV [RFC5282]", "NONE [RFC4306]");
        check("aes256-sha256-modp2048", "AES-CBC-256 [RFC3602]", "HMAC_SHA2_256_128 [RFC4868]");
    }

    private void check(String proposal, String encryption, String integrity) throws Exception {
        try (IkeSaKeys keys = EncryptedMessageTest.keys(proposal); SkCipher out = keys.cipher(true, new SecureRandom())) {
            byte[] message = EncryptedMessageTest.ikeAuth().encrypt(out);
            String uat = String.format("uat:ikev2_decryption_table:%016x,%016x,%s,%s,\"%s\",%s,%s,\"%s\"",
                    Fixtures.SPI_I, EncryptedMessageTest.SPI_R, Hex.of(keys.skEi()), Hex.of(keys.skEr()), encryption,
                    Hex.of(keys.skAi()), Hex.of(keys.skAr()), integrity);
            String dissected = tshark(List.of(message), "-o", uat);
            assertThat(dissected).as(proposal).contains("Decrypted Data", "Identification - Initiator",
                    "ID_FQDN: client.example", "Notify Message Type: INITIAL_CONTACT (16384)",
                    "Payload: Configuration (47)", "Type: CFG_REQUEST (1)", "INTERNAL_IP4_ADDRESS", "Traffic Selector - Initiator",
                    "Starting Addr: 10.10.0.0", "Ending Addr: 10.10.255.255", "MOBIKE_SUPPORTED");
            assertThat(dissected).doesNotContainIgnoringCase("malformed").doesNotContainIgnoringCase("incorrect");
            if (!integrity.startsWith("NONE")) {
                // Wireshark checks the ICV: ours passes, a flipped ICV bit does not.
                assertThat(dissected).contains("Integrity Checksum Data");
                message[message.length - 1] ^= 1;
                assertThat(tshark(List.of(message), "-o", uat)).containsIgnoringCase("incorrect");
            }
        }
    }
}
