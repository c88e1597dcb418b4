package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;

/**
 * KE payload (RFC 7296 3.4): the Diffie-Hellman group and our public value in the group's encoding.
 *
 * <pre>{@code
 * KePayload ke = new KePayload(Ike.DH_CURVE25519, keyExchange.publicValue());
 * }</pre>
 */
public record KePayload(int group, byte[] keyData) implements Payload {
    /** Checks the group fits in 16 bits. */
    public KePayload {
        if (group < 0 || group > 0xFFFF) {
            throw new IllegalArgumentException("group " + group);
        }
    }

    @Override
    public int type() {
        return Ike.PAYLOAD_KE;
    }

    /** Parses the body: group, two reserved bytes, key exchange data. */
    public static KePayload parse(ByteReader body) throws IkeParseException {
        int group = body.u16("KE group");
        body.skip(2, "KE reserved");
        if (body.isEmpty()) {
            throw IkeParseException.syntax("KE payload without key exchange data");
        }
        return new KePayload(group, body.rest());
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.u16(group).u16(0).bytes(keyData);
    }

    @Override
    public String toString() {
        return "KE(" + Ike.transformName(Ike.TRANSFORM_DH, group) + ", " + keyData.length + " bytes)";
    }
}
