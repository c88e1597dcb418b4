package io.steadfast.pipeline.esp;

import io.steadfast.esp.EspAlgorithm;
import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** tshark (Wireshark 4.0 on Debian 12) as an independent ESP decoder: reads a capture with our SAs in its table. */
final class Tshark {
    private Tshark() {}

    /**
     * One row of tshark's ESP SA table (uat:esp_sa): protocol, source, destination, SPI, encryption,
     * key (key || salt), authentication, authentication key. AES-GCM of either size is one entry;
     * tshark tells them apart by the key length.
     */
    static String sa(int spi, EspAlgorithm algorithm, byte[] keyMaterial) {
        String encryption = switch (algorithm) {
            case AES128GCM16, AES256GCM16 -> "AES-GCM with 16 octet ICV [RFC4106]";
            case NULL -> "NULL";
            case CHACHA20POLY1305 -> throw new IllegalArgumentException("tshark 4.0 has no RFC 7634 decryption");
        };
        String key = algorithm == EspAlgorithm.NULL ? "" : "0x" + HexFormat.of().formatHex(keyMaterial);
        return String.format("\"IPv4\",\"*\",\"*\",\"0x%08x\",\"%s\",\"%s\",\"NULL\",\"\"", spi, encryption, key);
    }

    /** Decodes {@code capture} with the SAs and returns the fields, tab-separated, one line per packet. */
    static String decrypt(Path capture, List<String> sas, String... fields) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(),
                "-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"));
        for (String sa : sas) cmd.addAll(List.of("-o", "uat:esp_sa:" + sa));
        cmd.addAll(List.of("-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String f : fields) cmd.addAll(List.of("-e", f));
        return Netns.exec(cmd, 60);
    }
}
