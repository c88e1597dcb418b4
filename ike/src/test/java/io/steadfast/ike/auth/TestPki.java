package io.steadfast.ike.auth;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away PKI for tests: RSA or ECDSA CAs and end-entity certificates with subjectAltNames (Bouncy Castle). */
public final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A CA: its key pair and self-signed certificate. */
    public record Ca(KeyPair keys, X509Certificate certificate) {}

    private TestPki() {}

    /** A fresh key pair: "RSA" (2048 bits) or "EC" (P-256, or P-384 with {@code bits} 384). */
    public static KeyPair keys(String algorithm, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) g.initialize(new ECGenParameterSpec(bits == 384 ? "secp384r1" : "secp256r1"));
            else g.initialize(bits, RANDOM);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA named {@code dn}. */
    public static Ca ca(String dn, KeyPair keys) {
        return new Ca(keys, certificate(dn, keys, dn, keys, true, null, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30))));
    }

    /** An end-entity certificate for {@code keys}, issued by {@code ca}, with a dNSName (or rfc822Name with '@'). */
    public static X509Certificate issue(Ca ca, String dn, KeyPair keys, String san) {
        return issue(ca, dn, keys, san, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
    }

    /** As {@link #issue(Ca, String, KeyPair, String)} with a validity period. */
    public static X509Certificate issue(Ca ca, String dn, KeyPair keys, String san, Instant from, Instant to) {
        return certificate(dn, keys, ca.certificate().getSubjectX500Principal().getName(), ca.keys(), false, san, from, to);
    }

    /** Our credentials: key, certificate, the CAs we trust. */
    public static Certificates credentials(KeyPair keys, X509Certificate certificate, Ca... trusted) {
        return new Certificates(keys.getPrivate(), List.of(certificate),
                java.util.Arrays.stream(trusted).map(Ca::certificate).toList());
    }

    /** Writes certificates and private keys (PKCS#8) to {@code file} as PEM. */
    public static java.nio.file.Path writePem(java.nio.file.Path file, Object... objects) {
        try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(java.nio.file.Files.newBufferedWriter(file))) {
            for (Object o : objects) {
                writer.writeObject(o instanceof java.security.PrivateKey key
                        ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : o); // PKCS#8: BC writes EC keys otherwise without their public key
            }
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static X509Certificate certificate(String dn, KeyPair keys, String issuerDn, KeyPair issuerKeys, boolean ca,
            String san, Instant from, Instant to) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuerDn),
                    new BigInteger(64, RANDOM), Date.from(from), Date.from(to), new X500Name(dn), keys.getPublic());
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else if (san != null) {
                int type = san.contains("@") ? GeneralName.rfc822Name
                        : san.matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName;
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(type, san)));
            }
            String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
