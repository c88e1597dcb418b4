package io.steadfast.esp;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * The cipher key of an SA as a JCE key. Its encoding is copied from the SA's live keying material on
 * every {@code Cipher.init}, so zeroing the SA leaves no long-lived copy of ours behind.
 */
final class EspKey implements SecretKey {
    private static final long serialVersionUID = 1L;

    private final transient byte[] keyMaterial;
    private final int keyLength;
    private final String jceAlgorithm;

    EspKey(byte[] keyMaterial, EspAlgorithm algorithm) {
        this.keyMaterial = keyMaterial;
        this.keyLength = algorithm.keyLength();
        this.jceAlgorithm = algorithm == EspAlgorithm.CHACHA20POLY1305 ? "ChaCha20" : "AES";
    }

    @Override
    public String getAlgorithm() {
        return jceAlgorithm;
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public byte[] getEncoded() {
        return Arrays.copyOf(keyMaterial, keyLength);
    }

    @Override
    public String toString() {
        return "EspKey[" + jceAlgorithm + ", " + keyLength + " bytes]";
    }
}
