package io.steadfast.ike.payload;

import java.util.HexFormat;

/** Short renderings of byte arrays for payload {@code toString}s. */
final class Text {
    private Text() {}

    private static final int MAX_HEX_BYTES = 16;

    /** Hex of up to 16 bytes, then "..(n bytes)". */
    static String hex(byte[] bytes) {
        if (bytes.length <= MAX_HEX_BYTES) {
            return HexFormat.of().formatHex(bytes);
        }
        return HexFormat.of().formatHex(bytes, 0, MAX_HEX_BYTES) + "..(" + bytes.length + " bytes)";
    }
}
