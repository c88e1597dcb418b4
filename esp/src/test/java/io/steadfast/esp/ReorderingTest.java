package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decryptor under reordering, duplication and loss, with and without ESN, across 2^32. */
class ReorderingTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final int SPI = 0x0f0f0f0f;

    record Link(SecurityAssociation out, SecurityAssociation in, EspEncryptor encryptor, EspDecryptor decryptor) {}

    private static Link link(EspAlgorithm alg, boolean esn, int window, long start) {
        byte[] km = TestPackets.keyMaterial(alg, 17);
        SecurityAssociation out = SecurityAssociation.outbound(SPI, alg, km, esn, Lifetime.UNLIMITED);
        SecurityAssociation in = SecurityAssociation.inbound(SPI, alg, km, esn, window, Lifetime.UNLIMITED);
        out.skipSequenceTo(start);
        in.replayWindow().update(start);
        return new Link(out, in, new EspEncryptor(out), new EspDecryptor(in));
    }

    private byte[] seal(Link link, int innerLength) {
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withPacket(16, TestPackets.random(innerLength, link.out().lastSequenceNumber()), 32));
        try {
            assertThat(link.encryptor().seal(buf, 4)).isNull();
            return Hex.readable(buf);
        } finally {
            buf.release();
        }
    }

    private EspDropReason open(Link link, byte[] esp) {
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withBytes(esp));
        try {
            return link.decryptor().open(buf);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest(name = "{0} esn={1}")
    @CsvSource({"AES128GCM16, false", "AES128GCM16, true", "CHACHA20POLY1305, true", "AES256GCM16, false"})
    void shuffledWithinTheWindowAllArriveOnceDuplicatesDoNot(EspAlgorithm alg, boolean esn) {
        Link link = link(alg, esn, 256, esn ? 0xFFFF_FF80L : 0);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            sent.add(seal(link, 20 + i % 50));
        }
        List<byte[]> delivery = new ArrayList<>(sent);
        Collections.shuffle(delivery, new Random(1));
        for (byte[] esp : delivery) {
            assertThat(open(link, esp)).isNull();
        }
        for (byte[] esp : delivery) {
            assertThat(open(link, esp)).isEqualTo(EspDropReason.REPLAYED);
        }
        assertThat(link.in().packets()).isEqualTo(256);
        assertThat(link.in().lastSequenceNumber()).isEqualTo(link.out().lastSequenceNumber());
    }

    @Test
    void aPacketOvertakenByAWholeWindowIsTooOld() {
        Link link = link(EspAlgorithm.AES128GCM16, false, 64, 0);
        byte[] late = seal(link, 40);
        for (int i = 0; i < 64; i++) {
            assertThat(open(link, seal(link, 40))).isNull();
        }
        assertThat(open(link, late)).isEqualTo(EspDropReason.TOO_OLD);
    }

    @Test
    void lossOfManyPacketsIsNoProblem() {
        Link link = link(EspAlgorithm.CHACHA20POLY1305, false, 1024, 0);
        assertThat(open(link, seal(link, 10))).isNull();
        for (int i = 0; i < 100_000; i++) {
            link.out().takeNextSequence(); // sent but lost on the way
        }
        assertThat(open(link, seal(link, 10))).isNull();
        assertThat(link.in().lastSequenceNumber()).isEqualTo(100_002);
    }

    @Test
    void esnLossOfMoreThanTheWindowAcrossTheBoundaryIsStillInferred() {
        Link link = link(EspAlgorithm.AES256GCM16, true, 1024, 0xFFFF_F000L);
        assertThat(open(link, seal(link, 10))).isNull();
        link.out().skipSequenceTo(0x1_0000_0100L); // 4 k packets lost, the low bits wrapped
        assertThat(open(link, seal(link, 10))).isNull();
        assertThat(link.in().lastSequenceNumber()).isEqualTo(0x1_0000_0101L);
    }

    @Test
    void esnLossOfHalfAnEpochLosesSynchronisation() {
        // RFC 4303 A.2: inference assumes fewer than 2^32 - window packets lost in a row. Beyond that the
        // receiver guesses the wrong high bits and the ICV fails (no resynchronisation is attempted).
        Link link = link(EspAlgorithm.AES128GCM16, true, 1024, 10);
        link.out().skipSequenceTo(0x1_0000_0000L + 5); // just over one epoch lost: low bits 6 look "old"
        assertThat(open(link, seal(link, 10))).isIn(EspDropReason.TOO_OLD, EspDropReason.BAD_ICV, EspDropReason.REPLAYED);
        link.out().skipSequenceTo(0x1_0000_0000L + 5000); // low bits ahead, but the high bits are guessed as 0
        assertThat(open(link, seal(link, 10))).isEqualTo(EspDropReason.BAD_ICV);
        assertThat(link.in().replayWindow().highest()).isEqualTo(10);
        assertThat(link.in().packets()).isZero();
    }

    @Test
    void withoutEsnTheReceiverNeverWrapsToo() {
        Link link = link(EspAlgorithm.AES128GCM16, false, 1024, 0xFFFF_FFF0L);
        for (int i = 0; i < 15; i++) {
            assertThat(open(link, seal(link, 10))).isNull();
        }
        assertThat(link.in().lastSequenceNumber()).isEqualTo(0xFFFF_FFFFL);
        assertThat(link.out().isExpired()).isTrue();
    }
}
