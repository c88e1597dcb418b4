package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageBuilder;
import io.steadfast.ike.IkeMessageDecoder;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.auth.PskAuthenticator;
import io.steadfast.ike.auth.SignedOctets;
import io.steadfast.ike.payload.AuthPayload;
import io.steadfast.ike.payload.ConfigAttribute;
import io.steadfast.ike.payload.CpPayload;
import io.steadfast.ike.payload.IdPayload;
import io.steadfast.ike.payload.KePayload;
import io.steadfast.ike.payload.NoncePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.payload.TsPayload;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Crafted IKE_SA_INIT and IKE_AUTH messages that a careless or hostile peer could send, each side's reaction. */
class ExchangeEdgeCaseTest {

    /** A wire where IKE_SA_INIT went both ways and the client's IKE_AUTH request is held back (not delivered). */
    static Wire afterInit(ResponderConfig gateway, InitiatorConfig clientConfig) {
        Wire wire = new Wire(gateway);
        IkeSa client = wire.start(clientConfig);
        wire.deliver(wire.queue.poll()); // INIT request
        wire.deliver(wire.queue.poll()); // INIT response
        assertThat(client.state()).isEqualTo(IkeSa.State.AUTH_SENT);
        wire.queue.clear(); // the real IKE_AUTH request
        return wire;
    }

    /** Sends a crafted IKE_AUTH request (message 1) from the client's keys; the responder's actions. */
    static Actions craftedAuthRequest(Wire wire, List<Payload> payloads) {
        SaContext c = wire.initiators.getFirst().context();
        byte[] request = IkeMessageBuilder.request(Ike.EXCHANGE_IKE_AUTH, c.spiI, c.spiR, 1, true).addAll(payloads)
                .encrypt(c.outCipher);
        return wire.responder.receive(Wire.CLIENT, NatTraversal.addNonEspMarker(request), wire.now);
    }

    /** The client's PSK AUTH payload for IDi. */
    static AuthPayload clientAuth(Wire wire, IdPayload idi) {
        SaContext c = wire.initiators.getFirst().context();
        return new AuthPayload(Ike.AUTH_SHARED_KEY_MIC, PskAuthenticator.compute(c.keys.suite().prf(), Wire.PSK,
                SignedOctets.of(c.initRequest, c.nr, c.keys.suite().prf(), c.keys.skPi(), idi)));
    }

    /** A crafted IKE_AUTH response (message 1) from the gateway's keys, with IDr and a valid AUTH first. */
    static Actions craftedAuthResponse(Wire wire, List<Payload> rest) {
        IkeSa client = wire.initiators.getFirst();
        SaContext g = wire.peerOf(client).context();
        IdPayload idr = Identities.parse("gw.example", false);
        AuthPayload auth = new AuthPayload(Ike.AUTH_SHARED_KEY_MIC, PskAuthenticator.compute(g.keys.suite().prf(), Wire.PSK,
                SignedOctets.of(g.initResponse, g.ni, g.keys.suite().prf(), g.keys.skPr(), idr)));
        List<Payload> payloads = new ArrayList<>(List.of(idr, auth));
        payloads.addAll(rest);
        byte[] response = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_AUTH, g.spiI, g.spiR, 1, false).addAll(payloads)
                .encrypt(g.outCipher);
        return client.receive(new java.net.InetSocketAddress(Wire.GATEWAY.getAddress(), 4500),
                NatTraversal.addNonEspMarker(response), wire.now);
    }

    static IkeMessage openResponse(Wire wire, Actions actions) throws Exception {
        return IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(actions.datagrams().getFirst().payload()),
                wire.initiators.getFirst().context().inCipher);
    }

    static byte[] spi(int value) {
        return SaContext.spiBytes(value);
    }

    // ---- the responder's side of IKE_SA_INIT

    @Test
    void initRequestsWithoutKeOrWithABadKeAreRefusedWithoutState() throws Exception {
        Wire wire = new Wire(Wire.gateway());
        List<Proposal> ike = ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519");
        byte[] noKe = IkeMessageBuilder.request(Ike.EXCHANGE_IKE_SA_INIT, 0x1111_2222_3333_4444L, 0, 0, true)
                .add(new SaPayload(ike)).add(NoncePayload.random(32, wire.random)).encode();
        IkeMessage answer = IkeMessageDecoder.decode(wire.responder.receive(Wire.CLIENT, noKe, wire.now)
                .datagrams().getFirst().payload());
        assertThat(answer.toString()).isEqualTo("IKE_SA_INIT response 0 [ N(INVALID_SYNTAX) ]");
        byte[] shortKe = IkeMessageBuilder.request(Ike.EXCHANGE_IKE_SA_INIT, 0x1111_2222_3333_4445L, 0, 0, true)
                .add(new SaPayload(ike)).add(new KePayload(Ike.DH_CURVE25519, new byte[7]))
                .add(NoncePayload.random(32, wire.random)).encode();
        answer = IkeMessageDecoder.decode(wire.responder.receive(Wire.CLIENT, shortKe, wire.now)
                .datagrams().getFirst().payload());
        assertThat(answer.toString()).isEqualTo("IKE_SA_INIT response 0 [ N(INVALID_SYNTAX) ]");
        assertThat(wire.responder.sas()).isEmpty();
    }

    @Test
    void aCookieThatIsNotTheFirstPayloadEarnsANewOne() throws Exception {
        Wire wire = new Wire(Wire.gateway().withHalfOpenLimits(0, 10));
        IkeSa client = IkeSa.initiator(Wire.client(), Wire.CLIENT, Wire.GATEWAY, wire.random);
        byte[] first = client.start(wire.now).datagrams().getFirst().payload();
        byte[] cookie = IkeMessageDecoder.decode(wire.responder.receive(Wire.CLIENT, first, wire.now).datagrams()
                .getFirst().payload()).notify(Ike.NOTIFY_COOKIE).orElseThrow().data();
        IkeMessage original = IkeMessageDecoder.decode(first);
        List<Payload> reordered = new ArrayList<>(original.payloads());
        reordered.add(NotifyPayload.of(Ike.NOTIFY_COOKIE, cookie)); // last instead of first
        byte[] retry = IkeMessageBuilder.request(Ike.EXCHANGE_IKE_SA_INIT, client.initiatorSpi(), 0, 0, true)
                .addAll(reordered).encode();
        Actions again = wire.responder.receive(Wire.CLIENT, retry, wire.now);
        assertThat(IkeMessageDecoder.decode(again.datagrams().getFirst().payload()).notify(Ike.NOTIFY_COOKIE)).isPresent();
        assertThat(wire.responder.sas()).isEmpty();
    }

    // ---- the initiator's side of IKE_SA_INIT

    @Test
    void anInitResponseChoosingWhatWeNeverOfferedFails() {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = wire.start(Wire.client());
        wire.queue.clear();
        Proposal forged = ProposalSyntax.parseIke("aes256gcm16-prfsha512-x25519", 1);
        byte[] response = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_SA_INIT, client.initiatorSpi(), 0x77L, 0, false)
                .add(SaPayload.of(forged)).add(new KePayload(Ike.DH_CURVE25519, new byte[32]))
                .add(NoncePayload.random(32, wire.random)).encode();
        client.receive(Wire.GATEWAY, response, wire.now);
        assertThat(client.failure()).startsWith("IKE_SA_INIT response from /198.51.100.1:500: NO_PROPOSAL_CHOSEN: the"
                + " responder chose").endsWith("(we offered aes128gcm16-prfsha256-x25519)");
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
    }

    @Test
    void anInitResponseWithoutKeFailsAndAnotherErrorIsNamed() {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = wire.start(Wire.client());
        byte[] response = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_SA_INIT, client.initiatorSpi(), 0x77L, 0, false)
                .add(SaPayload.of(ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519", 1)))
                .add(NoncePayload.random(32, wire.random)).encode();
        client.receive(Wire.GATEWAY, response, wire.now);
        assertThat(client.failure()).startsWith("IKE_SA_INIT response from /198.51.100.1:500 lacks SA, KE, Nr or SPIr");

        Wire other = new Wire(Wire.gateway());
        IkeSa second = other.start(Wire.client());
        byte[] busy = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_SA_INIT, second.initiatorSpi(), 0, 0, false)
                .add(NotifyPayload.of(Ike.NOTIFY_TEMPORARY_FAILURE)).encode();
        second.receive(Wire.GATEWAY, busy, other.now);
        assertThat(second.failure()).isEqualTo("/198.51.100.1:500 refused IKE_SA_INIT (TEMPORARY_FAILURE)");
    }

    @Test
    void anEndlessCookieLoopEnds() throws Exception {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = wire.start(Wire.client());
        for (int i = 0; i < 5 && client.state() != IkeSa.State.CLOSED; i++) {
            byte[] cookie = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_SA_INIT, client.initiatorSpi(), 0, 0, false)
                    .add(NotifyPayload.of(Ike.NOTIFY_COOKIE, new byte[] {(byte) i, 1, 2, 3})).encode();
            client.receive(Wire.GATEWAY, cookie, wire.now);
        }
        assertThat(client.failure()).isEqualTo("the responder keeps asking for a cookie (or sent a bad one)");
    }

    // ---- the responder's side of IKE_AUTH

    @Test
    void anIkeAuthWithoutAuthIsRefused() throws Exception {
        Wire wire = afterInit(Wire.gateway(), Wire.client());
        Actions a = craftedAuthRequest(wire, List.of(Identities.parse("client.example", true)));
        assertThat(openResponse(wire, a).toString()).isEqualTo("IKE_AUTH response 1 (encrypted) [ N(AUTHENTICATION_FAILED) ]");
        assertThat(a.events(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .endsWith("IKE_AUTH request without IDi or AUTH (EAP is not supported)"));
        assertThat(wire.responder.sas()).isEmpty();
    }

    @Test
    void aChildlessIkeAuthEstablishesTheIkeSaAlone() throws Exception {
        Wire wire = afterInit(Wire.gateway(), Wire.client());
        IdPayload idi = Identities.parse("client.example", true);
        Actions a = craftedAuthRequest(wire, List.of(idi, clientAuth(wire, idi)));
        assertThat(openResponse(wire, a).toString()).isEqualTo("IKE_AUTH response 1 (encrypted) [ IDr AUTH ]");
        assertThat(a.events()).extracting(e -> e.getClass().getSimpleName()).containsExactly("Established");
        assertThat(wire.responder.leasedAddresses()).isZero();
    }

    @Test
    void aVirtualIpRequestWithoutAPoolIsInternalAddressFailure() throws Exception {
        ResponderConfig noPool = ResponderConfig.psk("gw.example", Map.of("client.example", Wire.PSK),
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", Wire.CLOUD, null);
        Wire wire = new Wire(noPool);
        IkeSa client = wire.start(Wire.client());
        wire.run();
        assertThat(client.failure()).contains("(INTERNAL_ADDRESS_FAILURE;");
        // without asking for an address the same gateway gives the Child SA, TSi as offered
        Wire second = new Wire(noPool);
        InitiatorConfig noVip = new InitiatorConfig("client.example", null, Wire.PSK, "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", Wire.CLOUD, false, true, 4500, 1280, Retransmission.DEFAULT, java.time.Duration.ofSeconds(30));
        IkeSa other = second.start(noVip);
        second.run();
        assertThat(other.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(other.virtualIp()).isNull();
        assertThat(other.childSas().getFirst().localTs()).containsExactly(TrafficSelector.ipv4Subnet("0.0.0.0", 0));
    }

    @Test
    void anIkeAuthWithProposalsOfAnotherProtocolIsNoProposalChosen() throws Exception {
        Wire wire = afterInit(Wire.gateway(), Wire.client());
        IdPayload idi = Identities.parse("client.example", true);
        Proposal ah = new Proposal(1, Ike.PROTOCOL_AH, spi(0x12345678), ProposalSyntax.parseEsp("aes128gcm16", 1,
                spi(0x12345678)).transforms());
        Actions a = craftedAuthRequest(wire, List.of(idi, clientAuth(wire, idi), SaPayload.of(ah),
                new TsPayload(true, Wire.CLOUD), new TsPayload(false, Wire.CLOUD)));
        assertThat(openResponse(wire, a).toString()).isEqualTo("IKE_AUTH response 1 (encrypted) [ IDr AUTH N(NO_PROPOSAL_CHOSEN) ]");
    }

    // ---- the initiator's side of IKE_AUTH

    @Test
    void aResponseWithTrafficSelectorsBeyondOursFails() throws Exception {
        Wire wire = afterInit(Wire.gateway(), Wire.client());
        IkeSa client = wire.initiators.getFirst();
        Proposal chosen = ProposalSyntax.parseEsp("aes128gcm16", 1, spi(0x0a0b0c0d));
        Actions a = craftedAuthResponse(wire, List.of(
                new CpPayload(Ike.CFG_REPLY, List.of(ConfigAttribute.ipv4(Ike.ATTR_INTERNAL_IP4_ADDRESS,
                        (java.net.Inet4Address) InetAddress.getByName("10.99.0.9")))),
                SaPayload.of(chosen), new TsPayload(true, List.of(TrafficSelector.ipv4Subnet("10.99.0.9", 32))),
                new TsPayload(false, List.of(TrafficSelector.ipv4Subnet("0.0.0.0", 0)))));
        assertThat(client.failure()).startsWith("the Child SA's traffic selectors").contains("are not within what we proposed");
        assertThat(a.events()).extracting(e -> e.getClass().getSimpleName()).containsExactly("Established", "Failed");
    }

    @Test
    void aResponseChoosingAnEspTransformWeNeverOfferedFails() throws Exception {
        Wire wire = afterInit(Wire.gateway(), Wire.client());
        IkeSa client = wire.initiators.getFirst();
        craftedAuthResponse(wire, List.of(
                new CpPayload(Ike.CFG_REPLY, List.of(ConfigAttribute.ipv4(Ike.ATTR_INTERNAL_IP4_ADDRESS,
                        (java.net.Inet4Address) InetAddress.getByName("10.99.0.9")))),
                SaPayload.of(ProposalSyntax.parseEsp("aes256gcm16", 1, spi(0x0a0b0c0d))),
                new TsPayload(true, List.of(TrafficSelector.ipv4Subnet("10.99.0.9", 32))),
                new TsPayload(false, Wire.CLOUD)));
        assertThat(client.failure()).startsWith("Child SA from /198.51.100.1:4500: NO_PROPOSAL_CHOSEN: the responder chose")
                .endsWith("(we offered ESP aes128gcm16)");
    }

    @Test
    void aResponseWithoutTheVirtualIpWeAskedForFails() throws Exception {
        Wire wire = afterInit(Wire.gateway(), Wire.client());
        IkeSa client = wire.initiators.getFirst();
        craftedAuthResponse(wire, List.of(SaPayload.of(ProposalSyntax.parseEsp("aes128gcm16", 1, spi(0x0a0b0c0d))),
                new TsPayload(true, List.of(TrafficSelector.ipv4Subnet("10.99.0.9", 32))), new TsPayload(false, Wire.CLOUD)));
        assertThat(client.failure()).isEqualTo("/198.51.100.1:4500 assigned no virtual IP (no INTERNAL_IP4_ADDRESS in its"
                + " CP reply)");
    }

    @Test
    void aResponseWithAnIdrAndNoAuthFails() throws Exception {
        Wire wire = afterInit(Wire.gateway(), Wire.client());
        IkeSa client = wire.initiators.getFirst();
        SaContext g = wire.peerOf(client).context();
        byte[] response = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_AUTH, g.spiI, g.spiR, 1, false)
                .add(Identities.parse("gw.example", false)).add(NotifyPayload.of(Ike.NOTIFY_INVALID_SYNTAX))
                .encrypt(g.outCipher);
        client.receive(new java.net.InetSocketAddress(Wire.GATEWAY.getAddress(), 4500), NatTraversal.addNonEspMarker(response),
                wire.now);
        assertThat(client.failure()).isEqualTo("IKE_AUTH response from /198.51.100.1:4500 without IDr/AUTH: INVALID_SYNTAX");
    }
}
