package io.steadfast.ike.crypto;

import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.Transform;

/**
 * The integrity algorithms we negotiate for the IKE SA: HMAC-SHA2 truncated to half the hash (RFC 4868),
 * with keys as long as the hash output.
 *
 * <pre>{@code
 * IntegrityAlgorithm integ = IntegrityAlgorithm.HMAC_SHA2_256_128; // key 32, ICV 16
 * }</pre>
 */
public enum IntegrityAlgorithm {
    /** AUTH_HMAC_SHA2_256_128. */
    HMAC_SHA2_256_128(Ike.INTEG_HMAC_SHA2_256_128, "HmacSHA256", 32, 16, "sha256", PrfAlgorithm.HMAC_SHA2_256),
    /** AUTH_HMAC_SHA2_384_192. */
    HMAC_SHA2_384_192(Ike.INTEG_HMAC_SHA2_384_192, "HmacSHA384", 48, 24, "sha384", PrfAlgorithm.HMAC_SHA2_384),
    /** AUTH_HMAC_SHA2_512_256. */
    HMAC_SHA2_512_256(Ike.INTEG_HMAC_SHA2_512_256, "HmacSHA512", 64, 32, "sha512", PrfAlgorithm.HMAC_SHA2_512);

    private final int transformId;
    private final String jceName;
    private final int keyLength;
    private final int icvLength;
    private final String keyword;
    private final PrfAlgorithm matchingPrf;

    IntegrityAlgorithm(int transformId, String jceName, int keyLength, int icvLength, String keyword, PrfAlgorithm matchingPrf) {
        this.transformId = transformId;
        this.jceName = jceName;
        this.keyLength = keyLength;
        this.icvLength = icvLength;
        this.keyword = keyword;
        this.matchingPrf = matchingPrf;
    }

    /** IANA transform ID (type INTEG). */
    public int transformId() {
        return transformId;
    }

    /** JCE Mac name. */
    public String jceName() {
        return jceName;
    }

    /** Length of SK_ai / SK_ar in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Length of the truncated ICV in bytes. */
    public int icvLength() {
        return icvLength;
    }

    /** strongSwan's keyword, e.g. {@code sha256}. */
    public String keyword() {
        return keyword;
    }

    /** The PRF strongSwan adds to an IKE proposal that names this integrity algorithm but no PRF. */
    public PrfAlgorithm matchingPrf() {
        return matchingPrf;
    }

    /** The transform for an SA payload. */
    public Transform transform() {
        return Transform.of(Ike.TRANSFORM_INTEG, transformId);
    }

    /** The algorithm with this transform ID, or null. */
    public static IntegrityAlgorithm byId(int transformId) {
        for (IntegrityAlgorithm integ : values()) {
            if (integ.transformId == transformId) {
                return integ;
            }
        }
        return null;
    }
}
