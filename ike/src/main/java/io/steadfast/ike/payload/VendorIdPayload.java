package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;

/**
 * Vendor ID payload (RFC 7296 3.12): opaque bytes, kept for logs and otherwise ignored.
 *
 * <pre>{@code
 * if (payload instanceof VendorIdPayload v) log.debug("peer vendor ID {}", v);
 * }</pre>
 */
public record VendorIdPayload(byte[] vendorId) implements Payload {
    @Override
    public int type() {
        return Ike.PAYLOAD_VENDOR_ID;
    }

    /** Parses the body: all of it is the vendor ID. */
    public static VendorIdPayload parse(ByteReader body) {
        return new VendorIdPayload(body.rest());
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.bytes(vendorId);
    }

    @Override
    public String toString() {
        return "V(" + Text.hex(vendorId) + ")";
    }
}
