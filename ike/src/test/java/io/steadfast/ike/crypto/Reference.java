package io.steadfast.ike.crypto;

import java.io.ByteArrayOutputStream;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Independent reference computations for the tests, written from RFC 7296 with Bouncy Castle's
 * lightweight API (not JCE, which the code under test uses).
 */
final class Reference {
    private Reference() {}

    static Digest digest(PrfAlgorithm prf) {
        return switch (prf) {
            case HMAC_SHA2_256 -> new SHA256Digest();
            case HMAC_SHA2_384 -> new SHA384Digest();
            case HMAC_SHA2_512 -> new SHA512Digest();
        };
    }

    static byte[] hmac(Digest digest, byte[] key, byte[]... data) {
        HMac mac = new HMac(digest);
        mac.init(new KeyParameter(key));
        for (byte[] d : data) {
            mac.update(d, 0, d.length);
        }
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    static byte[] prf(PrfAlgorithm prf, byte[] key, byte[]... data) {
        return hmac(digest(prf), key, data);
    }

    /** prf+ exactly as RFC 7296 2.13 writes it: T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n). */
    static byte[] prfPlus(PrfAlgorithm prf, byte[] key, byte[] seed, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] t = new byte[0];
        for (int n = 1; out.size() < length; n++) {
            t = prf(prf, key, t, seed, new byte[] {(byte) n});
            out.writeBytes(t);
        }
        byte[] all = out.toByteArray();
        byte[] result = new byte[length];
        System.arraycopy(all, 0, result, 0, length);
        return result;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
