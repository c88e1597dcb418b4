package io.steadfast.ike.auth;

import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.AuthPayload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * Signature authentication of IKEv2: RFC 7427 "digital signature" (auth method 14: a length-prefixed
 * AlgorithmIdentifier, then the signature) with RSA PKCS#1 v1.5 or ECDSA over SHA-256/384/512, and the older
 * methods a peer may still use: RSA with SHA-1 (method 1, RFC 7296) and ECDSA with a raw r|s (methods 9-11, RFC 4754).
 * The signed data is {@link SignedOctets}. JCA signs and verifies; Bouncy Castle only converts ECDSA encodings.
 *
 * <pre>{@code
 * AuthPayload auth = SignatureAuthenticator.sign(privateKey, octets, true);         // method 14, SHA-256
 * SignatureAuthenticator.verify(peerCertificate.getPublicKey(), peerAuth, peerOctets); // or AuthenticationException
 * }</pre>
 */
public final class SignatureAuthenticator {
    private SignatureAuthenticator() {}

    /** DER AlgorithmIdentifiers (RFC 7427 appendix A) by JCA signature name; RSA's carry a NULL parameter. */
    static final Map<String, byte[]> ALGORITHM_IDENTIFIERS = Map.of(
            "SHA256withRSA", HexFormat.of().parseHex("300d06092a864886f70d01010b0500"),
            "SHA384withRSA", HexFormat.of().parseHex("300d06092a864886f70d01010c0500"),
            "SHA512withRSA", HexFormat.of().parseHex("300d06092a864886f70d01010d0500"),
            "SHA256withECDSA", HexFormat.of().parseHex("300a06082a8648ce3d040302"),
            "SHA384withECDSA", HexFormat.of().parseHex("300a06082a8648ce3d040303"),
            "SHA512withECDSA", HexFormat.of().parseHex("300a06082a8648ce3d040304"));

    /**
     * The AUTH payload for {@code octets}: with {@code rfc7427} (both sides sent SIGNATURE_HASH_ALGORITHMS) method 14
     * with SHA-256 (SHA-384 for P-384 keys), else method 1 (RSA, SHA-1) or 9/10 (ECDSA P-256/P-384).
     */
    public static AuthPayload sign(PrivateKey key, byte[] octets, boolean rfc7427) {
        boolean ec = key instanceof ECKey;
        if (!ec && !(key instanceof RSAKey)) {
            throw new IllegalArgumentException("only RSA and ECDSA keys sign IKE AUTH, not " + key.getAlgorithm());
        }
        int fieldBits = ec ? ((ECKey) key).getParams().getCurve().getField().getFieldSize() : 0;
        String hash = fieldBits > 256 ? "SHA384" : "SHA256";
        try {
            if (rfc7427) {
                String algorithm = hash + (ec ? "withECDSA" : "withRSA");
                byte[] id = ALGORITHM_IDENTIFIERS.get(algorithm);
                byte[] signature = jcaSign(algorithm, key, octets);
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                data.write(id.length);
                data.writeBytes(id);
                data.writeBytes(signature);
                return new AuthPayload(Ike.AUTH_DIGITAL_SIGNATURE, data.toByteArray());
            }
            if (!ec) return new AuthPayload(Ike.AUTH_RSA_SIGNATURE, jcaSign("SHA1withRSA", key, octets));
            if (fieldBits != 256 && fieldBits != 384) {
                throw new IllegalArgumentException("RFC 4754 covers P-256 and P-384 keys; use RFC 7427 for others");
            }
            byte[] der = jcaSign(hash + "withECDSA", key, octets);
            return new AuthPayload(fieldBits == 256 ? Ike.AUTH_ECDSA_SHA256_P256 : Ike.AUTH_ECDSA_SHA384_P384,
                    rawFromDer(der, fieldBits / 8));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("signing with a " + key.getAlgorithm() + " key failed", e);
        }
    }

    /** Checks the AUTH payload of the peer whose public key is {@code key}; the exception says why it fails. */
    public static void verify(PublicKey key, AuthPayload auth, byte[] octets) throws AuthenticationException {
        String algorithm;
        byte[] signature;
        switch (auth.method()) {
            case Ike.AUTH_DIGITAL_SIGNATURE -> {
                byte[] data = auth.data();
                int idLength = data.length == 0 ? -1 : data[0] & 0xFF;
                if (idLength < 1 || data.length < 1 + idLength) {
                    throw new AuthenticationException("malformed RFC 7427 AUTH data");
                }
                byte[] id = Arrays.copyOfRange(data, 1, 1 + idLength);
                algorithm = ALGORITHM_IDENTIFIERS.entrySet().stream().filter(e -> Arrays.equals(e.getValue(), id))
                        .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AuthenticationException(
                                "RFC 7427 signature algorithm " + HexFormat.of().formatHex(id) + " is not one we verify"
                                        + " (RSA PKCS#1 v1.5 or ECDSA with SHA-2)"));
                signature = Arrays.copyOfRange(data, 1 + idLength, data.length);
            }
            case Ike.AUTH_RSA_SIGNATURE -> {
                algorithm = "SHA1withRSA";
                signature = auth.data();
            }
            case Ike.AUTH_ECDSA_SHA256_P256, Ike.AUTH_ECDSA_SHA384_P384, Ike.AUTH_ECDSA_SHA512_P521 -> {
                algorithm = switch (auth.method()) {
                    case Ike.AUTH_ECDSA_SHA256_P256 -> "SHA256withECDSA";
                    case Ike.AUTH_ECDSA_SHA384_P384 -> "SHA384withECDSA";
                    default -> "SHA512withECDSA";
                };
                signature = derFromRaw(auth.data());
            }
            default -> throw new AuthenticationException("auth method " + auth.method() + " is not a signature we verify");
        }
        boolean keyFits = algorithm.endsWith("RSA") ? key instanceof RSAKey : key instanceof ECKey;
        if (!keyFits) {
            throw new AuthenticationException("a " + algorithm + " signature from a " + key.getAlgorithm() + " key");
        }
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(octets);
            if (!verifier.verify(signature)) {
                throw new AuthenticationException("its " + algorithm + " AUTH signature does not verify with its certificate's key");
            }
        } catch (java.security.SignatureException | java.security.InvalidKeyException e) {
            throw new AuthenticationException("its " + algorithm + " AUTH signature is malformed: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }

    private static byte[] jcaSign(String algorithm, PrivateKey key, byte[] octets) throws GeneralSecurityException {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(octets);
        return signer.sign();
    }

    /** r|s, each left-padded to {@code half} bytes, from a DER ECDSA signature. */
    static byte[] rawFromDer(byte[] der, int half) throws IOException {
        ASN1Sequence seq = ASN1Sequence.getInstance(der);
        byte[] out = new byte[2 * half];
        for (int i = 0; i < 2; i++) {
            byte[] v = ASN1Integer.getInstance(seq.getObjectAt(i)).getPositiveValue().toByteArray();
            int start = v.length > half ? v.length - half : 0;
            System.arraycopy(v, start, out, i * half + half - (v.length - start), v.length - start);
        }
        return out;
    }

    /** A DER ECDSA signature from r|s. */
    static byte[] derFromRaw(byte[] raw) throws AuthenticationException {
        if (raw.length == 0 || raw.length % 2 != 0) throw new AuthenticationException("malformed ECDSA signature");
        int half = raw.length / 2;
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, half))));
        v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length))));
        try {
            return new DERSequence(v).getEncoded();
        } catch (IOException e) {
            throw new AuthenticationException("malformed ECDSA signature", e);
        }
    }
}
