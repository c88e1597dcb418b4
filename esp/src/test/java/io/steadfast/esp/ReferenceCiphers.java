package io.steadfast.esp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/** One-shot JCE AEAD on plain arrays, a fresh Cipher each time: the expected result for in-place tests. */
final class ReferenceCiphers {
    private ReferenceCiphers() {}

    /** Ciphertext || 16-byte tag of {@code plain} under a 12-byte nonce and the AAD. */
    static byte[] seal(EspAlgorithm alg, SecretKey key, byte[] nonce, byte[] aad, byte[] plain) {
        try {
            boolean chacha = alg == EspAlgorithm.CHACHA20POLY1305;
            Cipher cipher = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, chacha ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
