package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every single bit flip anywhere in an authenticated ESP packet is rejected, and a rejected packet never
 * moves or marks the anti-replay window: afterwards the untouched packet still opens. (The NULL transform
 * has no integrity; only its SPI is checked, see {@link #nullTransformDetectsOnlyTheSpi()}.)
 */
class TamperTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    @ParameterizedTest(name = "{0} esn={1} size={2} {3}")
    @CsvSource({
        "AES128GCM16, false, 1, POOLED_DIRECT", "AES128GCM16, true, 61, UNPOOLED_HEAP",
        "AES256GCM16, false, 84, ADAPTIVE_DIRECT", "AES256GCM16, true, 3, POOLED_HEAP",
        "CHACHA20POLY1305, false, 84, POOLED_DIRECT", "CHACHA20POLY1305, true, 17, COMPOSITE_DIRECT",
        "AES128GCM16, false, 300, COMPOSITE_DIRECT"
    })
    void everyBitFlipIsRejectedAndLeavesTheWindowAlone(EspAlgorithm alg, boolean esn, int size, BufferKind kind) {
        byte[] km = TestPackets.keyMaterial(alg, 11);
        int spi = 0x00c0ffee;
        SecurityAssociation out = SecurityAssociation.outbound(spi, alg, km, esn, Lifetime.UNLIMITED);
        out.skipSequenceTo(esn ? 0x2_0000_0010L : 0x10);
        SecurityAssociation in = SecurityAssociation.inbound(spi, alg, km, esn, 64, Lifetime.UNLIMITED);
        in.replayWindow().update(esn ? 0x2_0000_0005L : 0x5); // the window's top is below the packet's sequence
        long highestBefore = in.replayWindow().highest();
        EspEncryptor encryptor = new EspEncryptor(out);
        EspDecryptor decryptor = new EspDecryptor(in);

        byte[] inner = TestPackets.random(size, size);
        ByteBuf sealed = buffers.track(kind.withPacket(encryptor.headroom(), inner, encryptor.maxTailroom()));
        byte[] esp;
        try {
            assertThat(encryptor.seal(sealed, 4)).isNull();
            esp = Hex.readable(sealed);
        } finally {
            sealed.release();
        }

        Map<EspDropReason, Integer> reasons = new EnumMap<>(EspDropReason.class);
        for (int bit = 0; bit < esp.length * 8; bit++) {
            byte[] flipped = esp.clone();
            flipped[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            ByteBuf buf = buffers.track(kind.withBytes(flipped));
            try {
                EspDropReason reason = decryptor.open(buf);
                assertThat(reason).as("bit %d of %d", bit, esp.length * 8).isNotNull();
                reasons.merge(reason, 1, Integer::sum);
                if (bit < 32) {
                    assertThat(reason).isEqualTo(EspDropReason.UNKNOWN_SPI);
                } else {
                    assertThat(reason).isIn(EspDropReason.BAD_ICV, EspDropReason.TOO_OLD, EspDropReason.REPLAYED);
                }
            } finally {
                buf.release();
            }
            assertThat(in.replayWindow().highest()).as("window top after bit %d", bit).isEqualTo(highestBefore);
        }
        assertThat(in.packets()).isZero();
        assertThat(reasons.get(EspDropReason.UNKNOWN_SPI)).isEqualTo(32);
        assertThat(reasons.get(EspDropReason.BAD_ICV)).isGreaterThan(esp.length * 8 - 64);

        ByteBuf original = buffers.track(kind.withBytes(esp));
        try {
            assertThat(decryptor.open(original)).as("the genuine packet after all forgeries").isNull();
            assertThat(Hex.readable(original)).isEqualTo(inner);
        } finally {
            original.release();
        }
    }

    @Test
    void forgedFarFutureSequenceDoesNotMoveTheWindow() {
        EspAlgorithm alg = EspAlgorithm.AES128GCM16;
        byte[] km = TestPackets.keyMaterial(alg, 5);
        SecurityAssociation out = SecurityAssociation.outbound(0x4242, alg, km, false, Lifetime.UNLIMITED);
        SecurityAssociation in = SecurityAssociation.inbound(0x4242, alg, km, false, 1024, Lifetime.UNLIMITED);
        EspEncryptor encryptor = new EspEncryptor(out);
        EspDecryptor decryptor = new EspDecryptor(in);
        byte[][] packets = new byte[3][];
        for (int i = 0; i < packets.length; i++) {
            ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withPacket(16, TestPackets.random(40, i), encryptor.maxTailroom()));
            assertThat(encryptor.seal(buf, 4)).isNull();
            packets[i] = Hex.readable(buf);
            buf.release();
        }
        open(decryptor, packets[0], null);

        byte[] forged = packets[1].clone();
        forged[4] = (byte) 0x7f; // sequence 0x7f000002: far ahead, so the window lets it reach the ICV check
        open(decryptor, forged, EspDropReason.BAD_ICV);
        assertThat(in.replayWindow().highest()).isEqualTo(1);
        assertThat(in.lastSequenceNumber()).isEqualTo(1);

        open(decryptor, packets[2], null);
        open(decryptor, packets[1], null); // still inside the window, never marked
        open(decryptor, packets[1], EspDropReason.REPLAYED);
        assertThat(in.packets()).isEqualTo(3);
    }

    @Test
    void nullTransformDetectsOnlyTheSpi() {
        byte[] km = new byte[0];
        EspEncryptor encryptor = new EspEncryptor(SecurityAssociation.outbound(0x999, EspAlgorithm.NULL, km, false, Lifetime.UNLIMITED));
        EspDecryptor decryptor = new EspDecryptor(SecurityAssociation.inbound(0x999, EspAlgorithm.NULL, km, false, Lifetime.UNLIMITED));
        ByteBuf buf = buffers.track(BufferKind.UNPOOLED_HEAP.withPacket(8, new byte[] {1, 2, 3, 4, 5, 6}, 5));
        try {
            assertThat(encryptor.seal(buf, 4)).isNull();
            buf.setByte(buf.readerIndex() + 9, 0x55); // a payload byte: nothing notices
            assertThat(decryptor.open(buf)).isNull();
            assertThat(Hex.readable(buf)).containsExactly(1, 0x55, 3, 4, 5, 6);
        } finally {
            buf.release();
        }
    }

    private void open(EspDecryptor decryptor, byte[] esp, EspDropReason expected) {
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withBytes(esp));
        try {
            assertThat(decryptor.open(buf)).isEqualTo(expected);
        } finally {
            buf.release();
        }
    }
}
