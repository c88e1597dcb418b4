package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** When sealing refuses: no room, sequence numbers exhausted, lifetime over, SA closed; the buffer stays untouched. */
class EncryptorRefusalTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final byte[] INNER = TestPackets.random(37, 37);

    private static SecurityAssociation outbound(EspAlgorithm alg, boolean esn, Lifetime lifetime) {
        return SecurityAssociation.outbound(0x2000, alg, TestPackets.keyMaterial(alg, 1), esn, lifetime);
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void headroomAndTailroomFollowTheAlgorithm(EspAlgorithm alg) {
        EspEncryptor encryptor = new EspEncryptor(outbound(alg, false, Lifetime.UNLIMITED));
        assertThat(encryptor.headroom()).isEqualTo(8 + alg.ivLength()).isLessThanOrEqualTo(EspEncryptor.MAX_HEADROOM);
        assertThat(encryptor.maxTailroom()).isEqualTo(3 + 2 + alg.icvLength());
        assertThat(EspEncryptor.MAX_HEADROOM).isEqualTo(16);
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void tooLittleHeadroomIsNoRoomAndTouchesNothing(EspAlgorithm alg) {
        SecurityAssociation sa = outbound(alg, false, Lifetime.UNLIMITED);
        EspEncryptor encryptor = new EspEncryptor(sa);
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withPacket(encryptor.headroom() - 1, INNER, 64));
        try {
            int reader = buf.readerIndex();
            int writer = buf.writerIndex();
            byte[] before = copyAll(buf);
            assertThat(encryptor.seal(buf, 4)).isEqualTo(EspDropReason.NO_ROOM);
            assertThat(buf.readerIndex()).isEqualTo(reader);
            assertThat(buf.writerIndex()).isEqualTo(writer);
            assertThat(copyAll(buf)).isEqualTo(before);
            assertThat(sa.lastSequenceNumber()).as("no sequence number consumed").isZero();
            assertThat(sa.packets()).isZero();
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void tooLittleTailroomInAFixedBufferIsNoRoom(EspAlgorithm alg) {
        SecurityAssociation sa = outbound(alg, false, Lifetime.UNLIMITED);
        EspEncryptor encryptor = new EspEncryptor(sa);
        int needed = Esp.padLength(INNER.length) + 2 + alg.icvLength();
        ByteBuf buf = buffers.track(BufferKind.POOLED_HEAP.withPacket(16, INNER, needed - 1));
        try {
            assertThat(encryptor.seal(buf, 4)).isEqualTo(EspDropReason.NO_ROOM);
            assertThat(Hex.readable(buf)).isEqualTo(INNER);
            assertThat(sa.lastSequenceNumber()).isZero();
        } finally {
            buf.release();
        }
        ByteBuf exact = buffers.track(BufferKind.POOLED_HEAP.withPacket(16, INNER, needed));
        try {
            assertThat(encryptor.seal(exact, 4)).isNull();
            assertThat(exact.writableBytes()).isZero();
        } finally {
            exact.release();
        }
    }

    @Test
    void aBufferThatMayGrowGrowsForTheTail() {
        SecurityAssociation sa = outbound(EspAlgorithm.AES256GCM16, false, Lifetime.UNLIMITED);
        EspEncryptor encryptor = new EspEncryptor(sa);
        ByteBuf buf = buffers.track(Unpooled.directBuffer(16 + INNER.length));
        buf.writerIndex(16).readerIndex(16);
        buf.writeBytes(INNER);
        try {
            assertThat(buf.writableBytes()).isZero();
            assertThat(encryptor.seal(buf, 4)).isNull();
            SecurityAssociation in = SecurityAssociation.inbound(0x2000, EspAlgorithm.AES256GCM16,
                    TestPackets.keyMaterial(EspAlgorithm.AES256GCM16, 1), false, Lifetime.UNLIMITED);
            assertThat(new EspDecryptor(in).open(buf)).isNull();
            assertThat(Hex.readable(buf)).isEqualTo(INNER);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void withoutEsnTheLastSequenceNumberIs2To32Minus1(EspAlgorithm alg) {
        SecurityAssociation sa = outbound(alg, false, Lifetime.UNLIMITED);
        sa.skipSequenceTo(0xFFFF_FFFDL);
        EspEncryptor encryptor = new EspEncryptor(sa);
        assertThat(sa.isRekeyWanted()).as("few sequence numbers left").isTrue();
        assertThat(sealFresh(encryptor)).isNull();
        assertThat(sealFresh(encryptor)).isNull();
        assertThat(sa.lastSequenceNumber()).isEqualTo(0xFFFF_FFFFL);
        assertThat(sa.isExpired()).isTrue();
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withPacket(16, INNER, 64));
        try {
            assertThat(encryptor.seal(buf, 4)).isEqualTo(EspDropReason.SEQUENCE_EXHAUSTED);
            assertThat(Hex.readable(buf)).isEqualTo(INNER);
        } finally {
            buf.release();
        }
        assertThat(sealFresh(encryptor)).isEqualTo(EspDropReason.SEQUENCE_EXHAUSTED);
        assertThat(sa.packets()).isEqualTo(2);
    }

    @Test
    void withEsnTheSequenceGoesOnPast2To32AndStopsAt2To64Minus1() {
        SecurityAssociation sa = outbound(EspAlgorithm.AES128GCM16, true, Lifetime.UNLIMITED);
        sa.skipSequenceTo(0xFFFF_FFFFL);
        EspEncryptor encryptor = new EspEncryptor(sa);
        assertThat(sa.isRekeyWanted()).isFalse();
        assertThat(sealFresh(encryptor)).isNull();
        assertThat(sa.lastSequenceNumber()).isEqualTo(0x1_0000_0000L);

        sa.skipSequenceTo(-3L); // 2^64 - 3
        assertThat(sa.isRekeyWanted()).isTrue();
        assertThat(sealFresh(encryptor)).isNull();
        assertThat(sealFresh(encryptor)).isNull();
        assertThat(Long.toUnsignedString(sa.lastSequenceNumber())).isEqualTo("18446744073709551615");
        assertThat(sealFresh(encryptor)).isEqualTo(EspDropReason.SEQUENCE_EXHAUSTED);
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void packetLifetimeSoftThenHard(EspAlgorithm alg) {
        SecurityAssociation sa = outbound(alg, false, Lifetime.ofPackets(3, 5));
        EspEncryptor encryptor = new EspEncryptor(sa);
        for (int i = 1; i <= 5; i++) {
            assertThat(sealFresh(encryptor)).isNull();
            assertThat(sa.isRekeyWanted()).as("after %d", i).isEqualTo(i >= 3);
            assertThat(sa.isExpired()).as("after %d", i).isEqualTo(i >= 5);
        }
        assertThat(sealFresh(encryptor)).isEqualTo(EspDropReason.LIFETIME_EXPIRED);
        assertThat(sa.packets()).isEqualTo(5);
        assertThat(sa.lastSequenceNumber()).isEqualTo(5);
    }

    @Test
    void byteLifetimeCountsInnerBytes() {
        SecurityAssociation sa = outbound(EspAlgorithm.CHACHA20POLY1305, false, Lifetime.ofBytes(INNER.length * 2L, INNER.length * 3L));
        EspEncryptor encryptor = new EspEncryptor(sa);
        assertThat(sealFresh(encryptor)).isNull();
        assertThat(sa.bytes()).isEqualTo(INNER.length);
        assertThat(sa.isRekeyWanted()).isFalse();
        assertThat(sealFresh(encryptor)).isNull();
        assertThat(sa.isRekeyWanted()).isTrue();
        assertThat(sealFresh(encryptor)).isNull();
        assertThat(sa.isExpired()).isTrue();
        assertThat(sealFresh(encryptor)).isEqualTo(EspDropReason.LIFETIME_EXPIRED);
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void closedSaRefuses(EspAlgorithm alg) {
        SecurityAssociation sa = outbound(alg, false, Lifetime.UNLIMITED);
        EspEncryptor encryptor = new EspEncryptor(sa);
        assertThat(sealFresh(encryptor)).isNull();
        sa.close();
        assertThat(sealFresh(encryptor)).isEqualTo(EspDropReason.SA_CLOSED);
        assertThat(sealFresh(encryptor)).isEqualTo(EspDropReason.SA_CLOSED);
        assertThat(sa.isExpired()).isTrue();
    }

    @Test
    void nextHeaderMustBeAByte() {
        EspEncryptor encryptor = new EspEncryptor(outbound(EspAlgorithm.NULL, false, Lifetime.UNLIMITED));
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withPacket(16, INNER, 64));
        try {
            assertThatThrownBy(() -> encryptor.seal(buf, 256)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> encryptor.seal(buf, -1)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void anEncryptorNeedsAnOutboundSa() {
        SecurityAssociation in = SecurityAssociation.inbound(0x2000, EspAlgorithm.NULL, new byte[0], false, Lifetime.UNLIMITED);
        assertThatThrownBy(() -> new EspEncryptor(in)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outbound");
        SecurityAssociation out = outbound(EspAlgorithm.NULL, false, Lifetime.UNLIMITED);
        assertThatThrownBy(() -> new EspDecryptor(out)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inbound");
        assertThat(new EspEncryptor(out).securityAssociation()).isSameAs(out);
        assertThat(new EspDecryptor(in).securityAssociation()).isSameAs(in);
    }

    private EspDropReason sealFresh(EspEncryptor encryptor) {
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withPacket(16, INNER, 64));
        try {
            return encryptor.seal(buf, 4);
        } finally {
            buf.release();
        }
    }

    private static byte[] copyAll(ByteBuf buf) {
        byte[] all = new byte[buf.capacity()];
        buf.getBytes(0, all);
        return all;
    }
}
