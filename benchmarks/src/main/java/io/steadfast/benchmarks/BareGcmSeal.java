package io.steadfast.benchmarks;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The floor of every ESP figure: JCE AES-128-GCM over an inner packet of {@code size} bytes padded as ESP
 * pads it, in place, with ESP's nonce (salt || counter) and AAD (SPI || sequence) layout. Once on a pooled
 * direct buffer through two ByteBuffer views of its memory, once on a heap array (SunJCE's fastest route).
 */
final class BareGcmSeal {
    private final Cipher cipher;
    private final SecretKey key;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[8];
    private final ByteBuf packet;
    private final byte[] array;
    private final int paddedLength;
    private long counter;

    BareGcmSeal(int size) throws GeneralSecurityException {
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        key = new SecretKeySpec(EspBenchmark.bytes(16, 1), "AES");
        packet = EspBenchmark.packetBuffer(size);
        paddedLength = size + (-(size + 2) & 3) + 2;
        array = new byte[EspBenchmark.HEADROOM + paddedLength + 16];
        ByteBuffer.wrap(aad).putInt(EspBenchmark.SPI);
    }

    /** Inits the cipher for the next packet: nonce salt || counter, AAD SPI || counter, as ESP does. */
    private void next() throws GeneralSecurityException {
        long iv = ++counter;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (iv >>> (56 - 8 * i));
        }
        aad[4] = (byte) (iv >>> 24);
        aad[5] = (byte) (iv >>> 16);
        aad[6] = (byte) (iv >>> 8);
        aad[7] = (byte) iv;
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
    }

    /** Seals on the pooled direct buffer: doFinal(ByteBuffer, ByteBuffer) on two views of its memory. */
    int sealDirect() throws GeneralSecurityException {
        next();
        ByteBuffer output = packet.nioBuffer(EspBenchmark.HEADROOM, paddedLength + 16);
        ByteBuffer input = output.duplicate();
        input.limit(paddedLength);
        return cipher.doFinal(input, output);
    }

    /** Seals on a heap array in place: SunJCE's fused AES-GCM intrinsic, no copy at all. */
    int sealHeapArray() throws GeneralSecurityException {
        next();
        return cipher.doFinal(array, EspBenchmark.HEADROOM, paddedLength, array, EspBenchmark.HEADROOM);
    }

    void release() {
        packet.release();
    }
}
