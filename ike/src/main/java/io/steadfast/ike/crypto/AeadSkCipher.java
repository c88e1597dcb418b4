package io.steadfast.ike.crypto;

import io.steadfast.ike.IkeParseException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM-16 (RFC 5282) and ChaCha20-Poly1305 (RFC 7634) for SK payloads, with JCE: nonce = salt (the
 * last 4 bytes of SK_e) | 8-byte IV; AAD = the message from the IKE header through the SK payload header
 * (5.1); 16-byte ICV. The IV is a per-key counter, so it never repeats under one key.
 */
final class AeadSkCipher extends SkCipher {
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;

    private final EncryptionAlgorithm encr;
    private final byte[] key;
    private final byte[] salt;
    private long counter;

    AeadSkCipher(EncryptionAlgorithm encr, byte[] keyMaterial) {
        this.encr = encr;
        this.key = Arrays.copyOf(keyMaterial, encr.keyLength());
        this.salt = Arrays.copyOfRange(keyMaterial, encr.keyLength(), encr.keyMaterialLength());
    }

    @Override
    public int ivLength() {
        return encr.ivLength();
    }

    @Override
    public int icvLength() {
        return encr.icvLength();
    }

    @Override
    public int blockSize() {
        return 1;
    }

    @Override
    synchronized void sealInPlace(byte[] message, int bodyOffset, int paddedLength) {
        if (++counter == 0) {
            throw new IllegalStateException("IV counter exhausted: rekey the IKE SA");
        }
        for (int i = 0; i < 8; i++) {
            message[bodyOffset + i] = (byte) (counter >>> (56 - 8 * i));
        }
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, message, bodyOffset);
            cipher.updateAAD(message, 0, bodyOffset);
            int plaintextOffset = bodyOffset + ivLength();
            cipher.doFinal(message, plaintextOffset, paddedLength, message, plaintextOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(encr.keyword() + " sealing failed", e);
        }
    }

    @Override
    byte[] openVerified(byte[] message, int bodyOffset, int ciphertextLength) throws IkeParseException {
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, message, bodyOffset);
            cipher.updateAAD(message, 0, bodyOffset);
            return cipher.doFinal(message, bodyOffset + ivLength(), ciphertextLength + icvLength());
        } catch (AEADBadTagException e) {
            throw IkeParseException.silent(encr.keyword() + " ICV does not verify");
        } catch (GeneralSecurityException e) {
            throw IkeParseException.silent(encr.keyword() + " decryption failed: " + e.getMessage());
        }
    }

    @Override
    void wipe() {
        Arrays.fill(key, (byte) 0);
        Arrays.fill(salt, (byte) 0);
    }

    private Cipher cipher(int mode, byte[] message, int ivOffset) throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE_LENGTH];
        System.arraycopy(salt, 0, nonce, 0, salt.length);
        System.arraycopy(message, ivOffset, nonce, salt.length, ivLength());
        Cipher cipher;
        if (encr == EncryptionAlgorithm.CHACHA20_POLY1305) {
            cipher = Cipher.getInstance("ChaCha20-Poly1305");
            cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        } else {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        }
        return cipher;
    }
}
