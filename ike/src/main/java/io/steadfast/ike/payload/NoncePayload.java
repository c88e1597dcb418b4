package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.security.SecureRandom;

/**
 * Nonce payload, Ni or Nr (RFC 7296 3.9): 16 to 256 random bytes, at least half the PRF key size (2.10).
 *
 * <pre>{@code
 * NoncePayload ni = NoncePayload.random(32, secureRandom);
 * }</pre>
 */
public record NoncePayload(byte[] nonce) implements Payload {
    /** Shortest nonce allowed. */
    public static final int MIN_LENGTH = 16;
    /** Longest nonce allowed. */
    public static final int MAX_LENGTH = 256;

    /** Checks the nonce length. */
    public NoncePayload {
        if (nonce.length < MIN_LENGTH || nonce.length > MAX_LENGTH) {
            throw new IllegalArgumentException("nonce of " + nonce.length + " bytes (16..256)");
        }
    }

    /** A fresh nonce of {@code length} random bytes. */
    public static NoncePayload random(int length, SecureRandom random) {
        byte[] nonce = new byte[length];
        random.nextBytes(nonce);
        return new NoncePayload(nonce);
    }

    @Override
    public int type() {
        return Ike.PAYLOAD_NONCE;
    }

    /** Parses the body; INVALID_SYNTAX outside 16..256 bytes. */
    public static NoncePayload parse(ByteReader body) throws IkeParseException {
        if (body.remaining() < MIN_LENGTH || body.remaining() > MAX_LENGTH) {
            throw IkeParseException.syntax("nonce of " + body.remaining() + " bytes (16..256)");
        }
        return new NoncePayload(body.rest());
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.bytes(nonce);
    }

    @Override
    public String toString() {
        return "No(" + nonce.length + " bytes)";
    }
}
