package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The IPv4 header helpers and the Internet checksum, against RFC 1071's example and the reference code. */
class Ipv4Test {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    @Test
    void checksumOfRfc1071sExample() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (with carries); the checksum is its complement.
        ByteBuf buf = buffers.packet(0, Hex.bytes("0001f203f4f5f6f7"), 0);
        try {
            assertThat(Ipv4.fold(Ipv4.sum(buf, 0, 8))).isEqualTo(0xddf2);
            assertThat(Ipv4.checksum(buf, 0, 8)).isEqualTo(0x220d);
        } finally {
            buf.release();
        }
    }

    @Test
    void checksumAgreesWithTheReferenceForEveryLengthAndOffset() {
        Random random = new Random(1071);
        for (int length = 0; length <= 300; length++) {
            byte[] data = TestPackets.random(length + 3, length);
            if (length % 7 == 0) {
                java.util.Arrays.fill(data, (byte) 0xff); // carries all the way
            }
            int offset = random.nextInt(4);
            length = Math.min(length, data.length - offset);
            for (BufferKind kind : BufferKind.values()) {
                ByteBuf buf = buffers.track(kind.withPacket(0, data, 0));
                try {
                    assertThat(Ipv4.checksum(buf, offset, length)).as("%s length %d offset %d", kind, length, offset)
                            .isEqualTo(TestPackets.checksum(data, offset, length));
                } finally {
                    buf.release();
                }
            }
        }
    }

    @Test
    void readsTheHeaderFields() {
        byte[] packet = TestPackets.ipv4(TestPackets.address("192.0.2.1"), TestPackets.address("198.51.100.7"), 17, 0, 1,
                Relay.IPV4_FLAG_DF, 64, new byte[30]);
        ByteBuf buf = buffers.fromTun(packet);
        try {
            assertThat(Ipv4.source(buf)).isEqualTo(TestPackets.address("192.0.2.1"));
            assertThat(Ipv4.destination(buf)).isEqualTo(TestPackets.address("198.51.100.7"));
            assertThat(Ipv4.protocol(buf)).isEqualTo(17);
            assertThat(Ipv4.headerLength(buf, buf.readerIndex())).isEqualTo(20);
            assertThat(Ipv4.totalLength(buf, buf.readerIndex())).isEqualTo(50);
            assertThat(Ipv4.isFragment(buf, buf.readerIndex())).as("DF alone is no fragment").isFalse();
            assertThat(Ipv4.checkHeader(buf, buf.readerIndex(), buf.readableBytes())).isNull();
            assertThat(Ipv4.checkHeader(buf, buf.readerIndex(), 49)).isEqualTo(RelayDropReason.TRUNCATED);
            assertThat(Ipv4.checkHeader(buf, buf.readerIndex(), 19)).isEqualTo(RelayDropReason.TRUNCATED);
            buf.setByte(buf.readerIndex() + 6, 0x20);
            assertThat(Ipv4.isFragment(buf, buf.readerIndex())).isTrue();
            assertThat(Ipv4.checkHeader(buf, buf.readerIndex(), buf.readableBytes())).isEqualTo(RelayDropReason.BAD_CHECKSUM);
        } finally {
            buf.release();
        }
    }

    @Test
    void formatsAndParsesDottedQuads() {
        assertThat(Ipv4.format(0x0A010007)).isEqualTo("10.1.0.7");
        assertThat(Ipv4.format(0xFFFFFFFF)).isEqualTo("255.255.255.255");
        assertThat(Ipv4.format(0)).isEqualTo("0.0.0.0");
        assertThat(Ipv4.parse("192.168.255.1")).isEqualTo(0xC0A8FF01);
        assertThat(Ipv4.parse(Ipv4.format(0xDEADBEEF))).isEqualTo(0xDEADBEEF);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1..2.3", "a.b.c.d", "1.2.3.-4", "1.2.3.4 ", "+1.2.3.4", "0001.2.3.4"})
    void refusesWhatIsNoAddress(String text) {
        assertThatThrownBy(() -> Ipv4.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
