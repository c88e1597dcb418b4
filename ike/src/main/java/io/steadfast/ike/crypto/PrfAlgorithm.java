package io.steadfast.ike.crypto;

import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.Transform;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudorandom functions we negotiate: HMAC-SHA2 (RFC 4868), computed with JCE. The key length of
 * SK_d, SK_pi and SK_pr is the output length (RFC 7296 2.13, "preferred key size").
 *
 * <pre>{@code
 * byte[] skeyseed = PrfAlgorithm.HMAC_SHA2_256.compute(concat(ni, nr), sharedSecret);
 * }</pre>
 */
public enum PrfAlgorithm {
    /** PRF_HMAC_SHA2_256. */
    HMAC_SHA2_256(Ike.PRF_HMAC_SHA2_256, "HmacSHA256", 32, "prfsha256"),
    /** PRF_HMAC_SHA2_384. */
    HMAC_SHA2_384(Ike.PRF_HMAC_SHA2_384, "HmacSHA384", 48, "prfsha384"),
    /** PRF_HMAC_SHA2_512. */
    HMAC_SHA2_512(Ike.PRF_HMAC_SHA2_512, "HmacSHA512", 64, "prfsha512");

    private final int transformId;
    private final String jceName;
    private final int outputLength;
    private final String keyword;

    PrfAlgorithm(int transformId, String jceName, int outputLength, String keyword) {
        this.transformId = transformId;
        this.jceName = jceName;
        this.outputLength = outputLength;
        this.keyword = keyword;
    }

    /** IANA transform ID (type PRF). */
    public int transformId() {
        return transformId;
    }

    /** strongSwan's keyword, e.g. {@code prfsha256}. */
    public String keyword() {
        return keyword;
    }

    /** Output length in bytes, also the key length of SK_d, SK_pi and SK_pr. */
    public int outputLength() {
        return outputLength;
    }

    /** The transform for an SA payload. */
    public Transform transform() {
        return Transform.of(Ike.TRANSFORM_PRF, transformId);
    }

    /** The algorithm with this transform ID, or null. */
    public static PrfAlgorithm byId(int transformId) {
        for (PrfAlgorithm prf : values()) {
            if (prf.transformId == transformId) {
                return prf;
            }
        }
        return null;
    }

    /** prf(key, data[0] | data[1] | ...). Keys of any non-zero length are fine (HMAC hashes long keys). */
    public byte[] compute(byte[] key, byte[]... data) {
        Mac mac = mac(key);
        for (byte[] part : data) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    /** A JCE Mac keyed with {@code key}. */
    Mac mac(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("a PRF key must not be empty");
        }
        try {
            Mac mac = Mac.getInstance(jceName);
            mac.init(new SecretKeySpec(key, jceName));
            return mac;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jceName + " missing from the JDK", e);
        }
    }
}
