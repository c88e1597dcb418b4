package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.auth.PskAuthenticator;
import io.steadfast.ike.auth.SignedOctets;
import io.steadfast.ike.crypto.IkeSaKeys;
import io.steadfast.ike.crypto.IkeSuite;
import io.steadfast.ike.crypto.SkCipher;
import io.steadfast.ike.payload.AuthPayload;
import io.steadfast.ike.payload.CpPayload;
import io.steadfast.ike.payload.EncryptedPayload;
import io.steadfast.ike.payload.IdPayload;
import io.steadfast.ike.payload.KePayload;
import io.steadfast.ike.payload.NoncePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.PayloadChain;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.TsPayload;
import io.steadfast.ike.proposal.ProposalSelector;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real strongSwan 5.9.8 PSK handshake (see the resource file's header): we parse its four messages, derive
 * the same SKEYSEED and SK_* from its Diffie-Hellman secret, decrypt both IKE_AUTH messages with our keys and
 * verify both AUTH payloads with the pre-shared key. Every message re-encodes to strongSwan's bytes.
 */
class StrongSwanCaptureTest {
    static final Map<String, byte[]> CAPTURE = load("strongswan-5.9.8-psk.txt");
    static final SecureRandom RANDOM = new SecureRandom();

    static Map<String, byte[]> load(String name) {
        try (InputStream in = StrongSwanCaptureTest.class.getResourceAsStream(name)) {
            Map<String, byte[]> values = new HashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] kv = line.split("=", 2);
                    values.put(kv[0].trim(), Hex.bytes(kv[1]));
                }
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] initRequest() {
        return CAPTURE.get("ike_sa_init_request");
    }

    static byte[] initResponse() {
        return CAPTURE.get("ike_sa_init_response");
    }

    static byte[] authRequest() throws IkeParseException {
        byte[] datagram = CAPTURE.get("ike_auth_request");
        assertThat(NatTraversal.hasNonEspMarker(datagram)).isTrue();
        return NatTraversal.stripNonEspMarker(datagram);
    }

    static byte[] authResponse() throws IkeParseException {
        return NatTraversal.stripNonEspMarker(CAPTURE.get("ike_auth_response"));
    }

    static IkeSaKeys keys() throws IkeParseException {
        IkeMessage request = IkeMessageDecoder.decode(initRequest());
        IkeMessage response = IkeMessageDecoder.decode(initResponse());
        IkeSuite suite = IkeSuite.of(response.first(SaPayload.class).orElseThrow().proposals().get(0));
        return IkeSaKeys.derive(suite, CAPTURE.get("dh_secret"), nonce(request), nonce(response),
                response.header().initiatorSpi(), response.header().responderSpi());
    }

    static byte[] nonce(IkeMessage m) {
        return m.first(NoncePayload.class).orElseThrow().nonce();
    }

    static List<String> names(IkeMessage m) {
        return m.payloads().stream().map(p -> p instanceof NotifyPayload n ? "N(" + Ike.notifyName(n.notifyType()) + ")"
                : Ike.payloadName(p.type())).toList();
    }

    @Test
    void ikeSaInitRequest() throws Exception {
        IkeMessage m = IkeMessageDecoder.decode(initRequest());
        // strongSwan logged: IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]
        assertThat(names(m)).containsExactly("SA", "KE", "NONCE", "N(NAT_DETECTION_SOURCE_IP)",
                "N(NAT_DETECTION_DESTINATION_IP)", "N(IKEV2_FRAGMENTATION_SUPPORTED)", "N(SIGNATURE_HASH_ALGORITHMS)",
                "N(REDIRECT_SUPPORTED)");
        assertThat(m.header().isInitiator()).isTrue();
        assertThat(m.header().responderSpi()).isZero();
        assertThat(ProposalSyntax.render(m.first(SaPayload.class).orElseThrow().proposals()))
                .isEqualTo("aes128gcm16-prfsha256-x25519");
        assertThat(m.first(KePayload.class).orElseThrow().group()).isEqualTo(Ike.DH_CURVE25519);
        assertThat(m.first(KePayload.class).orElseThrow().keyData()).hasSize(32);
        assertThat(m.notify(Ike.NOTIFY_SIGNATURE_HASH_ALGORITHMS).orElseThrow().hashAlgorithms()).contains(Ike.HASH_SHA2_256);
        // NAT detection: the destination hash is ours for the responder's address; the source hash is faked, as
        // encap = yes makes strongSwan pretend to be behind a NAT to force UDP encapsulation.
        assertThat(NatTraversal.weAreBehindNat(m, Fixtures.address("10.231.0.2", 500))).isFalse();
        assertThat(NatTraversal.peerBehindNat(m, Fixtures.address("10.231.0.1", 500))).isTrue();
        assertThat(reencode(m)).isEqualTo(initRequest());
    }

    @Test
    void ikeSaInitResponse() throws Exception {
        IkeMessage m = IkeMessageDecoder.decode(initResponse());
        // strongSwan logged: IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(CHDLESS_SUP) N(MULT_AUTH) ]
        assertThat(names(m)).containsExactly("SA", "KE", "NONCE", "N(NAT_DETECTION_SOURCE_IP)",
                "N(NAT_DETECTION_DESTINATION_IP)", "N(IKEV2_FRAGMENTATION_SUPPORTED)", "N(SIGNATURE_HASH_ALGORITHMS)",
                "N(CHILDLESS_IKEV2_SUPPORTED)", "N(MULTIPLE_AUTH_SUPPORTED)");
        assertThat(m.header().isResponse()).isTrue();
        assertThat(m.header().isInitiator()).isFalse();
        List<Proposal> ours = ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519");
        Proposal chosen = ProposalSelector.checkAnswer(ours, m.first(SaPayload.class).orElseThrow());
        assertThat(ProposalSyntax.render(chosen)).isEqualTo("aes128gcm16-prfsha256-x25519");
        // With encap = yes the responder fakes a NAT on its side ("remote host is behind NAT"); ours matches.
        assertThat(NatTraversal.peerBehindNat(m, Fixtures.address("10.231.0.2", 500))).isTrue();
        assertThat(NatTraversal.weAreBehindNat(m, Fixtures.address("10.231.0.1", 500))).isFalse();
        assertThat(reencode(m)).isEqualTo(initResponse());
    }

    @Test
    void ourKeyDerivationMatchesStrongSwans() throws Exception {
        IkeMessage request = IkeMessageDecoder.decode(initRequest());
        IkeMessage response = IkeMessageDecoder.decode(initResponse());
        assertThat(Hex.of(IkeSaKeys.skeyseed(io.steadfast.ike.crypto.PrfAlgorithm.HMAC_SHA2_256, nonce(request),
                nonce(response), CAPTURE.get("dh_secret")))).isEqualTo(Hex.of(CAPTURE.get("skeyseed")));
        try (IkeSaKeys keys = keys()) {
            assertThat(Hex.of(keys.skD())).isEqualTo(Hex.of(CAPTURE.get("sk_d")));
            assertThat(Hex.of(keys.skEi())).isEqualTo(Hex.of(CAPTURE.get("sk_ei")));
            assertThat(Hex.of(keys.skEr())).isEqualTo(Hex.of(CAPTURE.get("sk_er")));
            assertThat(Hex.of(keys.skPi())).isEqualTo(Hex.of(CAPTURE.get("sk_pi")));
            assertThat(Hex.of(keys.skPr())).isEqualTo(Hex.of(CAPTURE.get("sk_pr")));
            assertThat(keys.skAi()).isEmpty();
        }
    }

    @Test
    void weDecryptAndVerifyTheInitiatorsIkeAuth() throws Exception {
        try (IkeSaKeys keys = keys(); SkCipher in = keys.cipher(true, RANDOM)) {
            IkeMessage m = IkeMessageDecoder.decrypt(authRequest(), in);
            // strongSwan logged: IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr AUTH CPRQ(ADDR) SA TSi TSr N(MOBIKE_SUP)
            //                                         N(NO_ADD_ADDR) N(MULT_AUTH) N(EAP_ONLY) N(MSG_ID_SYN_SUP) ]
            assertThat(names(m)).containsExactly("IDI", "N(INITIAL_CONTACT)", "IDR", "AUTH", "CP", "SA", "TSI", "TSR",
                    "N(MOBIKE_SUPPORTED)", "N(NO_ADDITIONAL_ADDRESSES)", "N(MULTIPLE_AUTH_SUPPORTED)", "N(EAP_ONLY_AUTHENTICATION)",
                    "N(IKEV2_MESSAGE_ID_SYNC_SUPPORTED)");
            assertThat(m.encrypted()).isTrue();
            IdPayload idi = m.first(IdPayload.class).orElseThrow();
            assertThat(idi.toString()).isEqualTo("IDi(fqdn client.example)");
            CpPayload cp = m.first(CpPayload.class).orElseThrow();
            assertThat(cp.cfgType()).isEqualTo(Ike.CFG_REQUEST);
            assertThat(cp.attributes()).singleElement().satisfies(a -> {
                assertThat(a.attributeType()).isEqualTo(Ike.ATTR_INTERNAL_IP4_ADDRESS);
                assertThat(a.value()).isEmpty();
            });
            assertThat(ProposalSyntax.render(m.first(SaPayload.class).orElseThrow().proposals())).isEqualTo("aes128gcm16");
            assertThat(m.all(TsPayload.class).get(0).toString()).isEqualTo("TSi[0.0.0.0..255.255.255.255]");
            assertThat(m.all(TsPayload.class).get(1).toString()).isEqualTo("TSr[10.10.0.0..10.10.255.255]");

            AuthPayload auth = m.first(AuthPayload.class).orElseThrow();
            assertThat(auth.method()).isEqualTo(Ike.AUTH_SHARED_KEY_MIC);
            byte[] octets = SignedOctets.of(initRequest(), nonce(IkeMessageDecoder.decode(initResponse())),
                    keys.suite().prf(), keys.skPi(), idi);
            assertThat(PskAuthenticator.verify(keys.suite().prf(), CAPTURE.get("psk"), octets, auth.data())).isTrue();
            assertThat(PskAuthenticator.verify(keys.suite().prf(), "wrong".getBytes(StandardCharsets.US_ASCII), octets,
                    auth.data())).isFalse();
        }
    }

    @Test
    void weDecryptAndVerifyTheRespondersIkeAuth() throws Exception {
        try (IkeSaKeys keys = keys(); SkCipher in = keys.cipher(false, RANDOM)) {
            IkeMessage m = IkeMessageDecoder.decrypt(authResponse(), in);
            // strongSwan logged: IKE_AUTH response 1 [ IDr AUTH CPRP(ADDR DNS) N(MOBIKE_SUP) N(NO_ADD_ADDR) N(TS_UNACCEPT) ]
            assertThat(names(m)).containsExactly("IDR", "AUTH", "CP", "N(MOBIKE_SUPPORTED)", "N(NO_ADDITIONAL_ADDRESSES)",
                    "N(TS_UNACCEPTABLE)");
            CpPayload cp = m.first(CpPayload.class).orElseThrow();
            assertThat(cp.cfgType()).isEqualTo(Ike.CFG_REPLY);
            assertThat(cp.ipv4(Ike.ATTR_INTERNAL_IP4_ADDRESS)).extracting(a -> a.getHostAddress()).containsExactly("10.99.0.1");
            assertThat(cp.ipv4(Ike.ATTR_INTERNAL_IP4_DNS)).extracting(a -> a.getHostAddress()).containsExactly("10.99.0.53");
            assertThat(m.errors()).extracting(NotifyPayload::notifyType).containsExactly(Ike.NOTIFY_TS_UNACCEPTABLE);

            IdPayload idr = m.first(IdPayload.class).orElseThrow();
            assertThat(idr.text()).isEqualTo("gw.example");
            byte[] octets = SignedOctets.of(initResponse(), nonce(IkeMessageDecoder.decode(initRequest())),
                    keys.suite().prf(), keys.skPr(), idr);
            assertThat(PskAuthenticator.verify(keys.suite().prf(), CAPTURE.get("psk"), octets,
                    m.first(AuthPayload.class).orElseThrow().data())).isTrue();
        }
    }

    @Test
    void innerPayloadsReencodeToStrongSwansPlaintext() throws Exception {
        try (IkeSaKeys keys = keys(); SkCipher fromInitiator = keys.cipher(true, RANDOM);
                SkCipher fromResponder = keys.cipher(false, RANDOM)) {
            for (byte[] message : List.of(authRequest(), authResponse())) {
                EncryptedPayload sk = (EncryptedPayload) IkeMessageDecoder.decode(message).payloads().get(0);
                SkCipher cipher = IkeHeader.parse(message).isInitiator() ? fromInitiator : fromResponder;
                byte[] inner = cipher.open(message, sk.bodyOffset(), sk.sealed().length);
                List<Payload> payloads = PayloadChain.parse(inner, 0, inner.length, sk.firstInnerType(), false);
                assertThat(PayloadChain.encode(payloads)).isEqualTo(inner);
            }
        }
    }

    @Test
    void strongSwanReadsWhatWeSealWithItsKeys() throws Exception {
        // Re-seal strongSwan's own IKE_AUTH request with our builder and open it again: same payloads.
        try (IkeSaKeys keys = keys(); SkCipher out = keys.cipher(true, RANDOM); SkCipher in = keys.cipher(true, RANDOM)) {
            IkeMessage original = IkeMessageDecoder.decrypt(authRequest(), in);
            IkeHeader h = original.header();
            byte[] ours = IkeMessageBuilder.request(h.exchangeType(), h.initiatorSpi(), h.responderSpi(), h.messageId(), true)
                    .addAll(original.payloads()).encrypt(out);
            assertThat(ours.length).isEqualTo(authRequest().length);
            assertThat(IkeMessageDecoder.decrypt(ours, in).payloads()).usingRecursiveComparison().isEqualTo(original.payloads());
        }
    }

    private static byte[] reencode(IkeMessage m) {
        IkeHeader h = m.header();
        IkeMessageBuilder builder = h.isResponse()
                ? IkeMessageBuilder.response(h.exchangeType(), h.initiatorSpi(), h.responderSpi(), h.messageId(), h.isInitiator())
                : IkeMessageBuilder.request(h.exchangeType(), h.initiatorSpi(), h.responderSpi(), h.messageId(), h.isInitiator());
        return builder.addAll(m.payloads()).encode();
    }
}
