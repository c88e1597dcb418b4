package io.steadfast.ike;

import java.util.HexFormat;

/** Hex in test fixtures: whitespace, line breaks and {@code #} comments to the end of a line are ignored. */
public final class Hex {
    private Hex() {}

    /** The bytes of a hex fixture. */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("#[^\\n]*", "").replaceAll("\\s+", ""));
    }

    /** Lower-case hex. */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
