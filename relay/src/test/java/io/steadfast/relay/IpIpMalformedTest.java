package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed IP-in-IP packet is refused with its own reason and left exactly as it was (indices and
 * bytes), so the caller only has to release it; nothing throws, whatever the bytes.
 */
class IpIpMalformedTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final int V = TestPackets.address("10.2.0.9");
    static final int R = TestPackets.address("10.0.0.1");
    static final byte[] INNER = TestPackets.icmpEcho(TestPackets.address("10.1.0.7"), TestPackets.address("10.9.0.1"), 3, 4, 20);
    static final byte[] VALID = TestPackets.ipip(V, R, 0x4242, INNER);

    /** A copy of the valid packet changed by {@code change}. */
    static byte[] variant(UnaryOperator<byte[]> change) {
        return change.apply(VALID.clone());
    }

    /** A valid outer header (protocol 4) around arbitrary payload bytes. */
    static byte[] outerAround(byte[] payload) {
        return TestPackets.ipv4(V, R, Relay.PROTOCOL_IPIP, payload);
    }

    static Stream<Arguments> malformed() {
        byte[] innerV6 = INNER.clone();
        innerV6[0] = 0x65;
        byte[] innerIhl4 = INNER.clone();
        innerIhl4[0] = 0x44;
        byte[] innerBadChecksum = INNER.clone();
        innerBadChecksum[10] ^= 0x01;
        byte[] innerLongerThanOuter = INNER.clone();
        innerLongerThanOuter[3] += 1;
        TestPackets.fixChecksum(innerLongerThanOuter, 0);
        byte[] innerTotalBelowHeader = INNER.clone();
        innerTotalBelowHeader[2] = 0;
        innerTotalBelowHeader[3] = 19;
        TestPackets.fixChecksum(innerTotalBelowHeader, 0);
        return Stream.of(
                Arguments.of("empty", new byte[0], RelayDropReason.TRUNCATED),
                Arguments.of("one byte", new byte[] {0x45}, RelayDropReason.TRUNCATED),
                Arguments.of("19 bytes of header", java.util.Arrays.copyOf(VALID, 19), RelayDropReason.TRUNCATED),
                Arguments.of("header only, total length says more", java.util.Arrays.copyOf(VALID, 20), RelayDropReason.TRUNCATED),
                Arguments.of("one byte short of the total length", java.util.Arrays.copyOf(VALID, VALID.length - 1), RelayDropReason.TRUNCATED),
                Arguments.of("version 6", variant(p -> TestPackets.fixChecksum(set(p, 0, 0x65), 0)), RelayDropReason.NOT_IPV4),
                Arguments.of("version 0", variant(p -> set(p, 0, 0x05)), RelayDropReason.NOT_IPV4),
                Arguments.of("IHL 4", variant(p -> set(p, 0, 0x44)), RelayDropReason.BAD_HEADER),
                Arguments.of("IHL 0", variant(p -> set(p, 0, 0x40)), RelayDropReason.BAD_HEADER),
                Arguments.of("IHL 15 beyond a short packet", java.util.Arrays.copyOf(variant(p -> set(p, 0, 0x4f)), 40), RelayDropReason.TRUNCATED),
                Arguments.of("total length below the header", variant(p -> TestPackets.fixChecksum(set(set(p, 2, 0), 3, 19), 0)), RelayDropReason.BAD_HEADER),
                Arguments.of("total length beyond the buffer", variant(p -> TestPackets.fixChecksum(set(p, 3, p[3] + 1), 0)), RelayDropReason.TRUNCATED),
                Arguments.of("bad checksum", variant(p -> set(p, 11, p[11] ^ 0x10)), RelayDropReason.BAD_CHECKSUM),
                Arguments.of("changed address, old checksum", variant(p -> set(p, 15, p[15] + 1)), RelayDropReason.BAD_CHECKSUM),
                Arguments.of("protocol UDP", variant(p -> TestPackets.fixChecksum(set(p, 9, 17), 0)), RelayDropReason.NOT_IPIP),
                Arguments.of("protocol 41 (IPv6 in IPv4)", variant(p -> TestPackets.fixChecksum(set(p, 9, 41), 0)), RelayDropReason.NOT_IPIP),
                Arguments.of("more fragments", variant(p -> TestPackets.fixChecksum(set(p, 6, 0x20), 0)), RelayDropReason.FRAGMENT),
                Arguments.of("fragment offset 8", variant(p -> TestPackets.fixChecksum(set(p, 7, 1), 0)), RelayDropReason.FRAGMENT),
                Arguments.of("last fragment, DF set too", variant(p -> TestPackets.fixChecksum(set(set(p, 6, 0x40), 7, 3), 0)), RelayDropReason.FRAGMENT),
                Arguments.of("no inner packet", outerAround(new byte[0]), RelayDropReason.BAD_INNER),
                Arguments.of("inner truncated to 19 bytes", outerAround(java.util.Arrays.copyOf(INNER, 19)), RelayDropReason.BAD_INNER),
                Arguments.of("inner truncated by one byte", outerAround(java.util.Arrays.copyOf(INNER, INNER.length - 1)), RelayDropReason.BAD_INNER),
                Arguments.of("inner longer than the outer says", outerAround(innerLongerThanOuter), RelayDropReason.BAD_INNER),
                Arguments.of("inner total length below its header", outerAround(innerTotalBelowHeader), RelayDropReason.BAD_INNER),
                Arguments.of("inner IPv6", outerAround(innerV6), RelayDropReason.BAD_INNER),
                Arguments.of("inner IHL 4", outerAround(innerIhl4), RelayDropReason.BAD_INNER),
                Arguments.of("inner bad checksum", outerAround(innerBadChecksum), RelayDropReason.BAD_INNER),
                Arguments.of("outer trimmed by a shorter total length", TestPackets.ipv4(V, R, Relay.PROTOCOL_IPIP,
                        java.util.Arrays.copyOf(INNER, INNER.length - 4)), RelayDropReason.BAD_INNER));
    }

    private static byte[] set(byte[] packet, int offset, int value) {
        packet[offset] = (byte) value;
        return packet;
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("malformed")
    void isRefusedWithItsReasonAndLeftUntouched(String name, byte[] packet, RelayDropReason expected) {
        for (BufferKind kind : BufferKind.values()) {
            ByteBuf buf = buffers.fromTun(kind, packet);
            try {
                byte[] before = Hex.whole(buf);
                assertThat(IpIp.check(buf)).as(kind.name()).isEqualTo(expected);
                assertThat(IpIp.decapsulate(buf)).as(kind.name()).isEqualTo(expected);
                assertThat(Hex.whole(buf)).isEqualTo(before);
                assertThat(buf.readerIndex()).isEqualTo(TestPackets.TUN_ROOM);
                assertThat(buf.writerIndex()).isEqualTo(TestPackets.TUN_ROOM + packet.length);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void theValidPacketItselfPasses() {
        ByteBuf buf = buffers.fromTun(VALID);
        try {
            assertThat(IpIp.decapsulate(buf)).isNull();
            assertThat(Hex.readable(buf)).isEqualTo(INNER);
        } finally {
            buf.release();
        }
    }

    @Test
    void everyBitFlipInEitherHeaderIsCaughtAndPayloadFlipsAreNot() {
        Map<RelayDropReason, Integer> reasons = new EnumMap<>(RelayDropReason.class);
        for (int bit = 0; bit < VALID.length * 8; bit++) {
            byte[] flipped = VALID.clone();
            flipped[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            ByteBuf buf = buffers.fromTun(flipped);
            try {
                RelayDropReason reason = IpIp.decapsulate(buf);
                if (bit < 40 * 8) {
                    assertThat(reason).as("bit %d (a header bit)", bit).isNotNull();
                    reasons.merge(reason, 1, Integer::sum);
                    if (bit >= 20 * 8) {
                        assertThat(reason).as("bit %d of the inner header", bit).isEqualTo(RelayDropReason.BAD_INNER);
                    }
                } else {
                    assertThat(reason).as("bit %d (payload: IP-in-IP has no integrity)", bit).isNull();
                }
            } finally {
                buf.release();
            }
        }
        assertThat(reasons).containsKeys(RelayDropReason.NOT_IPV4, RelayDropReason.BAD_CHECKSUM, RelayDropReason.BAD_INNER,
                RelayDropReason.TRUNCATED);
    }

    @Test
    void randomBytesAndRandomDamageNeverThrow() {
        Random random = new Random(2003);
        for (int i = 0; i < 20_000; i++) {
            byte[] packet;
            if (i % 2 == 0) {
                packet = TestPackets.random(random.nextInt(120), i);
                if (packet.length > 0 && random.nextBoolean()) {
                    packet[0] = (byte) (0x40 | (packet[0] & 0x0f)); // version 4, to get further
                }
            } else {
                packet = VALID.clone();
                for (int damage = random.nextInt(4) + 1; damage > 0; damage--) {
                    packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
                }
                if (random.nextBoolean()) {
                    TestPackets.fixChecksum(packet, 0);
                }
                packet = java.util.Arrays.copyOf(packet, random.nextInt(packet.length + 1));
            }
            ByteBuf buf = buffers.fromTun(BufferKind.values()[i % BufferKind.values().length], packet);
            try {
                byte[] before = Hex.whole(buf);
                RelayDropReason reason = IpIp.decapsulate(buf);
                if (reason != null) {
                    assertThat(Hex.whole(buf)).isEqualTo(before);
                } else {
                    assertThat(buf.readableBytes()).isBetween(20, packet.length - 20);
                    assertThat(Ipv4.checkHeader(buf, buf.readerIndex(), buf.readableBytes())).isNull();
                }
                IpIp.tunnelMtuFromIcmp(buf, R);
            } finally {
                buf.release();
            }
        }
    }
}
