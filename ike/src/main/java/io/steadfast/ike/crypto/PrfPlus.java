package io.steadfast.ike.crypto;

import java.util.Arrays;
import javax.crypto.Mac;

/**
 * prf+ (RFC 7296 2.13): {@code T1 = prf(K, S | 0x01)}, {@code Tn = prf(K, Tn-1 | S | n)}, output
 * {@code T1 | T2 | ...} cut to the length asked for; at most 255 blocks.
 *
 * <pre>{@code
 * byte[] keymat = PrfPlus.expand(PrfAlgorithm.HMAC_SHA2_256, skD, concat(ni, nr), 72);
 * }</pre>
 */
public final class PrfPlus {
    private PrfPlus() {}

    /** Most blocks prf+ may produce: the counter is one octet. */
    public static final int MAX_BLOCKS = 255;

    /** {@code length} bytes of prf+(key, seed). */
    public static byte[] expand(PrfAlgorithm prf, byte[] key, byte[] seed, int length) {
        int blocks = (length + prf.outputLength() - 1) / prf.outputLength();
        if (length < 0 || blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("prf+ gives at most " + MAX_BLOCKS * prf.outputLength() + " bytes, not " + length);
        }
        Mac mac = prf.mac(key);
        byte[] out = new byte[blocks * prf.outputLength()];
        byte[] previous = new byte[0];
        for (int n = 1; n <= blocks; n++) {
            mac.update(previous);
            mac.update(seed);
            mac.update((byte) n);
            previous = mac.doFinal();
            System.arraycopy(previous, 0, out, (n - 1) * prf.outputLength(), previous.length);
        }
        Arrays.fill(previous, (byte) 0);
        byte[] result = Arrays.copyOf(out, length);
        Arrays.fill(out, (byte) 0);
        return result;
    }
}
