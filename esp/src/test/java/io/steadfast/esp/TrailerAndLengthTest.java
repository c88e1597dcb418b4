package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Authentic packets with a wrong trailer (made with {@link ReferenceEsp}, so the ICV is valid), next
 * header values, and packets too short to be ESP.
 */
class TrailerAndLengthTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final int SPI = 0x13572468;
    static final byte[] INNER = TestPackets.icmpEcho(TestPackets.address("10.1.0.1"), TestPackets.address("10.2.0.1"), 1, 1, 9);

    private SecurityAssociation inbound;
    private EspDecryptor decryptor;
    private byte[] keyMaterial;
    private long seq;

    private void setUp(EspAlgorithm alg) {
        keyMaterial = TestPackets.keyMaterial(alg, 99);
        inbound = SecurityAssociation.inbound(SPI, alg, keyMaterial, false, Lifetime.UNLIMITED);
        decryptor = new EspDecryptor(inbound);
        seq = 0;
    }

    /** Opens an authentic packet with the given plaintext (inner, padding, trailer as written). */
    private EspDropReason openPlaintext(EspAlgorithm alg, byte[] plaintext) {
        byte[] esp = ReferenceEsp.sealPlaintext(alg, keyMaterial, SPI, ++seq, false, seq, plaintext);
        return open(esp);
    }

    private EspDropReason open(byte[] esp) {
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withBytes(esp));
        try {
            return decryptor.open(buf);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void wrongPadByteIsBadPadding(EspAlgorithm alg) {
        setUp(alg);
        byte[] plain = ReferenceEsp.plaintext(Arrays.copyOf(INNER, INNER.length), 4);
        int padLength = plain[plain.length - 2];
        assertThat(padLength).isPositive();
        plain[plain.length - 3] = 0; // last pad byte should be padLength
        assertThat(openPlaintext(alg, plain)).isEqualTo(EspDropReason.BAD_PADDING);
        assertThat(inbound.replayWindow().highest()).as("authentic, so the window moved").isEqualTo(seq);
        assertThat(inbound.packets()).isZero();
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void padBytesOfZeroesAreBadPadding(EspAlgorithm alg) {
        setUp(alg);
        byte[] plain = new byte[INNER.length + 7 + 2];
        System.arraycopy(INNER, 0, plain, 0, INNER.length);
        plain[plain.length - 2] = 7;
        plain[plain.length - 1] = 4;
        assertThat(openPlaintext(alg, plain)).isEqualTo(EspDropReason.BAD_PADDING);
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void padLengthBeyondThePayloadIsBadPadding(EspAlgorithm alg) {
        setUp(alg);
        byte[] plain = {1, 2, (byte) 200, 4};
        assertThat(openPlaintext(alg, plain)).isEqualTo(EspDropReason.BAD_PADDING);
        assertThat(openPlaintext(alg, new byte[] {1, 2, 3, 4, (byte) 5, 4})).isEqualTo(EspDropReason.BAD_PADDING);
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void longerValidPaddingIsAccepted(EspAlgorithm alg) {
        setUp(alg);
        // RFC 4303 allows up to 255 pad bytes (to hide the length); all must count 1, 2, 3 ...
        byte[] plain = new byte[INNER.length + 250 + 2];
        System.arraycopy(INNER, 0, plain, 0, INNER.length);
        for (int i = 0; i < 250; i++) {
            plain[INNER.length + i] = (byte) (i + 1);
        }
        plain[plain.length - 2] = (byte) 250;
        plain[plain.length - 1] = 41;
        byte[] esp = ReferenceEsp.sealPlaintext(alg, keyMaterial, SPI, 1, false, 1, plain);
        ByteBuf buf = buffers.track(BufferKind.POOLED_HEAP.withBytes(esp));
        try {
            assertThat(decryptor.open(buf)).isNull();
            assertThat(Hex.readable(buf)).isEqualTo(INNER);
            assertThat(decryptor.nextHeader()).isEqualTo(41);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @CsvSource({"AES128GCM16, 0", "AES128GCM16, 6", "AES128GCM16, 17", "AES128GCM16, 50", "AES128GCM16, 255",
        "CHACHA20POLY1305, 0", "CHACHA20POLY1305, 97", "NULL, 1", "AES256GCM16, 60"})
    void otherNextHeadersAreCountedAsBadNextHeader(EspAlgorithm alg, int nextHeader) {
        setUp(alg);
        assertThat(openPlaintext(alg, ReferenceEsp.plaintext(INNER, nextHeader))).isEqualTo(EspDropReason.BAD_NEXT_HEADER);
        assertThat(decryptor.nextHeader()).isEqualTo(-1);
        assertThat(inbound.replayWindow().highest()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void nextHeader59IsADummyPacketNotAnError(EspAlgorithm alg) {
        setUp(alg);
        assertThat(openPlaintext(alg, ReferenceEsp.plaintext(new byte[13], Esp.NEXT_HEADER_NONE))).isEqualTo(EspDropReason.DUMMY);
        assertThat(inbound.packets()).as("an authentic packet, counted").isEqualTo(1);
        assertThat(EspDropReason.DUMMY.counterName()).isEqualTo("dropped.dummy");
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void weCanSendDummiesToo(EspAlgorithm alg) {
        setUp(alg);
        EspEncryptor encryptor = new EspEncryptor(SecurityAssociation.outbound(SPI, alg, keyMaterial, false, Lifetime.UNLIMITED));
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withPacket(16, new byte[30], encryptor.maxTailroom()));
        try {
            assertThat(encryptor.seal(buf, Esp.NEXT_HEADER_NONE)).isNull();
            assertThat(decryptor.open(buf)).isEqualTo(EspDropReason.DUMMY);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void everyLengthBelowTheMinimumIsTruncated(EspAlgorithm alg) {
        setUp(alg);
        int minimum = 8 + alg.ivLength() + 2 + alg.icvLength();
        assertThat(decryptor.minimumPacketLength()).isEqualTo(minimum);
        byte[] valid = ReferenceEsp.seal(alg, keyMaterial, SPI, 1, false, 1, new byte[0], 4);
        assertThat(valid).hasSize(minimum + 2); // empty payload still pads to 4
        for (int length = 0; length < minimum; length++) {
            assertThat(open(Arrays.copyOf(valid, length))).as("length %d", length).isEqualTo(EspDropReason.TRUNCATED);
        }
        assertThat(inbound.replayWindow().highest()).isZero();
        assertThat(open(valid)).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 15, 16, 17})
    void cuttingBytesOffTheEndBreaksTheIcv(int cut) {
        setUp(EspAlgorithm.AES128GCM16);
        byte[] valid = ReferenceEsp.seal(EspAlgorithm.AES128GCM16, keyMaterial, SPI, 1, false, 1, INNER, 4);
        assertThat(open(Arrays.copyOf(valid, valid.length - cut))).isEqualTo(EspDropReason.BAD_ICV);
        assertThat(open(valid)).isNull();
    }

    @Test
    void zeroLengthBufferIsTruncated() {
        setUp(EspAlgorithm.CHACHA20POLY1305);
        ByteBuf empty = buffers.track(BufferKind.POOLED_DIRECT.allocate(0));
        try {
            assertThat(decryptor.open(empty)).isEqualTo(EspDropReason.TRUNCATED);
        } finally {
            empty.release();
        }
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void anotherSpiIsUnknownSpiBeforeAnyCrypto(EspAlgorithm alg) {
        setUp(alg);
        byte[] esp = ReferenceEsp.seal(alg, keyMaterial, SPI + 1, 1, false, 1, INNER, 4);
        assertThat(open(esp)).isEqualTo(EspDropReason.UNKNOWN_SPI);
        assertThat(inbound.replayWindow().highest()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = EspAlgorithm.class, names = "NULL", mode = EnumSource.Mode.EXCLUDE)
    void wrongKeyIsBadIcv(EspAlgorithm alg) {
        setUp(alg);
        byte[] otherKey = TestPackets.keyMaterial(alg, 100);
        assertThat(open(ReferenceEsp.seal(alg, otherKey, SPI, 1, false, 1, INNER, 4))).isEqualTo(EspDropReason.BAD_ICV);
        byte[] otherSalt = keyMaterial.clone();
        otherSalt[otherSalt.length - 1] ^= 1;
        assertThat(open(ReferenceEsp.seal(alg, otherSalt, SPI, 1, false, 1, INNER, 4))).isEqualTo(EspDropReason.BAD_ICV);
        assertThat(open(ReferenceEsp.seal(alg, keyMaterial, SPI, 1, true, 1, INNER, 4)))
                .as("sealed with ESN AAD, opened without").isEqualTo(EspDropReason.BAD_ICV);
        assertThat(inbound.replayWindow().highest()).isZero();
    }

    @Test
    void replayIsCaughtBeforeDecryption() {
        setUp(EspAlgorithm.AES128GCM16);
        byte[] esp = ReferenceEsp.seal(EspAlgorithm.AES128GCM16, keyMaterial, SPI, 1, false, 1, INNER, 4);
        assertThat(open(esp)).isNull();
        byte[] garbledReplay = esp.clone();
        garbledReplay[garbledReplay.length - 1] ^= 1; // would fail its ICV, but the window refuses it first
        assertThat(open(garbledReplay)).isEqualTo(EspDropReason.REPLAYED);
    }
}
