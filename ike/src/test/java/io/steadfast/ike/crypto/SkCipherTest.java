package io.steadfast.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Hex;
import io.steadfast.ike.IkeParseException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.DefaultBufferedBlockCipher;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SK payload protection against an independent Bouncy Castle implementation of RFC 5282 5.1 (AES-GCM),
 * RFC 7634 (ChaCha20-Poly1305) and RFC 7296 3.14 (AES-CBC, encrypt-then-MAC with HMAC-SHA2).
 */
class SkCipherTest {
    static final Random RANDOM = new Random(5282);

    static byte[] random(int length) {
        byte[] b = new byte[length];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A message prefix (header and SK generic header stand-in) of 32 bytes and room for the body. */
    static byte[] message(SkCipher cipher, byte[] inner) {
        byte[] message = new byte[32 + cipher.sealedLength(inner.length)];
        System.arraycopy(random(32), 0, message, 0, 32);
        return message;
    }

    static SkCipher cipher(EncryptionAlgorithm encr, byte[] key, IntegrityAlgorithm integ, byte[] integKey) {
        return SkCipher.create(encr, integ, key, integKey, new SecureRandom());
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionAlgorithm.class, names = {"AES128_GCM16", "AES256_GCM16", "CHACHA20_POLY1305"})
    void aeadMatchesBouncyCastle(EncryptionAlgorithm encr) throws Exception {
        byte[] keyMaterial = random(encr.keyMaterialLength());
        for (int length : new int[] {0, 1, 15, 16, 17, 100, 1000}) {
            byte[] inner = random(length);
            try (SkCipher ours = cipher(encr, keyMaterial, null, null)) {
                byte[] message = message(ours, inner);
                ours.seal(message, 32, inner);
                byte[] iv = Arrays.copyOfRange(message, 32, 40);
                byte[] nonce = Reference.concat(Arrays.copyOfRange(keyMaterial, encr.keyLength(), encr.keyMaterialLength()), iv);
                AEADCipher reference = encr == EncryptionAlgorithm.CHACHA20_POLY1305 ? new ChaCha20Poly1305()
                        : GCMBlockCipher.newInstance(AESEngine.newInstance());
                reference.init(true, new AEADParameters(new KeyParameter(keyMaterial, 0, encr.keyLength()), 128, nonce,
                        Arrays.copyOf(message, 32)));
                byte[] plaintext = Reference.concat(inner, new byte[] {0}); // AEAD: no padding, pad length 0
                byte[] expected = new byte[reference.getOutputSize(plaintext.length)];
                int n = reference.processBytes(plaintext, 0, plaintext.length, expected, 0);
                reference.doFinal(expected, n);
                assertThat(Hex.of(Arrays.copyOfRange(message, 40, message.length))).as("length %d", length)
                        .isEqualTo(Hex.of(expected));
                assertThat(ours.open(message, 32, message.length - 32)).isEqualTo(inner);
            }
        }
    }

    @Test
    void cbcHmacMatchesBouncyCastle() throws Exception {
        byte[] encKey = random(16);
        byte[] integKey = random(32);
        byte[] inner = random(37);
        try (SkCipher ours = cipher(EncryptionAlgorithm.AES128_CBC, encKey, IntegrityAlgorithm.HMAC_SHA2_256_128, integKey)) {
            byte[] message = message(ours, inner);
            assertThat(message.length - 32).isEqualTo(16 + 48 + 16); // IV, 37 + 10 padding + 1, ICV
            ours.seal(message, 32, inner);
            byte[] iv = Arrays.copyOfRange(message, 32, 48);
            byte[] padded = Reference.concat(inner, new byte[10], new byte[] {10});
            BufferedBlockCipher cbc = new DefaultBufferedBlockCipher(CBCBlockCipher.newInstance(AESEngine.newInstance()));
            cbc.init(true, new ParametersWithIV(new KeyParameter(encKey), iv));
            byte[] ciphertext = new byte[48];
            cbc.doFinal(ciphertext, cbc.processBytes(padded, 0, 48, ciphertext, 0));
            assertThat(Arrays.copyOfRange(message, 48, 96)).isEqualTo(ciphertext);
            byte[] mac = Reference.hmac(new SHA256Digest(), integKey, Arrays.copyOf(message, 96));
            assertThat(Arrays.copyOfRange(message, 96, 112)).isEqualTo(Arrays.copyOf(mac, 16));
            assertThat(ours.open(message, 32, message.length - 32)).isEqualTo(inner);
        }
    }

    @Test
    void cbcWithSha512TruncatesTo256Bits() throws Exception {
        byte[] encKey = random(32);
        byte[] integKey = random(64);
        byte[] inner = random(15);
        try (SkCipher ours = cipher(EncryptionAlgorithm.AES256_CBC, encKey, IntegrityAlgorithm.HMAC_SHA2_512_256, integKey)) {
            byte[] message = message(ours, inner);
            ours.seal(message, 32, inner);
            int icvAt = message.length - 32;
            byte[] mac = Reference.hmac(new SHA512Digest(), integKey, Arrays.copyOf(message, icvAt));
            assertThat(Arrays.copyOfRange(message, icvAt, message.length)).isEqualTo(Arrays.copyOf(mac, 32));
            assertThat(ours.open(message, 32, message.length - 32)).isEqualTo(inner);
        }
    }

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    void everyBitIsAuthenticated(EncryptionAlgorithm encr) throws Exception {
        IntegrityAlgorithm integ = encr.isAead() ? null : IntegrityAlgorithm.HMAC_SHA2_256_128;
        byte[] key = random(encr.keyMaterialLength());
        byte[] integKey = integ == null ? null : random(integ.keyLength());
        byte[] inner = random(40);
        try (SkCipher ours = cipher(encr, key, integ, integKey)) {
            byte[] message = message(ours, inner);
            ours.seal(message, 32, inner);
            for (int i = 0; i < message.length; i++) {
                byte[] tampered = message.clone();
                tampered[i] ^= (byte) (1 << (i % 8));
                int at = i;
                assertThatThrownBy(() -> ours.open(tampered, 32, tampered.length - 32)).as("byte %d", at)
                        .isInstanceOf(IkeParseException.class)
                        .satisfies(e -> assertThat(((IkeParseException) e).shouldAnswer()).isFalse());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    void directionKeysDoNotOpenEachOther(EncryptionAlgorithm encr) {
        IntegrityAlgorithm integ = encr.isAead() ? null : IntegrityAlgorithm.HMAC_SHA2_256_128;
        byte[] inner = random(20);
        try (SkCipher a = cipher(encr, random(encr.keyMaterialLength()), integ, integ == null ? null : random(32));
                SkCipher b = cipher(encr, random(encr.keyMaterialLength()), integ, integ == null ? null : random(32))) {
            byte[] message = message(a, inner);
            a.seal(message, 32, inner);
            assertThatThrownBy(() -> b.open(message, 32, message.length - 32)).isInstanceOf(IkeParseException.class);
        }
    }

    @Test
    void aeadIvsNeverRepeat() {
        byte[] inner = random(10);
        try (SkCipher ours = cipher(EncryptionAlgorithm.AES128_GCM16, random(20), null, null)) {
            java.util.Set<String> ivs = new java.util.HashSet<>();
            for (int i = 0; i < 100; i++) {
                byte[] message = message(ours, inner);
                ours.seal(message, 32, inner);
                assertThat(ivs.add(Hex.of(Arrays.copyOfRange(message, 32, 40)))).isTrue();
            }
        }
    }

    @Test
    void cbcIvsAreRandom() {
        byte[] inner = random(10);
        try (SkCipher ours = cipher(EncryptionAlgorithm.AES128_CBC, random(16), IntegrityAlgorithm.HMAC_SHA2_256_128, random(32))) {
            byte[] m1 = message(ours, inner);
            byte[] m2 = message(ours, inner);
            System.arraycopy(m1, 0, m2, 0, 32);
            ours.seal(m1, 32, inner);
            ours.seal(m2, 32, inner);
            assertThat(Arrays.copyOfRange(m1, 32, 48)).isNotEqualTo(Arrays.copyOfRange(m2, 32, 48));
        }
    }

    @Test
    void badPadLengthAfterAValidIcvIsInvalidSyntax() throws Exception {
        byte[] keyMaterial = random(20);
        try (SkCipher ours = cipher(EncryptionAlgorithm.AES128_GCM16, keyMaterial, null, null)) {
            // Seal a plaintext whose last byte (the pad length) claims more padding than there are bytes.
            byte[] prefix = random(32);
            byte[] plaintext = Hex.bytes("0102ff");
            byte[] iv = Hex.bytes("0000000000000009");
            GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
            gcm.init(true, new AEADParameters(new KeyParameter(keyMaterial, 0, 16), 128,
                    Reference.concat(Arrays.copyOfRange(keyMaterial, 16, 20), iv), prefix));
            byte[] sealed = new byte[gcm.getOutputSize(3)];
            gcm.doFinal(sealed, gcm.processBytes(plaintext, 0, 3, sealed, 0));
            byte[] message = Reference.concat(prefix, iv, sealed);
            assertThatThrownBy(() -> ours.open(message, 32, message.length - 32)).isInstanceOf(IkeParseException.class)
                    .hasMessageContaining("pad length 255")
                    .satisfies(e -> assertThat(((IkeParseException) e).shouldAnswer()).isTrue());
        }
    }

    @Test
    void bodiesTooShortForAnIcvAreDropped() {
        try (SkCipher ours = cipher(EncryptionAlgorithm.AES128_GCM16, random(20), null, null)) {
            byte[] message = new byte[32 + 8 + 16];
            assertThatThrownBy(() -> ours.open(message, 32, 24)).isInstanceOf(IkeParseException.class)
                    .hasMessageContaining("too short");
            assertThatThrownBy(() -> ours.open(message, 40, 24)).isInstanceOf(IkeParseException.class);
            assertThatThrownBy(() -> ours.open(message, -1, 24)).isInstanceOf(IkeParseException.class);
        }
    }

    @Test
    void cbcCiphertextOfPartialBlocksIsRefusedAfterTheIcv() throws Exception {
        byte[] encKey = random(16);
        byte[] integKey = random(32);
        try (SkCipher ours = cipher(EncryptionAlgorithm.AES128_CBC, encKey, IntegrityAlgorithm.HMAC_SHA2_256_128, integKey)) {
            byte[] message = Reference.concat(random(32), random(16), random(5));
            byte[] mac = Reference.hmac(new SHA256Digest(), integKey, message);
            byte[] withIcv = Reference.concat(message, Arrays.copyOf(mac, 16));
            assertThatThrownBy(() -> ours.open(withIcv, 32, withIcv.length - 32)).hasMessageContaining("not whole blocks");
        }
    }

    @Test
    void paddingFillsCbcBlocks() {
        try (SkCipher ours = cipher(EncryptionAlgorithm.AES128_CBC, random(16), IntegrityAlgorithm.HMAC_SHA2_256_128, random(32))) {
            assertThat(ours.sealedLength(0)).isEqualTo(16 + 16 + 16);
            assertThat(ours.sealedLength(15)).isEqualTo(16 + 16 + 16);
            assertThat(ours.sealedLength(16)).isEqualTo(16 + 32 + 16);
            assertThat(ours.blockSize()).isEqualTo(16);
        }
        try (SkCipher ours = cipher(EncryptionAlgorithm.AES128_GCM16, random(20), null, null)) {
            assertThat(ours.sealedLength(0)).isEqualTo(8 + 1 + 16);
            assertThat(ours.sealedLength(100)).isEqualTo(8 + 101 + 16);
        }
    }

    @Test
    void closedCiphersRefuseAndWipeTheirKeys() throws Exception {
        SkCipher ours = cipher(EncryptionAlgorithm.AES128_GCM16, random(20), null, null);
        java.lang.reflect.Field key = AeadSkCipher.class.getDeclaredField("key");
        key.setAccessible(true);
        byte[] keyBytes = (byte[]) key.get(ours);
        ours.close();
        assertThat(ours.isClosed()).isTrue();
        assertThat(keyBytes).containsOnly(0);
        byte[] message = new byte[32 + ours.sealedLength(1)];
        assertThatThrownBy(() -> ours.seal(message, 32, new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ours.open(message, 32, message.length - 32)).isInstanceOf(IllegalStateException.class);

        SkCipher cbc = cipher(EncryptionAlgorithm.AES128_CBC, random(16), IntegrityAlgorithm.HMAC_SHA2_256_128, random(32));
        java.lang.reflect.Field integ = CbcHmacSkCipher.class.getDeclaredField("integrityKey");
        integ.setAccessible(true);
        byte[] integBytes = (byte[]) integ.get(cbc);
        cbc.close();
        assertThat(integBytes).containsOnly(0);
    }

    @Test
    void createChecksKeysAndCombinations() {
        assertThatThrownBy(() -> cipher(EncryptionAlgorithm.AES128_GCM16, random(16), null, null))
                .hasMessageContaining("takes 20 key bytes");
        assertThatThrownBy(() -> cipher(EncryptionAlgorithm.AES128_GCM16, random(20), IntegrityAlgorithm.HMAC_SHA2_256_128, random(32)))
                .hasMessageContaining("combined-mode");
        assertThatThrownBy(() -> cipher(EncryptionAlgorithm.AES128_CBC, random(16), null, null))
                .hasMessageContaining("needs an integrity algorithm");
        assertThatThrownBy(() -> cipher(EncryptionAlgorithm.AES128_CBC, random(16), IntegrityAlgorithm.HMAC_SHA2_256_128, random(31)))
                .hasMessageContaining("needs an integrity algorithm");
    }

    @Test
    void sealRefusesABodyThatDoesNotEndTheMessage() {
        try (SkCipher ours = cipher(EncryptionAlgorithm.AES128_GCM16, random(20), null, null)) {
            byte[] message = new byte[32 + ours.sealedLength(4) + 1];
            assertThatThrownBy(() -> ours.seal(message, 32, new byte[4])).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
