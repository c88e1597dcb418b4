package io.steadfast.ike.auth;

import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.IdPayload;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a peer's certificates (RFC 7296 3.6, 2.15): the CERT payloads must chain to one of our trusted CAs (PKIX,
 * without revocation checks) at the given time, and the end-entity certificate must name the identity the peer claims
 * in IDi/IDr: its subject DN, or a subjectAltName of the ID's type (dNSName, rfc822Name, iPAddress).
 *
 * <pre>{@code
 * X509Certificate peer = new CertificateValidator(ours.trustAnchors()).validate(derCertificates, idr, new Date());
 * SignatureAuthenticator.verify(peer.getPublicKey(), auth, octets);
 * }</pre>
 */
public final class CertificateValidator {
    private final Set<TrustAnchor> anchors = new HashSet<>();

    /** A validator trusting these CA certificates. */
    public CertificateValidator(List<X509Certificate> trustAnchors) {
        trustAnchors.forEach(ca -> anchors.add(new TrustAnchor(ca, null)));
    }

    /** The end-entity certificate of {@code der} (first) after checking its path and its binding to {@code id}. */
    public X509Certificate validate(List<byte[]> der, IdPayload id, Date at) throws AuthenticationException {
        if (der.isEmpty()) throw new AuthenticationException("it sent no certificate");
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] bytes : der) chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(bytes)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new AuthenticationException("its certificate does not parse: " + e.getMessage(), e);
        }
        X509Certificate peer = chain.getFirst();
        String subject = peer.getSubjectX500Principal().getName();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPath path = factory.generateCertPath(chain.stream()
                    .filter(c -> anchors.stream().noneMatch(a -> a.getTrustedCert().equals(c))).toList());
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(at);
            CertPathValidator.getInstance("PKIX").validate(path, params);
        } catch (java.security.cert.CertPathValidatorException e) {
            throw new AuthenticationException("its certificate '" + subject + "' is not trusted: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new AuthenticationException("its certificate '" + subject + "' cannot be checked: " + e.getMessage(), e);
        }
        if (!binds(peer, id)) {
            throw new AuthenticationException("its certificate '" + subject + "' does not name the identity it claims ("
                    + id.text() + ")");
        }
        return peer;
    }

    /** Whether the certificate names the identity: the subject DN for ID_DER_ASN1_DN, else a matching subjectAltName. */
    public static boolean binds(X509Certificate certificate, IdPayload id) {
        if (id.idType() == Ike.ID_DER_ASN1_DN) { // canonical comparison: string types and case may differ
            try {
                return new javax.security.auth.x500.X500Principal(id.data()).equals(certificate.getSubjectX500Principal());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        int sanType = switch (id.idType()) {
            case Ike.ID_FQDN -> 2;
            case Ike.ID_RFC822_ADDR -> 1;
            case Ike.ID_IPV4_ADDR, Ike.ID_IPV6_ADDR -> 7;
            default -> -1;
        };
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null || sanType < 0) return false;
            String wanted = sanType == 7 ? InetAddress.getByAddress(id.data()).getHostAddress()
                    : new String(id.data(), StandardCharsets.US_ASCII);
            for (List<?> name : names) {
                if (((Integer) name.get(0)) == sanType && name.get(1) instanceof String value) {
                    boolean same = sanType == 7 ? InetAddress.getByName(value).getHostAddress().equals(wanted)
                            : value.equalsIgnoreCase(wanted);
                    if (same) return true;
                }
            }
            return false;
        } catch (java.security.cert.CertificateParsingException | java.net.UnknownHostException e) {
            return false;
        }
    }
}
