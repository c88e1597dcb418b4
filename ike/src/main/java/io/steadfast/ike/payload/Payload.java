package io.steadfast.ike.payload;

import io.steadfast.ike.ByteWriter;

/**
 * One IKEv2 payload (RFC 7296 3.2): its type and its body, the bytes after the generic payload header.
 * {@link PayloadChain} writes the generic headers and parses chains back into these records. Byte arrays
 * in payload records are not copied: treat them as immutable.
 *
 * <pre>{@code
 * List<Payload> payloads = List.of(sa, new KePayload(Ike.DH_CURVE25519, publicValue), new NoncePayload(nonce));
 * byte[] chain = PayloadChain.encode(payloads);
 * }</pre>
 */
public sealed interface Payload permits SaPayload, KePayload, IdPayload, CertPayload, CertRequestPayload, AuthPayload,
        NoncePayload, NotifyPayload, DeletePayload, VendorIdPayload, TsPayload, EncryptedPayload, CpPayload,
        EncryptedFragmentPayload {

    /** The payload type ({@code Ike.PAYLOAD_*}). */
    int type();

    /** Writes the body: everything after the 4-byte generic payload header. */
    void encodeBody(ByteWriter out);

    /** The body as bytes. */
    default byte[] body() {
        ByteWriter out = new ByteWriter();
        encodeBody(out);
        return out.toByteArray();
    }
}
