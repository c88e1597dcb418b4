package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;

/**
 * Authentication payload (RFC 7296 3.8): the method (shared key MIC, RFC 7427 digital signature, ...)
 * and the authentication data.
 *
 * <pre>{@code
 * AuthPayload auth = new AuthPayload(Ike.AUTH_SHARED_KEY_MIC, PskAuthenticator.compute(...));
 * }</pre>
 */
public record AuthPayload(int method, byte[] data) implements Payload {
    /** Checks the method fits in a byte. */
    public AuthPayload {
        if (method < 0 || method > 0xFF) {
            throw new IllegalArgumentException("auth method " + method);
        }
    }

    @Override
    public int type() {
        return Ike.PAYLOAD_AUTH;
    }

    /** Parses the body: method, three reserved bytes, data (not empty). */
    public static AuthPayload parse(ByteReader body) throws IkeParseException {
        int method = body.u8("auth method");
        body.skip(3, "auth reserved");
        if (body.isEmpty()) {
            throw IkeParseException.syntax("AUTH payload without authentication data");
        }
        return new AuthPayload(method, body.rest());
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.u8(method).zeros(3).bytes(data);
    }

    @Override
    public String toString() {
        return "AUTH(" + method + ", " + data.length + " bytes)";
    }
}
