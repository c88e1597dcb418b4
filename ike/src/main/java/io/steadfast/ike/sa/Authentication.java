package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.auth.AuthenticationException;
import io.steadfast.ike.auth.CertificateValidator;
import io.steadfast.ike.auth.Certificates;
import io.steadfast.ike.auth.PskAuthenticator;
import io.steadfast.ike.auth.SignatureAuthenticator;
import io.steadfast.ike.crypto.PrfAlgorithm;
import io.steadfast.ike.payload.AuthPayload;
import io.steadfast.ike.payload.CertPayload;
import io.steadfast.ike.payload.CertRequestPayload;
import io.steadfast.ike.payload.IdPayload;
import io.steadfast.ike.payload.Payload;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * The AUTH side of IKE_AUTH for both roles (RFC 7296 2.15, RFC 7427): our AUTH (and CERT) payloads with a pre-shared
 * key or a certificate, and the check of the peer's AUTH by the method it used: a PSK MIC against our key for it, a
 * signature against a certificate that chains to a CA we trust and names the identity claimed.
 *
 * <pre>{@code
 * List<Payload> mine = Authentication.ours(sa, octets, psk, certificates);
 * String problem = Authentication.checkPeer(sa, message, idr, peerOctets, psk, certificates); // null: authenticated
 * }</pre>
 */
final class Authentication {
    private Authentication() {}

    /** CERT payloads (our chain) and AUTH: signed when we have certificates, else the PSK MIC. */
    static List<Payload> ours(SaContext sa, byte[] octets, byte[] psk, Certificates certificates) {
        List<Payload> payloads = new ArrayList<>();
        if (certificates != null) {
            for (X509Certificate c : certificates.chain()) {
                try {
                    payloads.add(CertPayload.x509(c.getEncoded()));
                } catch (CertificateEncodingException e) {
                    throw new IllegalStateException("our certificate does not encode", e);
                }
            }
            payloads.add(SignatureAuthenticator.sign(certificates.privateKey(), octets, sa.peerRfc7427));
        } else {
            PrfAlgorithm prf = sa.keys.suite().prf();
            payloads.add(new AuthPayload(Ike.AUTH_SHARED_KEY_MIC, PskAuthenticator.compute(prf, psk, octets)));
        }
        return payloads;
    }

    /** CERTREQ naming the CAs we trust, when we check certificates (the peer then sends its own). */
    static List<Payload> certificateRequest(Certificates certificates) {
        return certificates == null ? List.of() : List.of(CertRequestPayload.x509(certificates.trustAnchorKeyHashes()));
    }

    /** Null when the peer's AUTH proves {@code id}; else the reason, for the one log line. */
    static String checkPeer(SaContext sa, IkeMessage message, IdPayload id, AuthPayload auth, byte[] octets, byte[] psk,
            Certificates certificates) {
        if (auth.method() == Ike.AUTH_SHARED_KEY_MIC) {
            if (psk == null) return "it used a pre-shared key, and we have none for it";
            PrfAlgorithm prf = sa.keys.suite().prf();
            boolean ok = PskAuthenticator.verify(prf, psk, octets, auth.data());
            Arrays.fill(psk, (byte) 0);
            return ok ? null : "its AUTH does not verify with the pre-shared key (the keys differ)";
        }
        if (certificates == null) {
            return "it signed (auth method " + auth.method() + "), and we have no CA to check its certificate";
        }
        List<byte[]> der = message.all(CertPayload.class).stream()
                .filter(c -> c.encoding() == Ike.CERT_X509_SIGNATURE).map(CertPayload::data).toList();
        try {
            X509Certificate peer = new CertificateValidator(certificates.trustAnchors()).validate(der, id, new Date());
            SignatureAuthenticator.verify(peer.getPublicKey(), auth, octets);
            return null;
        } catch (AuthenticationException e) {
            return e.getMessage();
        }
    }
}
