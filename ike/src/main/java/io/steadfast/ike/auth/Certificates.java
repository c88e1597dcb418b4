package io.steadfast.ike.auth;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Our certificate credentials: the private key, our certificate chain (end entity first, then intermediates) and
 * the CA certificates we trust for the peer's. Loads what strongSwan's {@code pki} writes (PEM; PKCS#1, SEC1 or
 * PKCS#8 keys) through Bouncy Castle.
 *
 * <pre>{@code
 * Certificates ours = Certificates.fromPem(Path.of("client.key"), Path.of("client.crt"), Path.of("ca.crt"));
 * byte[] certreq = ours.trustAnchorKeyHashes().getFirst();   // SHA-1 of the CA's SubjectPublicKeyInfo
 * }</pre>
 */
public record Certificates(PrivateKey privateKey, List<X509Certificate> chain, List<X509Certificate> trustAnchors) {
    /** Copies the lists; needs a key, a certificate and at least one trust anchor. */
    public Certificates {
        chain = List.copyOf(chain);
        trustAnchors = List.copyOf(trustAnchors);
        if (privateKey == null || chain.isEmpty() || trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("certificate auth needs a private key, a certificate and a CA to trust");
        }
    }

    /** Our end-entity certificate. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /** SHA-1 hashes of the trust anchors' SubjectPublicKeyInfo, for CERTREQ (RFC 7296 3.7). */
    public List<byte[]> trustAnchorKeyHashes() {
        return trustAnchors.stream().map(Certificates::keyHash).toList();
    }

    /** SHA-1 of a certificate's SubjectPublicKeyInfo. */
    public static byte[] keyHash(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(certificate.getPublicKey().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing from the JDK", e);
        }
    }

    /** Loads a PEM key, a PEM certificate file (end entity, then intermediates) and PEM CA files. */
    public static Certificates fromPem(Path key, Path certificates, Path... cas) throws IOException {
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path ca : cas) anchors.addAll(readCertificates(ca));
        return new Certificates(readPrivateKey(key), readCertificates(certificates), anchors);
    }

    /** Every certificate in a PEM file. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file); PEMParser pem = new PEMParser(reader)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IOException("bad certificate in " + file + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) throw new IOException("no certificate in " + file);
        return out;
    }

    /** The private key in a PEM file. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file); PEMParser pem = new PEMParser(reader)) {
            Object o = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) return converter.getKeyPair(pair).getPrivate();
            if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
            throw new IOException("no unencrypted private key in " + file);
        }
    }

    @Override
    public String toString() {
        return "Certificates[" + certificate().getSubjectX500Principal() + ", " + trustAnchors.size() + " CA(s)]";
    }
}
