package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageDecoder;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.auth.Certificates;
import io.steadfast.ike.auth.TestPki;
import io.steadfast.ike.payload.AuthPayload;
import io.steadfast.ike.payload.CertPayload;
import io.steadfast.ike.payload.CertRequestPayload;
import java.security.KeyPair;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IKE_AUTH with certificates (RSA and ECDSA, RFC 7427 signatures) between our initiator and our responder. */
class CertificateHandshakeTest {
    static final TestPki.Ca CA = TestPki.ca("CN=Steadfast Test CA", TestPki.keys("RSA", 2048));
    static final KeyPair CLIENT_KEYS = TestPki.keys("RSA", 2048);
    static final KeyPair GATEWAY_KEYS = TestPki.keys("EC", 256);
    static final Certificates CLIENT = TestPki.credentials(CLIENT_KEYS,
            TestPki.issue(CA, "CN=client.example", CLIENT_KEYS, "client.example"), CA);
    static final Certificates GATEWAY = TestPki.credentials(GATEWAY_KEYS,
            TestPki.issue(CA, "CN=gw.example", GATEWAY_KEYS, "gw.example"), CA);

    static ResponderConfig gateway(Certificates certificates) {
        return ResponderConfig.psk("gw.example", Map.of(), "aes128gcm16-prfsha256-x25519", "aes128gcm16", Wire.CLOUD,
                "10.99.0.0/24").withCertificates(certificates);
    }

    static InitiatorConfig client(Certificates certificates) {
        return new InitiatorConfig("client.example", "gw.example", null, "aes128gcm16-prfsha256-x25519", "aes128gcm16",
                Wire.CLOUD, true, true, 4500, 1280, Retransmission.DEFAULT, java.time.Duration.ofSeconds(30), certificates);
    }

    @Test
    void rsaClientAndEcdsaGatewayAuthenticateWithRfc7427Signatures() throws Exception {
        Wire wire = new Wire(gateway(GATEWAY));
        IkeSa client = wire.start(client(CLIENT));
        wire.run();

        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(client.peerIdentity()).isEqualTo("fqdn:gw.example");
        IkeSa gateway = wire.peerOf(client);
        assertThat(gateway.peerIdentity()).isEqualTo("fqdn:client.example");
        assertThat(EspPair.carry(client.childSas().getFirst(), gateway.childSas().getFirst(), EspPair.PING))
                .isEqualTo(EspPair.PING);

        IkeMessage initResponse = IkeMessageDecoder.decode(wire.sent.get(1).datagram().payload());
        assertThat(initResponse.first(CertRequestPayload.class).orElseThrow().keyHashes())
                .containsExactly(Certificates.keyHash(CA.certificate()));
        IkeMessage auth = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(wire.sent.get(2).datagram().payload()),
                gateway.context().inCipher);
        assertThat(auth.toString()).startsWith("IKE_AUTH request 1 (encrypted) [ IDi CERT CERTREQ IDr N(INITIAL_CONTACT) AUTH");
        assertThat(auth.first(CertPayload.class).orElseThrow().data()).isEqualTo(CLIENT.certificate().getEncoded());
        assertThat(auth.first(AuthPayload.class).orElseThrow().method()).isEqualTo(Ike.AUTH_DIGITAL_SIGNATURE);
        IkeMessage answer = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(wire.sent.get(3).datagram().payload()),
                client.context().inCipher);
        assertThat(answer.toString()).startsWith("IKE_AUTH response 1 (encrypted) [ IDr CERT AUTH");
        assertThat(answer.first(AuthPayload.class).orElseThrow().method()).isEqualTo(Ike.AUTH_DIGITAL_SIGNATURE);
    }

    @Test
    void aGatewayCertificateFromAnotherCaFailsTheClientWhichDeletes() {
        TestPki.Ca rogue = TestPki.ca("CN=Rogue CA", TestPki.keys("EC", 256));
        Certificates impostor = new Certificates(GATEWAY_KEYS.getPrivate(),
                java.util.List.of(TestPki.issue(rogue, "CN=gw.example", GATEWAY_KEYS, "gw.example")),
                java.util.List.of(CA.certificate()));
        Wire wire = new Wire(gateway(impostor));
        IkeSa client = wire.start(client(CLIENT));
        wire.run();
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(client.failure()).startsWith("/198.51.100.1:4500 as fqdn:gw.example failed authentication: its"
                + " certificate 'CN=gw.example' is not trusted");
        assertThat(wire.responder.sas()).isEmpty(); // our delete reached it
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefusedNamingTheIdentity() {
        TestPki.Ca rogue = TestPki.ca("CN=Rogue CA", TestPki.keys("EC", 256));
        Certificates stranger = new Certificates(CLIENT_KEYS.getPrivate(),
                java.util.List.of(TestPki.issue(rogue, "CN=client.example", CLIENT_KEYS, "client.example")),
                java.util.List.of(CA.certificate()));
        Wire wire = new Wire(gateway(GATEWAY));
        IkeSa client = wire.start(client(stranger));
        wire.run();
        assertThat(wire.responderEvents(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .startsWith("/192.0.2.10:40123 as fqdn:client.example failed authentication: its certificate"
                        + " 'CN=client.example' is not trusted"));
        assertThat(client.failure()).contains("rejected our identity fqdn:client.example (AUTHENTICATION_FAILED)");
    }

    @Test
    void aCertificateNamingSomeoneElseIsRefused() {
        Certificates other = TestPki.credentials(CLIENT_KEYS, TestPki.issue(CA, "CN=other", CLIENT_KEYS, "other.example"), CA);
        Wire wire = new Wire(gateway(GATEWAY));
        wire.start(client(other));
        wire.run();
        assertThat(wire.responderEvents(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .endsWith("its certificate 'CN=other' does not name the identity it claims (client.example)"));
    }

    @Test
    void aGatewayWithCertificatesAnswersAPskClientWithItsPskAndACertificateClientWithASignature() throws Exception {
        Wire wire = new Wire(ResponderConfig.psk("gw.example", Map.of("client.example", Wire.PSK),
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", Wire.CLOUD, "10.99.0.0/24").withCertificates(GATEWAY));
        IkeSa pskClient = wire.start(Wire.client());
        wire.run();
        assertThat(pskClient.state()).as("failure: %s", pskClient.failure()).isEqualTo(IkeSa.State.ESTABLISHED);
        IkeMessage pskAnswer = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(wire.sent.get(3).datagram().payload()),
                pskClient.context().inCipher);
        assertThat(pskAnswer.all(CertPayload.class)).isEmpty();
        assertThat(pskAnswer.first(AuthPayload.class).orElseThrow().method()).isEqualTo(Ike.AUTH_SHARED_KEY_MIC);

        int sent = wire.sent.size();
        IkeSa certificateClient = wire.start(client(CLIENT), new java.net.InetSocketAddress(Wire.CLIENT.getAddress(), 40124));
        wire.run();
        assertThat(certificateClient.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        IkeMessage signedAnswer = IkeMessageDecoder.decrypt(
                NatTraversal.stripNonEspMarker(wire.sent.get(sent + 3).datagram().payload()), certificateClient.context().inCipher);
        assertThat(signedAnswer.first(AuthPayload.class).orElseThrow().method()).isEqualTo(Ike.AUTH_DIGITAL_SIGNATURE);
        assertThat(signedAnswer.first(CertPayload.class).orElseThrow().data()).isEqualTo(GATEWAY.certificate().getEncoded());
    }

    @Test
    void distinguishedNamesWorkAsIdentities() {
        Certificates dnClient = TestPki.credentials(CLIENT_KEYS, TestPki.issue(CA, "O=Steadfast,CN=client.example", // DER order O, CN
                CLIENT_KEYS, null), CA);
        Wire wire = new Wire(gateway(GATEWAY));
        IkeSa client = wire.start(new InitiatorConfig("CN=client.example, O=Steadfast", "gw.example", null,
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", Wire.CLOUD, true, true, 4500, 1280, Retransmission.DEFAULT,
                java.time.Duration.ofSeconds(30), dnClient));
        wire.run();
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(wire.peerOf(client).peerIdentity()).isEqualTo("dn:CN=client.example,O=Steadfast");
    }
}
