package io.steadfast.ike.crypto;

import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.Transform;
import java.security.SecureRandom;

/**
 * The Diffie-Hellman groups we implement: Curve25519 (RFC 8031, JCE XDH), NIST P-256 (RFC 5903, JCE EC)
 * and the 2048-bit MODP group (RFC 3526, BigInteger).
 *
 * <pre>{@code
 * KeyExchange dh = DhGroup.byId(ke.group()).generate(new SecureRandom());
 * }</pre>
 */
public enum DhGroup {
    /** Group 14. KE data: 256 bytes, big-endian; shared secret left-padded to 256 bytes. */
    MODP_2048(Ike.DH_MODP_2048, "modp2048", 256),
    /** Group 19. KE data: x | y, 32 bytes each; shared secret: x of the shared point. */
    ECP_256(Ike.DH_ECP_256, "ecp256", 64),
    /** Group 31. KE data and shared secret: 32 bytes, little-endian u-coordinate. */
    CURVE25519(Ike.DH_CURVE25519, "x25519", 32);

    private final int id;
    private final String keyword;
    private final int publicValueLength;

    DhGroup(int id, String keyword, int publicValueLength) {
        this.id = id;
        this.keyword = keyword;
        this.publicValueLength = publicValueLength;
    }

    /** IANA group number (transform type DH). */
    public int id() {
        return id;
    }

    /** strongSwan's keyword, e.g. {@code x25519}. */
    public String keyword() {
        return keyword;
    }

    /** Length of the KE payload's key exchange data. */
    public int publicValueLength() {
        return publicValueLength;
    }

    /** The transform for an SA payload. */
    public Transform transform() {
        return Transform.of(Ike.TRANSFORM_DH, id);
    }

    /** The group with this number, or null. */
    public static DhGroup byId(int id) {
        for (DhGroup group : values()) {
            if (group.id == id) {
                return group;
            }
        }
        return null;
    }

    /** A fresh key pair. */
    public KeyExchange generate(SecureRandom random) {
        return switch (this) {
            case MODP_2048 -> ModpKeyExchange.generate(random);
            case ECP_256 -> EcpKeyExchange.generate(random);
            case CURVE25519 -> X25519KeyExchange.generate(random);
        };
    }

    /**
     * The key pair of a given private key, for known-answer tests: the exponent (MODP) or scalar (ECP)
     * big-endian, the X25519 scalar as RFC 7748 encodes it.
     */
    public KeyExchange fromPrivateKey(byte[] privateKey) {
        return switch (this) {
            case MODP_2048 -> ModpKeyExchange.fromPrivateKey(privateKey);
            case ECP_256 -> EcpKeyExchange.fromPrivateKey(privateKey);
            case CURVE25519 -> X25519KeyExchange.fromPrivateKey(privateKey);
        };
    }
}
