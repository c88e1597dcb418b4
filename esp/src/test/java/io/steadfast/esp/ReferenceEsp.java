package io.steadfast.esp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent ESP sealer/opener written from RFC 4303, 4106 and 7634 with plain byte arrays and a
 * fresh JCE Cipher per call: the yardstick the library's in-place code is checked against, and the way to
 * make authentic packets with a crafted (even invalid) trailer.
 */
final class ReferenceEsp {
    private ReferenceEsp() {}

    /** Seals {@code inner} with correct padding (1, 2, 3 ...) to 4 bytes and {@code nextHeader}. */
    static byte[] seal(EspAlgorithm alg, byte[] keyMaterial, int spi, long seq, boolean esn, long iv, byte[] inner, int nextHeader) {
        return sealPlaintext(alg, keyMaterial, spi, seq, esn, iv, plaintext(inner, nextHeader));
    }

    /** Inner packet, pad bytes 1..n so that the total is a multiple of 4, pad length, next header. */
    static byte[] plaintext(byte[] inner, int nextHeader) {
        int pad = (4 - (inner.length + 2) % 4) % 4;
        byte[] plain = Arrays.copyOf(inner, inner.length + pad + 2);
        for (int i = 0; i < pad; i++) {
            plain[inner.length + i] = (byte) (i + 1);
        }
        plain[plain.length - 2] = (byte) pad;
        plain[plain.length - 1] = (byte) nextHeader;
        return plain;
    }

    /** Seals an arbitrary plaintext (inner packet, padding and trailer, as the caller wrote them). */
    static byte[] sealPlaintext(EspAlgorithm alg, byte[] keyMaterial, int spi, long seq, boolean esn, long iv, byte[] plaintext) {
        ByteBuffer header = ByteBuffer.allocate(8 + alg.ivLength()).putInt(spi).putInt((int) seq);
        if (alg.ivLength() > 0) {
            header.putLong(iv);
        }
        byte[] body = alg == EspAlgorithm.NULL ? plaintext : crypt(Cipher.ENCRYPT_MODE, alg, keyMaterial, spi, seq, esn, iv, plaintext);
        return ByteBuffer.allocate(header.capacity() + body.length).put(header.array()).put(body).array();
    }

    /** Opens an ESP packet (SPI .. ICV) and returns the decrypted plaintext with its padding and trailer. */
    static byte[] openPlaintext(EspAlgorithm alg, byte[] keyMaterial, long seq, boolean esn, byte[] esp) {
        ByteBuffer in = ByteBuffer.wrap(esp);
        int spi = in.getInt(0);
        long iv = alg.ivLength() > 0 ? in.getLong(8) : 0;
        byte[] body = Arrays.copyOfRange(esp, 8 + alg.ivLength(), esp.length);
        return alg == EspAlgorithm.NULL ? body : crypt(Cipher.DECRYPT_MODE, alg, keyMaterial, spi, seq, esn, iv, body);
    }

    /** The AAD of RFC 4106 5 and RFC 7634 2.1. */
    static byte[] aad(int spi, long seq, boolean esn) {
        return esn
                ? ByteBuffer.allocate(12).putInt(spi).putInt((int) (seq >>> 32)).putInt((int) seq).array()
                : ByteBuffer.allocate(8).putInt(spi).putInt((int) seq).array();
    }

    /** salt (the last 4 bytes of the keying material) || IV. */
    static byte[] nonce(byte[] keyMaterial, long iv) {
        return ByteBuffer.allocate(12).put(keyMaterial, keyMaterial.length - 4, 4).putLong(iv).array();
    }

    private static byte[] crypt(int mode, EspAlgorithm alg, byte[] keyMaterial, int spi, long seq, boolean esn, long iv, byte[] input) {
        try {
            boolean chacha = alg == EspAlgorithm.CHACHA20POLY1305;
            Cipher cipher = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
            byte[] nonce = nonce(keyMaterial, iv);
            AlgorithmParameterSpec spec = chacha ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce);
            cipher.init(mode, new SecretKeySpec(keyMaterial, 0, alg.keyLength(), chacha ? "ChaCha20" : "AES"), spec);
            cipher.updateAAD(aad(spi, seq, esn));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new AssertionError("reference " + alg + " failed", e);
        }
    }
}
