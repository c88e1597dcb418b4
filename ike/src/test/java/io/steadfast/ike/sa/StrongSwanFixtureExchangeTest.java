package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Hex;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageDecoder;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.auth.PskAuthenticator;
import io.steadfast.ike.auth.SignedOctets;
import io.steadfast.ike.crypto.IkeSaKeys;
import io.steadfast.ike.crypto.IkeSuite;
import io.steadfast.ike.payload.AuthPayload;
import io.steadfast.ike.payload.CpPayload;
import io.steadfast.ike.payload.IdPayload;
import io.steadfast.ike.payload.NoncePayload;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.payload.TsPayload;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our exchange classes against the messages of a real strongSwan 5.9.8 handshake (io/steadfast/ike/
 * strongswan-5.9.8-psk.txt, made by capture-strongswan.sh): our responder answers strongSwan's IKE_SA_INIT and, with
 * the captured keys, authenticates strongSwan's IKE_AUTH request and hands out a virtual IP; our initiator, in
 * strongSwan's initiator's place, verifies the real responder's AUTH.
 */
class StrongSwanFixtureExchangeTest {
    static final Map<String, byte[]> CAPTURE = load();
    static final InetSocketAddress STRONGSWAN_I = Wire.address("10.231.0.1", 500);
    static final InetSocketAddress STRONGSWAN_R = Wire.address("10.231.0.2", 500);
    static final byte[] PSK = "steadfast-test-psk".getBytes(StandardCharsets.US_ASCII);
    static final SecureRandom RANDOM = new SecureRandom();

    static ResponderConfig gateway() {
        return ResponderConfig.psk("gw.example", Map.of("client.example", PSK),
                "aes256gcm16-aes128gcm16-prfsha512-prfsha256-ecp256-x25519", "aes128gcm16",
                List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16)), "10.99.0.0/24");
    }

    @Test
    void ourResponderAnswersStrongSwansIkeSaInit() throws Exception {
        IkeResponder responder = new IkeResponder(gateway(), STRONGSWAN_R, RANDOM, 0);
        Actions a = responder.receive(STRONGSWAN_I, CAPTURE.get("ike_sa_init_request"), 0);

        assertThat(responder.halfOpen()).isEqualTo(1);
        assertThat(a.datagrams()).singleElement().satisfies(d -> assertThat(d.peer()).isEqualTo(STRONGSWAN_I));
        IkeMessage response = IkeMessageDecoder.decode(a.datagrams().getFirst().payload());
        assertThat(response.toString()).isEqualTo("IKE_SA_INIT response 0 [ SA KE No N(NAT_DETECTION_SOURCE_IP)"
                + " N(NAT_DETECTION_DESTINATION_IP) N(IKEV2_FRAGMENTATION_SUPPORTED) N(SIGNATURE_HASH_ALGORITHMS) ]");
        assertThat(response.header().initiatorSpi()).isEqualTo(0xaccbe1952ad34dc1L);
        assertThat(io.steadfast.ike.proposal.ProposalSyntax.render(
                response.first(SaPayload.class).orElseThrow().proposals().getFirst())).isEqualTo("aes128gcm16-prfsha256-x25519");
        // strongSwan sent a faked source hash (encap = yes) and will see ours as a NAT too
        assertThat(NatTraversal.weAreBehindNat(response, STRONGSWAN_I)).isFalse();
        assertThat(NatTraversal.peerBehindNat(response, STRONGSWAN_R)).isTrue();
    }

    @Test
    void ourResponderAuthenticatesStrongSwansIkeAuthAndAssignsAVirtualIp() throws Exception {
        SaContext sa = context(false);
        IkeSa responder = IkeSa.halfOpen(sa, new IkeCounters(), Long.MAX_VALUE - 1, null);
        InetSocketAddress source = Wire.address("10.231.0.1", 4500);
        Actions a = responder.receive(source, CAPTURE.get("ike_auth_request"), 0);

        assertThat(responder.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(responder.peerIdentity()).isEqualTo("fqdn:client.example");
        assertThat(responder.initialContact()).isTrue();
        assertThat(a.events()).extracting(e -> e.getClass().getSimpleName()).containsExactly("Established", "ChildSaUp");
        ChildSa child = a.events(IkeEvent.ChildSaUp.class).getFirst().child();
        assertThat(child.virtualIp().getHostAddress()).isEqualTo("10.99.0.1");
        assertThat(child.remoteTs()).containsExactly(TrafficSelector.ipv4Subnet("10.99.0.1", 32));
        assertThat(child.localTs()).containsExactly(TrafficSelector.ipv4Subnet("10.10.0.0", 16));

        Datagram answer = a.datagrams().getFirst();
        assertThat(answer.peer()).isEqualTo(source);
        assertThat(NatTraversal.hasNonEspMarker(answer.payload())).isTrue();
        IkeMessage response = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(answer.payload()),
                sa.keys.cipher(false, RANDOM));
        assertThat(response.toString()).isEqualTo("IKE_AUTH response 1 (encrypted) [ IDr AUTH CP SA TSi TSr ]");
        // what strongSwan's initiator checks: our AUTH over our IKE_SA_INIT response with its nonce
        IdPayload idr = response.first(IdPayload.class).orElseThrow();
        assertThat(idr.text()).isEqualTo("gw.example");
        assertThat(PskAuthenticator.verify(sa.keys.suite().prf(), PSK, SignedOctets.of(CAPTURE.get("ike_sa_init_response"),
                sa.ni, sa.keys.suite().prf(), Hex.bytes(hex("sk_pr")), idr),
                response.first(AuthPayload.class).orElseThrow().data())).isTrue();
        assertThat(response.first(CpPayload.class).orElseThrow().ipv4(Ike.ATTR_INTERNAL_IP4_ADDRESS))
                .extracting(java.net.Inet4Address::getHostAddress).containsExactly("10.99.0.1");
        assertThat(response.all(TsPayload.class)).hasSize(2);
    }

    @Test
    void ourResponderRejectsStrongSwansIkeAuthUnderAnotherPsk() throws Exception {
        SaContext sa = context(false, ResponderConfig.psk("gw.example", Map.of("client.example", "other".getBytes()),
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16)), null));
        IkeSa responder = IkeSa.halfOpen(sa, new IkeCounters(), Long.MAX_VALUE - 1, null);
        Actions a = responder.receive(Wire.address("10.231.0.1", 4500), CAPTURE.get("ike_auth_request"), 0);
        assertThat(a.events(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .isEqualTo("/10.231.0.1:4500 as fqdn:client.example failed authentication: its AUTH does not verify with"
                        + " the pre-shared key (the keys differ)"));
        IkeMessage response = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(a.datagrams().getFirst().payload()),
                context(false).keys.cipher(false, RANDOM));
        assertThat(response.toString()).isEqualTo("IKE_AUTH response 1 (encrypted) [ N(AUTHENTICATION_FAILED) ]");
    }

    @Test
    void ourInitiatorVerifiesTheRealResponder() throws Exception {
        SaContext sa = context(true);
        IkeSa initiator = IkeSa.resumeAtAuth(sa, 0);
        Actions a = initiator.receive(Wire.address("10.231.0.2", 4500), CAPTURE.get("ike_auth_response"), 0);

        // strongSwan authenticated itself with the PSK; its Child SA failed in that capture (TS_UNACCEPTABLE)
        assertThat(a.events()).extracting(e -> e.getClass().getSimpleName()).containsExactly("Established", "Failed");
        assertThat(initiator.peerIdentity()).isEqualTo("fqdn:gw.example");
        assertThat(a.events(IkeEvent.Failed.class).getFirst().reason()).isEqualTo("IKE SA with /10.231.0.2:4500 is up,"
                + " but it refused our Child SA (TS_UNACCEPTABLE; we offered ESP aes128gcm16, TSr [10.10.0.0..10.10.255.255])");
        // and we told it so: a delete behind the marker to port 4500
        assertThat(a.datagrams()).hasSize(2);
        IkeMessage delete = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(a.datagrams().get(1).payload()),
                context(true).keys.cipher(true, RANDOM));
        assertThat(delete.toString()).isEqualTo("INFORMATIONAL request 2 (encrypted) [ D ]");
    }

    @Test
    void ourInitiatorRejectsTheRealResponderUnderAnotherPsk() throws Exception {
        SaContext sa = context(true, InitiatorConfig.psk("client.example", "other".getBytes(), "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16))));
        IkeSa initiator = IkeSa.resumeAtAuth(sa, 0);
        Actions a = initiator.receive(Wire.address("10.231.0.2", 4500), CAPTURE.get("ike_auth_response"), 0);
        assertThat(a.events(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .isEqualTo("/10.231.0.2:4500 as fqdn:gw.example failed authentication: its AUTH does not verify with"
                        + " the pre-shared key (the keys differ)"));
    }

    static SaContext context(boolean initiator) throws Exception {
        return initiator ? context(true, InitiatorConfig.psk("client.example", PSK, "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16))))
                : context(false, gateway());
    }

    static SaContext context(boolean initiator, Object config) throws Exception {
        IkeMessage request = IkeMessageDecoder.decode(CAPTURE.get("ike_sa_init_request"));
        IkeMessage response = IkeMessageDecoder.decode(CAPTURE.get("ike_sa_init_response"));
        SaContext sa = initiator
                ? new SaContext(true, RANDOM, STRONGSWAN_I, Wire.address("10.231.0.2", 4500), Retransmission.DEFAULT, 1280,
                        (InitiatorConfig) config, null, null)
                : new SaContext(false, RANDOM, STRONGSWAN_R, STRONGSWAN_I, Retransmission.DEFAULT, 1280, null,
                        (ResponderConfig) config, VirtualIpPool.parse("10.99.0.0/24"));
        sa.spiI = request.header().initiatorSpi();
        sa.spiR = response.header().responderSpi();
        sa.ni = request.first(NoncePayload.class).orElseThrow().nonce();
        sa.nr = response.first(NoncePayload.class).orElseThrow().nonce();
        sa.initRequest = CAPTURE.get("ike_sa_init_request");
        sa.initResponse = CAPTURE.get("ike_sa_init_response");
        sa.natt = true;
        sa.udpEncapsulation = true;
        sa.fragmentation = true;
        IkeSuite suite = IkeSuite.of(response.first(SaPayload.class).orElseThrow().proposals().getFirst());
        sa.install(IkeSaKeys.derive(suite, CAPTURE.get("dh_secret"), sa.ni, sa.nr, sa.spiI, sa.spiR));
        assertThat(sa.keys.skD()).isEqualTo(CAPTURE.get("sk_d"));
        return sa;
    }

    static String hex(String key) {
        return Hex.of(CAPTURE.get(key));
    }

    static Map<String, byte[]> load() {
        try (InputStream in = io.steadfast.ike.IkeMessage.class.getResourceAsStream("strongswan-5.9.8-psk.txt")) {
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

    @Test
    void everyBitFlipOfStrongSwansIkeAuthIsDroppedUnanswered() throws Exception {
        byte[] original = CAPTURE.get("ike_auth_request");
        for (int at = 4 + 28; at < original.length; at += 7) {
            SaContext sa = context(false);
            IkeSa responder = IkeSa.halfOpen(sa, new IkeCounters(), Long.MAX_VALUE - 1, null);
            byte[] forged = original.clone();
            forged[at] ^= 0x20;
            Actions a = responder.receive(Wire.address("10.231.0.1", 4500), forged, 0);
            assertThat(a.isEmpty()).as("bit flip at %d", at).isTrue();
            assertThat(responder.state()).isEqualTo(IkeSa.State.HALF_OPEN);
            assertThat(responder.counters().drops()).isEqualTo(1);
        }
    }
}
