package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;

/**
 * Certificate payload (RFC 7296 3.6): an encoding (usually X.509 Certificate - Signature, DER) and data.
 *
 * <pre>{@code
 * CertPayload cert = CertPayload.x509(certificate.getEncoded());
 * }</pre>
 */
public record CertPayload(int encoding, byte[] data) implements Payload {
    /** Checks the encoding fits in a byte. */
    public CertPayload {
        if (encoding < 0 || encoding > 0xFF) {
            throw new IllegalArgumentException("certificate encoding " + encoding);
        }
    }

    /** A DER X.509 certificate. */
    public static CertPayload x509(byte[] der) {
        return new CertPayload(Ike.CERT_X509_SIGNATURE, der);
    }

    @Override
    public int type() {
        return Ike.PAYLOAD_CERT;
    }

    /** Parses the body: encoding, data. */
    public static CertPayload parse(ByteReader body) throws IkeParseException {
        return new CertPayload(body.u8("certificate encoding"), body.rest());
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.u8(encoding).bytes(data);
    }

    @Override
    public String toString() {
        return "CERT(" + encoding + ", " + data.length + " bytes)";
    }
}
