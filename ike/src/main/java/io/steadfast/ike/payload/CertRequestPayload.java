package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Certificate request payload (RFC 7296 3.7): an encoding and the certification authorities, for X.509 a
 * concatenation of SHA-1 hashes of the CAs' subjectPublicKeyInfo.
 *
 * <pre>{@code
 * CertRequestPayload req = CertRequestPayload.x509(List.of(sha1OfCaPublicKeyInfo));
 * }</pre>
 */
public record CertRequestPayload(int encoding, byte[] authorities) implements Payload {
    /** Length of one CA entry for X.509: a SHA-1 hash. */
    public static final int SHA1_LENGTH = 20;

    /** Checks the encoding fits in a byte. */
    public CertRequestPayload {
        if (encoding < 0 || encoding > 0xFF) {
            throw new IllegalArgumentException("certificate encoding " + encoding);
        }
    }

    /** An X.509 request naming CAs by the SHA-1 hash of their public key info (empty list: any CA). */
    public static CertRequestPayload x509(List<byte[]> keyHashes) {
        byte[] all = new byte[keyHashes.size() * SHA1_LENGTH];
        for (int i = 0; i < keyHashes.size(); i++) {
            if (keyHashes.get(i).length != SHA1_LENGTH) {
                throw new IllegalArgumentException("a CA key hash has 20 bytes");
            }
            System.arraycopy(keyHashes.get(i), 0, all, i * SHA1_LENGTH, SHA1_LENGTH);
        }
        return new CertRequestPayload(Ike.CERT_X509_SIGNATURE, all);
    }

    /** The 20-byte CA key hashes; INVALID_SYNTAX if the data is not a whole number of them. */
    public List<byte[]> keyHashes() throws IkeParseException {
        if (authorities.length % SHA1_LENGTH != 0) {
            throw IkeParseException.syntax("CERTREQ authorities of " + authorities.length + " bytes, not n*20");
        }
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < authorities.length; i += SHA1_LENGTH) {
            hashes.add(Arrays.copyOfRange(authorities, i, i + SHA1_LENGTH));
        }
        return hashes;
    }

    @Override
    public int type() {
        return Ike.PAYLOAD_CERTREQ;
    }

    /** Parses the body: encoding, authorities. */
    public static CertRequestPayload parse(ByteReader body) throws IkeParseException {
        return new CertRequestPayload(body.u8("certificate encoding"), body.rest());
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.u8(encoding).bytes(authorities);
    }

    @Override
    public String toString() {
        return "CERTREQ(" + encoding + ", " + authorities.length + " bytes)";
    }
}
