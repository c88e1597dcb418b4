package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.steadfast.esp.Esp;
import io.steadfast.esp.EspDecryptor;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.ike.Hex;

/** Sends a packet through the ESP SAs of two Child SAs, as the data plane would. */
final class EspPair {
    private EspPair() {}

    static final byte[] PING = Hex.bytes("450000540000400040010000 0a630001 0a0a0001 0800f7ff00000000");

    /** The packet after sealing with {@code from}'s outbound SA and opening with {@code to}'s inbound one. */
    static byte[] carry(ChildSa from, ChildSa to, byte[] inner) {
        EspEncryptor encryptor = new EspEncryptor(from.outbound());
        ByteBuf buf = Unpooled.buffer(EspEncryptor.MAX_HEADROOM + inner.length + encryptor.maxTailroom());
        try {
            buf.writerIndex(EspEncryptor.MAX_HEADROOM).readerIndex(EspEncryptor.MAX_HEADROOM);
            buf.writeBytes(inner);
            assertThat(encryptor.seal(buf, Esp.NEXT_HEADER_IPV4)).isNull();
            assertThat(new EspDecryptor(to.inbound()).open(buf)).isNull();
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }
}
