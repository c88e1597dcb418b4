package io.steadfast.esp;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM (RFC 4106) or ChaCha20-Poly1305 (RFC 7634) through the JCE (SunJCE); results land in the
 * packet's own bytes.
 *
 * <p>How the bytes reach the JCE (measured on JDK 25 with {@code EspBenchmark} and {@code InPlaceTest}):
 * <ul>
 *   <li>heap buffer: the array API on the buffer's own array, input and output at the same offset: no copy;</li>
 *   <li>direct buffer (the default): copied into a reusable scratch array, sealed or opened there in place,
 *       copied back: two memcpys of the packet and no allocation of ours. SunJCE's array path uses its
 *       fused AES-GCM intrinsic; its direct-ByteBuffer path streams through fresh 512-byte arrays instead
 *       and was about 1.7x slower at 1400 bytes, allocating ~3 KB per packet against ~1.1 KB; for
 *       ChaCha20-Poly1305 its direct-ByteBuffer path allocates a copy of every packet;</li>
 *   <li>direct buffer with {@value #DIRECT_BYTE_BUFFERS_PROPERTY}=true: {@code doFinal(ByteBuffer, ByteBuffer)}
 *       on two views of the same memory from {@code nioBuffer(index, length)} (SunJCE accepts the overlap
 *       at equal offsets), kept to re-measure on later JDKs;</li>
 *   <li>a buffer of several components (composite): the scratch array.</li>
 * </ul>
 * Per packet the JCE itself forces a {@code Cipher.init} with a new parameter spec (GCMParameterSpec or
 * IvParameterSpec, each cloning the nonce), a copy of the key from {@link SecretKey#getEncoded()} and its
 * own engine objects (about 1 KB for AES-GCM, 2.3 KB for ChaCha20-Poly1305); the nonce, AAD and scratch
 * arrays here are reused.
 */
final class JceAeadCipher extends PacketCipher {
    /** System property: hand direct memory to the JCE as ByteBuffers instead of copying through an array. */
    static final String DIRECT_BYTE_BUFFERS_PROPERTY = "steadfast.esp.jceDirectByteBuffers";

    private static final int TAG_BITS = Esp.AEAD_ICV_LENGTH * 8;

    private final EspAlgorithm algorithm;
    private final SecretKey key;
    private final int mode;
    private final Cipher cipher;
    private final boolean directByteBuffers;
    private byte[] scratch = new byte[0];

    JceAeadCipher(EspAlgorithm algorithm, SecretKey key, boolean encrypt) {
        this(algorithm, key, encrypt, Boolean.getBoolean(DIRECT_BYTE_BUFFERS_PROPERTY));
    }

    /** With {@code directByteBuffers}, direct memory goes to the JCE as NIO views rather than through the scratch array. */
    JceAeadCipher(EspAlgorithm algorithm, SecretKey key, boolean encrypt, boolean directByteBuffers) {
        this.algorithm = algorithm;
        this.key = key;
        this.mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        this.directByteBuffers = directByteBuffers;
        try {
            this.cipher = Cipher.getInstance(isChaCha() ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JCE lacks " + algorithm.keyword(), e);
        }
    }

    @Override
    void seal(ByteBuf buf, int offset, int length, byte[] nonce, byte[] aad, int aadLength) {
        try {
            start(nonce, aad, aadLength);
            crypt(buf, offset, length, length + Esp.AEAD_ICV_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE refused to seal with " + algorithm.keyword(), e);
        }
    }

    @Override
    boolean open(ByteBuf buf, int offset, int length, byte[] nonce, byte[] aad, int aadLength) {
        try {
            start(nonce, aad, aadLength);
            crypt(buf, offset, length, length);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE refused to open with " + algorithm.keyword(), e);
        }
    }

    @Override
    void wipe() {
        Arrays.fill(scratch, (byte) 0);
        byte[] randomNonce = new byte[Esp.AEAD_NONCE_LENGTH];
        ThreadLocalRandom.current().nextBytes(randomNonce);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[algorithm.keyLength()], key.getAlgorithm()),
                    spec(randomNonce));
        } catch (GeneralSecurityException e) {
            // Best effort: the cipher goes away with its encryptor anyway.
        }
    }

    private boolean isChaCha() {
        return algorithm == EspAlgorithm.CHACHA20POLY1305;
    }

    private AlgorithmParameterSpec spec(byte[] nonce) {
        return isChaCha() ? new IvParameterSpec(nonce) : new GCMParameterSpec(TAG_BITS, nonce);
    }

    private void start(byte[] nonce, byte[] aad, int aadLength) throws GeneralSecurityException {
        cipher.init(mode, key, spec(nonce));
        cipher.updateAAD(aad, 0, aadLength);
    }

    /** doFinal over {@code inputLength} bytes at {@code offset}, the output (at most {@code regionLength}) in place. */
    private void crypt(ByteBuf buf, int offset, int inputLength, int regionLength) throws GeneralSecurityException {
        if (buf.hasArray()) {
            byte[] array = buf.array();
            int at = buf.arrayOffset() + offset;
            cipher.doFinal(array, at, inputLength, array, at);
        } else if (directByteBuffers && buf.nioBufferCount() == 1) {
            ByteBuffer output = region(buf, offset, regionLength);
            ByteBuffer input = output.duplicate();
            input.limit(inputLength);
            cipher.doFinal(input, output);
        } else {
            byte[] work = scratch(regionLength);
            buf.getBytes(offset, work, 0, inputLength);
            int produced = cipher.doFinal(work, 0, inputLength, work, 0);
            buf.setBytes(offset, work, 0, produced);
        }
    }

    /**
     * A view of the region that starts at position 0. SunJCE's GCM, on a bad tag, zeroes its direct output
     * from the view's base address up to position + length: with a nonzero position it would clear bytes
     * before the region (other packets in a pooled chunk), so never hand it such a view.
     */
    private static ByteBuffer region(ByteBuf buf, int offset, int length) {
        ByteBuffer view = buf.nioBuffer(offset, length);
        return view.position() == 0 ? view : view.slice();
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, 2048)];
        }
        return scratch;
    }
}
