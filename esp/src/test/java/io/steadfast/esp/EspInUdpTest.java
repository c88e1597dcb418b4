package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3948 demultiplexing of UDP port 4500. */
class EspInUdpTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    private EspInUdp.Kind classify(String hex) {
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withPacket(3, Hex.bytes(hex), 0));
        try {
            return EspInUdp.classify(buf);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0000010000000001, ESP",
        "c0ffee0100000007aabbccdd, ESP",
        "ffffffff00000000, ESP",
        "00000000, INVALID",
        "000000000102030405060708090a0b0c0d0e0f10111213141516171819, IKE",
        "0000000000000000, IKE",
        "ff, NAT_KEEPALIVE",
        "fe, INVALID",
        "00, INVALID",
        "ffff, INVALID",
        "01020304050607, INVALID",
        "000000ff00000001, INVALID",
        "0000000100000001, INVALID",
        "000000ff0000000100000000, INVALID",
    })
    void classifies(String hex, EspInUdp.Kind kind) {
        assertThat(classify(hex)).isEqualTo(kind);
    }

    @Test
    void emptyIsInvalid() {
        assertThat(EspInUdp.classify(Unpooled.EMPTY_BUFFER)).isEqualTo(EspInUdp.Kind.INVALID);
    }

    @Test
    void readsAtTheReaderIndexNotZero() {
        ByteBuf buf = buffers.track(Unpooled.buffer(16));
        try {
            buf.writeInt(0).writeInt(0x1234).writeInt(7);
            assertThat(EspInUdp.classify(buf)).isEqualTo(EspInUdp.Kind.IKE);
            buf.skipBytes(4);
            assertThat(EspInUdp.classify(buf)).isEqualTo(EspInUdp.Kind.ESP);
            assertThat(EspInUdp.spi(buf)).isEqualTo(0x1234);
            assertThat(buf.readerIndex()).isEqualTo(4);
        } finally {
            buf.release();
        }
    }

    @Test
    void writesAKeepaliveThatClassifiesAsOne() {
        ByteBuf out = buffers.track(Unpooled.buffer(4));
        try {
            assertThat(EspInUdp.writeKeepalive(out)).isSameAs(out);
            assertThat(Hex.of(out)).isEqualTo("ff");
            assertThat(EspInUdp.classify(out)).isEqualTo(EspInUdp.Kind.NAT_KEEPALIVE);
        } finally {
            out.release();
        }
    }

    @Test
    void portIs4500() {
        assertThat(EspInUdp.PORT).isEqualTo(4500);
    }
}
