package io.steadfast.pipeline.profile;

import io.steadfast.pipeline.config.Problem;
import io.steadfast.pipeline.config.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an ESP key file: one SA per line, its SPI and its key material (key || salt) in hex, the same
 * bytes {@code ip xfrm state ... aead 'rfc4106(gcm(aes))' 0x...} and Wireshark's ESP SA table take.
 * Blank lines and lines starting with {@code #} are ignored. Keys never appear in profiles; a key file
 * that group or others may read is used, with a warning.
 *
 * <pre>
 * # SPI        key material
 * 0x00001001   0x4c80cdefbb5d10da906ac73c3613a634d8f4a9d1
 * </pre>
 */
public final class KeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFile.class);

    private KeyFile() {}

    /** SPI -> key material; problems (file:line) for anything unreadable. */
    public static Map<Integer, byte[]> read(Path file, Problems problems) {
        Map<Integer, byte[]> keys = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            problems.add(new Problem(file.toString(), -1, null, "cannot read the key file: " + e.getMessage()));
            return keys;
        }
        warnIfLoose(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] words = line.split("\\s+");
            if (words.length != 2) {
                problems.add(new Problem(file.toString(), i + 1, null, "expected: SPI KEY-MATERIAL (two hex numbers), e.g. 0x00001001 0x4c80...; found " + words.length + " words"));
                continue;
            }
            try {
                int spi = parseSpi(words[0]);
                byte[] key = HexFormat.of().parseHex(strip0x(words[1]));
                if (keys.put(spi, key) != null) {
                    problems.add(new Problem(file.toString(), i + 1, null, "SPI " + words[0] + " appears twice"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(file.toString(), i + 1, null, e.getMessage()));
            }
        }
        return keys;
    }

    /** An SPI in hex (0x1001) or decimal: 256 and up (0 and 1-255 are reserved, RFC 4303 2.1). */
    public static int parseSpi(String text) {
        long v;
        try {
            v = text.startsWith("0x") || text.startsWith("0X") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an SPI; expected hex like 0x00001001 or a decimal number");
        }
        if (v < 256 || v > 0xffffffffL) {
            throw new IllegalArgumentException("SPI " + text + " is out of range; expected 256 to 0xffffffff (0-255 are reserved)");
        }
        return (int) v;
    }

    private static String strip0x(String hex) {
        String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (h.isEmpty() || (h.length() & 1) != 0 || !h.matches("[0-9a-fA-F]+")) {
            throw new IllegalArgumentException("key material \"" + (hex.length() > 10 ? hex.substring(0, 10) + "..." : hex)
                    + "\" is not an even number of hex digits");
        }
        return h;
    }

    static void warnIfLoose(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("key file {} is readable by group or others ({}); chmod 600 it", file,
                        java.nio.file.attribute.PosixFilePermissions.toString(p));
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot check permissions of {}: {}", file, e.toString());
        }
    }
}
