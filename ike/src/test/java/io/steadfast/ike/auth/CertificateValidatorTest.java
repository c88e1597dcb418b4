package io.steadfast.ike.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.payload.IdPayload;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/** The peer's certificate must chain to a CA we trust, be valid now, and name the identity the peer claims. */
class CertificateValidatorTest {
    static final TestPki.Ca CA = TestPki.ca("CN=Steadfast Test CA", TestPki.keys("EC", 256));
    static final KeyPair GW = TestPki.keys("RSA", 2048);
    static final X509Certificate GW_CERT = TestPki.issue(CA, "CN=gw.example", GW, "gw.example");

    static byte[] der(X509Certificate c) throws Exception {
        return c.getEncoded();
    }

    @Test
    void aCertificateOfOurCaNamingTheIdentityPasses() throws Exception {
        X509Certificate peer = new CertificateValidator(List.of(CA.certificate()))
                .validate(List.of(der(GW_CERT)), IdPayload.fqdn(false, "gw.example"), new Date());
        assertThat(peer).isEqualTo(GW_CERT);
        // the CA certificate sent along is harmless
        new CertificateValidator(List.of(CA.certificate())).validate(List.of(der(GW_CERT), der(CA.certificate())),
                IdPayload.fqdn(false, "GW.example"), new Date());
    }

    @Test
    void anotherCasCertificateIsNotTrusted() throws Exception {
        TestPki.Ca rogue = TestPki.ca("CN=Rogue CA", TestPki.keys("EC", 256));
        X509Certificate fake = TestPki.issue(rogue, "CN=gw.example", GW, "gw.example");
        assertThatThrownBy(() -> new CertificateValidator(List.of(CA.certificate()))
                .validate(List.of(der(fake)), IdPayload.fqdn(false, "gw.example"), new Date()))
                .isInstanceOf(AuthenticationException.class).hasMessageStartingWith("its certificate 'CN=gw.example' is not trusted");
    }

    @Test
    void aCertificateForAnotherNameDoesNotProveThisOne() {
        assertThatThrownBy(() -> new CertificateValidator(List.of(CA.certificate()))
                .validate(List.of(der(GW_CERT)), IdPayload.fqdn(false, "other.example"), new Date()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("its certificate 'CN=gw.example' does not name the identity it claims (other.example)");
    }

    @Test
    void anExpiredCertificateFails() throws Exception {
        X509Certificate old = TestPki.issue(CA, "CN=gw.example", GW, "gw.example", Instant.now().minus(Duration.ofDays(9)),
                Instant.now().minus(Duration.ofDays(2)));
        assertThatThrownBy(() -> new CertificateValidator(List.of(CA.certificate()))
                .validate(List.of(der(old)), IdPayload.fqdn(false, "gw.example"), new Date()))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("is not trusted");
    }

    @Test
    void noCertificateOrGarbageFails() {
        CertificateValidator v = new CertificateValidator(List.of(CA.certificate()));
        assertThatThrownBy(() -> v.validate(List.of(), IdPayload.fqdn(false, "gw.example"), new Date()))
                .hasMessage("it sent no certificate");
        assertThatThrownBy(() -> v.validate(List.of(new byte[] {0x30, 3, 1, 2, 3}), IdPayload.fqdn(false, "gw.example"),
                new Date())).isInstanceOf(AuthenticationException.class).hasMessageStartingWith("its certificate does not parse");
    }

    @Test
    void identitiesBindBySubjectOrSubjectAltName() throws Exception {
        X509Certificate email = TestPki.issue(CA, "CN=alice", GW, "alice@example.org");
        X509Certificate ip = TestPki.issue(CA, "CN=host", GW, "192.0.2.7");
        assertThat(CertificateValidator.binds(email, IdPayload.rfc822(true, "alice@example.org"))).isTrue();
        assertThat(CertificateValidator.binds(email, IdPayload.fqdn(true, "alice@example.org"))).isFalse();
        assertThat(CertificateValidator.binds(ip, IdPayload.ipv4(true, (Inet4Address) InetAddress.getByName("192.0.2.7"))))
                .isTrue();
        assertThat(CertificateValidator.binds(GW_CERT, IdPayload.derAsn1Dn(true,
                new X500Principal("CN=gw.example").getEncoded()))).isTrue();
        assertThat(CertificateValidator.binds(GW_CERT, IdPayload.derAsn1Dn(true,
                new X500Principal("CN=other").getEncoded()))).isFalse();
    }

    @Test
    void credentialsHashTheirCasKeyForCertreq() throws Exception {
        Certificates ours = TestPki.credentials(GW, GW_CERT, CA);
        byte[] expected = java.security.MessageDigest.getInstance("SHA-1").digest(CA.certificate().getPublicKey().getEncoded());
        assertThat(ours.trustAnchorKeyHashes()).singleElement().isEqualTo(expected);
        assertThat(ours.certificate()).isEqualTo(GW_CERT);
        assertThatThrownBy(() -> new Certificates(GW.getPrivate(), List.of(), List.of(CA.certificate())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
