package io.steadfast.ike.crypto;

import io.steadfast.ike.IkeParseException;

/**
 * One side of a Diffie-Hellman exchange: our public value for the KE payload and the shared secret
 * g^ir from the peer's. A peer value of the wrong length or not in the group fails with INVALID_SYNTAX.
 * {@link #close()} zeroes the private key bytes we hold (JCE key objects are dropped, not wiped).
 *
 * <pre>{@code
 * try (KeyExchange dh = DhGroup.CURVE25519.generate(random)) {
 *     KePayload ke = new KePayload(dh.group().id(), dh.publicValue());
 *     byte[] gir = dh.sharedSecret(peerKe.keyData());
 * }
 * }</pre>
 */
public interface KeyExchange extends AutoCloseable {
    /** The group. */
    DhGroup group();

    /** Our public value in the group's KE encoding (a copy). */
    byte[] publicValue();

    /** The shared secret from the peer's public value, in the group's encoding (RFC 7296 2.14). */
    byte[] sharedSecret(byte[] peerPublicValue) throws IkeParseException;

    /** Zeroes the private key material; the exchange then refuses to compute. */
    @Override
    void close();
}
