package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 7634 Appendix A, the ESP example: a tunnel-mode ChaCha20-Poly1305 SA, SPI 0x01020304, sequence
 * number 5, IV 0x1011121314151617, an ICMP echo from 198.51.100.5 to 192.0.2.5, two pad bytes.
 * Checked byte for byte in both directions.
 */
class Rfc7634ExampleTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final byte[] KEY_MATERIAL = Hex.bytes("""
            808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f
            a0a1a2a3""");
    static final int SPI = 0x01020304;
    static final long SEQUENCE = 5;
    static final long IV = 0x1011121314151617L;

    static final byte[] INNER = Hex.bytes("""
            45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec10
            0007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223
            2425262728292a2b2c2d2e2f3031323334353637""");

    static final byte[] ESP = Hex.bytes("""
            0102030400000005
            1011121314151617
            24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c6
            14ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3
            cbec163fac469b502773f6fb94e664da9165b82829f641e076aaa8266b7fb0f7
            b11b369907e1ad43""");

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void sealsTheExampleByteForByte(BufferKind kind) {
        SecurityAssociation sa = SecurityAssociation.outbound(SPI, EspAlgorithm.CHACHA20POLY1305, KEY_MATERIAL, false, Lifetime.UNLIMITED);
        sa.skipSequenceTo(SEQUENCE - 1);
        EspEncryptor encryptor = new EspEncryptor(sa, seq -> IV);
        ByteBuf buf = buffers.track(kind.withPacket(EspEncryptor.MAX_HEADROOM, INNER, encryptor.maxTailroom()));
        try {
            assertThat(encryptor.seal(buf, Esp.NEXT_HEADER_IPV4)).isNull();
            assertThat(Hex.of(buf)).isEqualTo(Hex.of(ESP));
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void opensTheExample(BufferKind kind) {
        SecurityAssociation sa = SecurityAssociation.inbound(SPI, EspAlgorithm.CHACHA20POLY1305, KEY_MATERIAL, false, Lifetime.UNLIMITED);
        EspDecryptor decryptor = new EspDecryptor(sa);
        ByteBuf buf = buffers.track(kind.withPacket(2, ESP, 0));
        try {
            assertThat(decryptor.open(buf)).isNull();
            assertThat(Hex.of(buf)).isEqualTo(Hex.of(INNER));
            assertThat(decryptor.nextHeader()).isEqualTo(Esp.NEXT_HEADER_IPV4);
            assertThat(decryptor.sequenceNumber()).isEqualTo(SEQUENCE);
            assertThat(sa.lastSequenceNumber()).isEqualTo(SEQUENCE);
            assertThat(sa.packets()).isEqualTo(1);
            assertThat(sa.bytes()).isEqualTo(INNER.length);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void theIndependentReferenceAgrees(BufferKind kind) {
        byte[] reference = ReferenceEsp.seal(EspAlgorithm.CHACHA20POLY1305, KEY_MATERIAL, SPI, SEQUENCE, false, IV, INNER, 4);
        assertThat(Hex.of(reference)).isEqualTo(Hex.of(ESP));
        byte[] plaintext = ReferenceEsp.openPlaintext(EspAlgorithm.CHACHA20POLY1305, KEY_MATERIAL, SEQUENCE, false, ESP);
        assertThat(Hex.of(plaintext)).isEqualTo(Hex.of(INNER) + "010202" + "04");
    }
}
