package io.steadfast.ike.crypto;

import io.steadfast.ike.IkeParseException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Protection of SK and SKF payloads in one direction (RFC 7296 3.14; AES-GCM and ChaCha20-Poly1305 per
 * RFC 5282 and RFC 7634; AES-CBC with HMAC-SHA2 per RFC 3602 and RFC 4868). The sealed body is
 * {@code IV | ciphertext(inner payloads | padding | pad length) | ICV}; what comes before the body in the
 * message (IKE header, any cleartext payloads, the SK header) is authenticated as well.
 * {@link #close()} zeroes the keys.
 *
 * <pre>{@code
 * try (SkCipher out = keys.initiatorCipher()) {
 *     byte[] message = new byte[bodyOffset + out.sealedLength(inner.length)];
 *     ... write the header and the SK payload header up to bodyOffset ...
 *     out.seal(message, bodyOffset, inner);
 * }
 * }</pre>
 */
public abstract sealed class SkCipher implements AutoCloseable permits AeadSkCipher, CbcHmacSkCipher {
    private volatile boolean closed;

    /** A cipher for one direction; {@code integ} and {@code integrityKey} are null for AEAD ciphers. */
    public static SkCipher create(EncryptionAlgorithm encr, IntegrityAlgorithm integ, byte[] encryptionKey,
            byte[] integrityKey, SecureRandom random) {
        if (encryptionKey.length != encr.keyMaterialLength()) {
            throw new IllegalArgumentException(encr.keyword() + " takes " + encr.keyMaterialLength() + " key bytes, not "
                    + encryptionKey.length);
        }
        if (encr.isAead()) {
            if (integ != null) {
                throw new IllegalArgumentException(encr.keyword() + " is combined-mode and takes no integrity algorithm");
            }
            return new AeadSkCipher(encr, encryptionKey);
        }
        if (integ == null || integrityKey == null || integrityKey.length != integ.keyLength()) {
            throw new IllegalArgumentException(encr.keyword() + " needs an integrity algorithm and its key");
        }
        return new CbcHmacSkCipher(encr, integ, encryptionKey, integrityKey, random);
    }

    /** Length of the IV at the start of the body. */
    public abstract int ivLength();

    /** Length of the ICV at the end of the body. */
    public abstract int icvLength();

    /** The padded plaintext is a multiple of this (1 for the AEAD ciphers). */
    public abstract int blockSize();

    /** Length of the sealed body for {@code innerLength} bytes of inner payloads. */
    public final int sealedLength(int innerLength) {
        return ivLength() + paddedLength(innerLength) + icvLength();
    }

    /**
     * Seals {@code inner} into {@code message[bodyOffset, bodyOffset + sealedLength(inner.length))}, which
     * must end the message: writes IV, ciphertext and ICV; {@code message[0, bodyOffset)} is authenticated.
     */
    public final void seal(byte[] message, int bodyOffset, byte[] inner) {
        checkOpen();
        int padded = paddedLength(inner.length);
        if (bodyOffset < 0 || message.length != bodyOffset + ivLength() + padded + icvLength()) {
            throw new IllegalArgumentException("the sealed body must end the message");
        }
        int plaintextOffset = bodyOffset + ivLength();
        System.arraycopy(inner, 0, message, plaintextOffset, inner.length);
        Arrays.fill(message, plaintextOffset + inner.length, plaintextOffset + padded - 1, (byte) 0);
        message[plaintextOffset + padded - 1] = (byte) (padded - inner.length - 1);
        sealInPlace(message, bodyOffset, padded);
    }

    /**
     * Verifies and decrypts the body {@code message[bodyOffset, bodyOffset + bodyLength)} and returns the
     * inner payload bytes without padding. A body that fails its ICV (or cannot carry one) fails with
     * {@link IkeParseException#SILENT_DROP}; a verified body with a bad pad length with INVALID_SYNTAX.
     */
    public final byte[] open(byte[] message, int bodyOffset, int bodyLength) throws IkeParseException {
        checkOpen();
        int ciphertextLength = bodyLength - ivLength() - icvLength();
        if (bodyOffset < 0 || bodyLength < 0 || bodyOffset > message.length - bodyLength || ciphertextLength < 1) {
            throw IkeParseException.silent("encrypted payload of " + bodyLength + " bytes is too short");
        }
        byte[] plaintext = openVerified(message, bodyOffset, ciphertextLength);
        int padLength = plaintext[plaintext.length - 1] & 0xFF;
        if (padLength + 1 > plaintext.length) {
            throw IkeParseException.syntax("pad length " + padLength + " exceeds the " + plaintext.length
                    + " decrypted bytes");
        }
        byte[] inner = Arrays.copyOf(plaintext, plaintext.length - padLength - 1);
        Arrays.fill(plaintext, (byte) 0);
        return inner;
    }

    /** Whether {@link #close()} was called. */
    public final boolean isClosed() {
        return closed;
    }

    /** Zeroes the keys; the cipher then refuses to work. Idempotent. */
    @Override
    public final void close() {
        closed = true;
        wipe();
    }

    /** Inner bytes plus padding and the pad length byte, a multiple of the block size. */
    final int paddedLength(int innerLength) {
        int block = blockSize();
        return (innerLength + 1 + block - 1) / block * block;
    }

    /** Writes the IV, encrypts {@code paddedLength} bytes after it in place, writes the ICV. */
    abstract void sealInPlace(byte[] message, int bodyOffset, int paddedLength);

    /** Checks the ICV over the message and returns the decrypted padded plaintext. */
    abstract byte[] openVerified(byte[] message, int bodyOffset, int ciphertextLength) throws IkeParseException;

    /** Zeroes the key copies. */
    abstract void wipe();

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("SK cipher closed");
        }
    }
}
