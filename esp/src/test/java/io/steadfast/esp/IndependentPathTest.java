package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our in-place sealing against {@link ReferenceEsp}, which calls the JCE directly with the RFC 4106 /
 * RFC 7634 nonce (salt || IV) and AAD (SPI || seq, or SPI || seq high || seq low) built from first
 * principles: same bytes out, and each side opens what the other sealed.
 */
class IndependentPathTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final int[] SIZES = {1, 2, 3, 4, 5, 15, 16, 17, 20, 40, 64, 255, 256, 511, 512, 513, 1000, 1400, 1500};

    @ParameterizedTest(name = "{0} esn={1} {2}")
    @CsvSource({
        "AES128GCM16, false, POOLED_DIRECT", "AES128GCM16, true, UNPOOLED_HEAP", "AES128GCM16, false, COMPOSITE_DIRECT",
        "AES256GCM16, false, POOLED_DIRECT", "AES256GCM16, true, POOLED_HEAP", "AES256GCM16, true, ADAPTIVE_DIRECT",
        "CHACHA20POLY1305, false, POOLED_DIRECT", "CHACHA20POLY1305, true, UNPOOLED_HEAP", "CHACHA20POLY1305, true, COMPOSITE_DIRECT",
        "NULL, false, POOLED_DIRECT", "NULL, true, UNPOOLED_HEAP"
    })
    void sealMatchesTheReferenceByteForByte(EspAlgorithm alg, boolean esn, BufferKind kind) {
        byte[] km = TestPackets.keyMaterial(alg, 42);
        int spi = 0x5eed0001;
        SecurityAssociation sa = SecurityAssociation.outbound(spi, alg, km, esn, Lifetime.UNLIMITED);
        long start = esn ? 0xFFFF_FFF0L : 1000;
        sa.skipSequenceTo(start);
        EspEncryptor encryptor = new EspEncryptor(sa);
        long seq = start;
        for (int size : SIZES) {
            seq++;
            byte[] inner = TestPackets.random(size, size);
            ByteBuf buf = buffers.track(kind.withPacket(encryptor.headroom(), inner, encryptor.maxTailroom()));
            try {
                assertThat(encryptor.seal(buf, 41)).isNull();
                byte[] expected = ReferenceEsp.seal(alg, km, spi, seq, esn, seq, inner, 41);
                assertThat(Hex.of(buf)).as("size %d seq %x", size, seq).isEqualTo(Hex.of(expected));
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest(name = "{0} esn={1} {2}")
    @CsvSource({
        "AES128GCM16, false, POOLED_DIRECT", "AES128GCM16, true, POOLED_HEAP",
        "AES256GCM16, false, ADAPTIVE_DIRECT", "AES256GCM16, true, COMPOSITE_DIRECT",
        "CHACHA20POLY1305, false, POOLED_DIRECT", "CHACHA20POLY1305, true, UNPOOLED_HEAP",
        "NULL, false, POOLED_DIRECT"
    })
    void opensWhatTheReferenceSealed(EspAlgorithm alg, boolean esn, BufferKind kind) {
        byte[] km = TestPackets.keyMaterial(alg, 7);
        int spi = 0xfeed0002;
        SecurityAssociation sa = SecurityAssociation.inbound(spi, alg, km, esn, Lifetime.UNLIMITED);
        long seq = esn ? 0x3_FFFF_FF00L : 0xFFFF_FF00L;
        sa.replayWindow().update(seq);
        EspDecryptor decryptor = new EspDecryptor(sa);
        for (int size : SIZES) {
            seq++;
            byte[] inner = TestPackets.random(size, ~size);
            byte[] esp = ReferenceEsp.seal(alg, km, spi, seq, esn, seq ^ 0x5a5a, inner, 4); // any IV is valid on receipt
            ByteBuf buf = buffers.track(kind.withPacket(3, esp, 0));
            try {
                assertThat(decryptor.open(buf)).as("size %d", size).isNull();
                assertThat(Hex.of(buf)).isEqualTo(Hex.of(inner));
                assertThat(decryptor.sequenceNumber()).isEqualTo(seq);
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"AES128GCM16", "AES256GCM16", "CHACHA20POLY1305"})
    void theReferenceOpensWhatWeSealedWithEsn(EspAlgorithm alg) {
        byte[] km = TestPackets.keyMaterial(alg, 9);
        SecurityAssociation sa = SecurityAssociation.outbound(0x1000, alg, km, true, Lifetime.UNLIMITED);
        sa.skipSequenceTo(0x7_FFFF_FFFFL);
        EspEncryptor encryptor = new EspEncryptor(sa);
        byte[] inner = TestPackets.random(100, 100);
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withPacket(16, inner, encryptor.maxTailroom()));
        try {
            assertThat(encryptor.seal(buf, 4)).isNull();
            byte[] esp = Hex.readable(buf);
            assertThat(esp).startsWith(Hex.bytes("00001000 00000000 0000000800000000"));
            byte[] plaintext = ReferenceEsp.openPlaintext(alg, km, 0x8_0000_0000L, true, esp);
            assertThat(Hex.of(plaintext)).isEqualTo(Hex.of(ReferenceEsp.plaintext(inner, 4)));
        } finally {
            buf.release();
        }
    }
}
