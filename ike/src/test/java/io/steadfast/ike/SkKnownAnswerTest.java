package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.crypto.EncryptionAlgorithm;
import io.steadfast.ike.crypto.IntegrityAlgorithm;
import io.steadfast.ike.crypto.SkCipher;
import io.steadfast.ike.payload.DeletePayload;
import io.steadfast.ike.payload.NotifyPayload;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Whole encrypted INFORMATIONAL messages computed independently with Python's {@code cryptography}
 * (OpenSSL): header, SK header, IV, ciphertext, ICV. The inner chain is N(INITIAL_CONTACT), D(ESP c0ffee01).
 */
class SkKnownAnswerTest {
    static final String INNER = """
            2a 00 0008  00 00 4000          # N(INITIAL_CONTACT), next D
            00 00 000c  03 04 0001 c0ffee01 # D(ESP, one 4-byte SPI)
            """;
    static final long SPI_I = 0x0102030405060708L;
    static final long SPI_R = 0x1112131415161718L;

    /** AES-128-GCM-16, SK_e = 00..0f | a0a1a2a3, IV 1 (our counter's first value), initiator request 2. */
    static final String GCM = """
            0102030405060708 1112131415161718 2e 20 25 08 00000002 0000004d
            29 00 0031                      # SK, first inner payload N, length 49
            0000000000000001                # IV
            6c711cfa6c843750876c461bd8009467d10df782969fd7ca7a   # ciphertext of inner | pad length 0
            0269fe8a1ba66d8b18c32900
            """;

    /** ChaCha20-Poly1305, SK_e = 00..1f | b0b1b2b3, IV 1. */
    static final String CHACHA = """
            0102030405060708 1112131415161718 2e 20 25 08 00000002 0000004d
            29 00 0031 0000000000000001
            7cb9684f4145abf302cef9e8d1fc10d43180ba63bf210ab464
            fc9d5ae96d240cb554f7ccd2
            """;

    /** AES-256-CBC + HMAC-SHA2-256-128, SK_e = 00..1f, SK_a = 20..3f, IV f0..f0, responder's response 2, 11 pad bytes. */
    static final String CBC = """
            0102030405060708 1112131415161718 2e 20 25 20 00000002 00000060
            29 00 0044
            f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0
            d0f9190762de32c212adb35f2b812cdce02e115b85e37335dcc66571e7420155
            b13aefe8cebe71e9785f99a5fe39996e  # ICV
            """;

    static byte[] range(int from, int count) {
        byte[] b = new byte[count];
        for (int i = 0; i < count; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    static IkeMessageBuilder informational(boolean response) {
        return (response ? IkeMessageBuilder.response(Ike.EXCHANGE_INFORMATIONAL, SPI_I, SPI_R, 2, false)
                : IkeMessageBuilder.request(Ike.EXCHANGE_INFORMATIONAL, SPI_I, SPI_R, 2, true))
                .add(NotifyPayload.of(Ike.NOTIFY_INITIAL_CONTACT)).add(DeletePayload.esp(0xc0ffee01));
    }

    static void assertInner(IkeMessage m) {
        assertThat(m.encrypted()).isTrue();
        assertThat(io.steadfast.ike.payload.PayloadChain.encode(m.payloads())).isEqualTo(Hex.bytes(INNER));
    }

    @Test
    void gcmSealsToTheKnownAnswer() throws Exception {
        byte[] key = io.steadfast.ike.crypto.IkeSaKeysAccess.concat(range(0, 16), Hex.bytes("a0a1a2a3"));
        try (SkCipher cipher = SkCipher.create(EncryptionAlgorithm.AES128_GCM16, null, key, null, new SecureRandom())) {
            assertThat(Hex.of(informational(false).encrypt(cipher))).isEqualTo(Hex.of(Hex.bytes(GCM)));
        }
        try (SkCipher cipher = SkCipher.create(EncryptionAlgorithm.AES128_GCM16, null, key, null, new SecureRandom())) {
            assertInner(IkeMessageDecoder.decrypt(Hex.bytes(GCM), cipher));
        }
    }

    @Test
    void chachaSealsToTheKnownAnswer() throws Exception {
        byte[] key = io.steadfast.ike.crypto.IkeSaKeysAccess.concat(range(0, 32), Hex.bytes("b0b1b2b3"));
        try (SkCipher cipher = SkCipher.create(EncryptionAlgorithm.CHACHA20_POLY1305, null, key, null, new SecureRandom())) {
            assertThat(Hex.of(informational(false).encrypt(cipher))).isEqualTo(Hex.of(Hex.bytes(CHACHA)));
        }
        try (SkCipher cipher = SkCipher.create(EncryptionAlgorithm.CHACHA20_POLY1305, null, key, null, new SecureRandom())) {
            assertInner(IkeMessageDecoder.decrypt(Hex.bytes(CHACHA), cipher));
        }
    }

    @Test
    void cbcOpensTheKnownAnswer() throws Exception {
        try (SkCipher cipher = SkCipher.create(EncryptionAlgorithm.AES256_CBC, IntegrityAlgorithm.HMAC_SHA2_256_128,
                range(0, 32), range(32, 32), new SecureRandom())) {
            IkeMessage m = IkeMessageDecoder.decrypt(Hex.bytes(CBC), cipher);
            assertInner(m);
            assertThat(m.header().isResponse()).isTrue();
        }
    }

    @Test
    void cbcSealsToTheKnownAnswerGivenItsIv() throws Exception {
        // A SecureRandom that hands out the fixture's IV makes our CBC output deterministic.
        SecureRandom fixedIv = new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) 0xf0);
            }
        };
        try (SkCipher cipher = SkCipher.create(EncryptionAlgorithm.AES256_CBC, IntegrityAlgorithm.HMAC_SHA2_256_128,
                range(0, 32), range(32, 32), fixedIv)) {
            assertThat(Hex.of(informational(true).encrypt(cipher))).isEqualTo(Hex.of(Hex.bytes(CBC)));
        }
    }
}
