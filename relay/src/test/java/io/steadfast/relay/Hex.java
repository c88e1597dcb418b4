package io.steadfast.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.HexFormat;

/** Hex in test fixtures: whitespace and line breaks are ignored. */
final class Hex {
    private Hex() {}

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The readable bytes of {@code buf} as hex. */
    static String of(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    /** The readable bytes of {@code buf}, copied. */
    static byte[] readable(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    /** Every byte of {@code buf} from 0 to capacity, copied: to show that a refused packet was left untouched. */
    static byte[] whole(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf, 0, buf.capacity());
    }
}
