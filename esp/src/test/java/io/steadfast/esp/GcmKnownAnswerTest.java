package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known answers for our JCE usage: the AES-GCM test cases 4 (AES-128) and 16 (AES-256) of McGrew and
 * Viega's GCM specification (also in NIST's GCM validation set): 96-bit IV, 20 bytes of AAD, 60 bytes of
 * plaintext, 128-bit tag. Run through {@link JceAeadCipher} in place on every buffer kind, by the
 * scratch-array path and by the direct-ByteBuffer path.
 */
class GcmKnownAnswerTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final byte[] PLAINTEXT = Hex.bytes("""
            d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
            1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39""");
    static final byte[] AAD = Hex.bytes("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    static final byte[] IV = Hex.bytes("cafebabefacedbaddecaf888");

    static final byte[] KEY_128 = Hex.bytes("feffe9928665731c6d6a8f9467308308");
    static final String CIPHERTEXT_TAG_128 = """
            42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e
            21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091
            5bc94fbc3221a5db94fae95ae7121a47""";

    static final byte[] KEY_256 = Hex.bytes("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    static final String CIPHERTEXT_TAG_256 = """
            522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa
            8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662
            76fc6ece0f4e1768cddf8853bb2d551b""";

    static Stream<Arguments> paths() {
        return Arrays.stream(BufferKind.values()).flatMap(kind -> Stream.of(Arguments.of(kind, false), Arguments.of(kind, true)));
    }

    @ParameterizedTest(name = "{0} nio={1}")
    @MethodSource("paths")
    void testCase4Aes128(BufferKind kind, boolean nio) {
        check(kind, nio, EspAlgorithm.AES128GCM16, KEY_128, CIPHERTEXT_TAG_128);
    }

    @ParameterizedTest(name = "{0} nio={1}")
    @MethodSource("paths")
    void testCase16Aes256(BufferKind kind, boolean nio) {
        check(kind, nio, EspAlgorithm.AES256GCM16, KEY_256, CIPHERTEXT_TAG_256);
    }

    @ParameterizedTest(name = "{0} nio={1}")
    @MethodSource("paths")
    void tamperedTagIsRefused(BufferKind kind, boolean nio) {
        SecretKey key = new SecretKeySpec(KEY_128, "AES");
        byte[] sealed = Hex.bytes(CIPHERTEXT_TAG_128);
        sealed[sealed.length - 1] ^= 1;
        ByteBuf buf = buffers.track(kind.withPacket(3, sealed, 0));
        try {
            boolean ok = new JceAeadCipher(EspAlgorithm.AES128GCM16, key, false, nio)
                    .open(buf, buf.readerIndex(), sealed.length, IV.clone(), AAD, AAD.length);
            assertThat(ok).isFalse();
        } finally {
            buf.release();
        }
    }

    private void check(BufferKind kind, boolean nio, EspAlgorithm alg, byte[] keyBytes, String expectedHex) {
        SecretKey key = new SecretKeySpec(keyBytes, "AES");
        int offset = 5;
        ByteBuf buf = buffers.track(kind.withPacket(offset, PLAINTEXT, Esp.AEAD_ICV_LENGTH));
        try {
            new JceAeadCipher(alg, key, true, nio).seal(buf, offset, PLAINTEXT.length, IV.clone(), AAD, AAD.length);
            buf.writerIndex(offset + PLAINTEXT.length + Esp.AEAD_ICV_LENGTH);
            assertThat(Hex.of(buf)).isEqualTo(Hex.of(Hex.bytes(expectedHex)));

            boolean ok = new JceAeadCipher(alg, key, false, nio).open(buf, offset, buf.readableBytes(), IV.clone(), AAD, AAD.length);
            assertThat(ok).isTrue();
            assertThat(Hex.of(buf.slice(offset, PLAINTEXT.length))).isEqualTo(Hex.of(PLAINTEXT));
        } finally {
            buf.release();
        }
    }
}
