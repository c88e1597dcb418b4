package io.steadfast.ike.crypto;

import io.steadfast.ike.IkeParseException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-CBC (RFC 3602) with HMAC-SHA2 (RFC 4868) for SK payloads, encrypt-then-MAC: a random 16-byte IV,
 * and an ICV (the HMAC truncated) over the whole message from the IKE header through the ciphertext
 * (RFC 7296 3.14), checked in constant time before anything is decrypted.
 */
final class CbcHmacSkCipher extends SkCipher {
    private static final int BLOCK = 16;

    private final EncryptionAlgorithm encr;
    private final IntegrityAlgorithm integ;
    private final byte[] encryptionKey;
    private final byte[] integrityKey;
    private final SecureRandom random;

    CbcHmacSkCipher(EncryptionAlgorithm encr, IntegrityAlgorithm integ, byte[] encryptionKey, byte[] integrityKey,
            SecureRandom random) {
        this.encr = encr;
        this.integ = integ;
        this.encryptionKey = encryptionKey.clone();
        this.integrityKey = integrityKey.clone();
        this.random = random;
    }

    @Override
    public int ivLength() {
        return BLOCK;
    }

    @Override
    public int icvLength() {
        return integ.icvLength();
    }

    @Override
    public int blockSize() {
        return BLOCK;
    }

    @Override
    void sealInPlace(byte[] message, int bodyOffset, int paddedLength) {
        byte[] iv = new byte[BLOCK];
        random.nextBytes(iv);
        System.arraycopy(iv, 0, message, bodyOffset, BLOCK);
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"), new IvParameterSpec(iv));
            int plaintextOffset = bodyOffset + BLOCK;
            cipher.doFinal(message, plaintextOffset, paddedLength, message, plaintextOffset);
            byte[] icv = icv(message, plaintextOffset + paddedLength);
            System.arraycopy(icv, 0, message, plaintextOffset + paddedLength, icvLength());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(encr.keyword() + " sealing failed", e);
        }
    }

    @Override
    byte[] openVerified(byte[] message, int bodyOffset, int ciphertextLength) throws IkeParseException {
        int icvOffset = bodyOffset + BLOCK + ciphertextLength;
        byte[] expected;
        try {
            expected = icv(message, icvOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(integ.jceName() + " failed", e);
        }
        byte[] received = Arrays.copyOfRange(message, icvOffset, icvOffset + icvLength());
        if (!MessageDigest.isEqual(Arrays.copyOf(expected, icvLength()), received)) {
            throw IkeParseException.silent(integ.keyword() + " ICV does not verify");
        }
        if (ciphertextLength % BLOCK != 0) {
            throw IkeParseException.syntax("CBC ciphertext of " + ciphertextLength + " bytes is not whole blocks");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"),
                    new IvParameterSpec(message, bodyOffset, BLOCK));
            return cipher.doFinal(message, bodyOffset + BLOCK, ciphertextLength);
        } catch (GeneralSecurityException e) {
            throw IkeParseException.syntax("CBC decryption failed: " + e.getMessage());
        }
    }

    @Override
    void wipe() {
        Arrays.fill(encryptionKey, (byte) 0);
        Arrays.fill(integrityKey, (byte) 0);
    }

    /** The full HMAC over {@code message[0, length)}. */
    private byte[] icv(byte[] message, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(integ.jceName());
        mac.init(new SecretKeySpec(integrityKey, integ.jceName()));
        mac.update(message, 0, length);
        return mac.doFinal();
    }
}
