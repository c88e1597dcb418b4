package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageBuilder;
import io.steadfast.ike.IkeMessageDecoder;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.payload.KePayload;
import io.steadfast.ike.payload.NoncePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.TsPayload;
import io.steadfast.ike.proposal.ProposalSyntax;
import org.junit.jupiter.api.Test;

/** CREATE_CHILD_SA rekeys of Child SAs, started by either side, make-before-break, with and without PFS. */
class ChildRekeyTest {

    static Wire established(String clientEsp, String gatewayEsp) {
        Wire wire = new Wire(Wire.gateway().withProposals("aes128gcm16-prfsha256-x25519", gatewayEsp));
        wire.start(Wire.client().withProposals("aes128gcm16-prfsha256-x25519", clientEsp));
        wire.run();
        wire.initiatorEvents.clear();
        wire.responderEvents.clear();
        wire.sent.clear();
        return wire;
    }

    @Test
    void clientRekeysMakeBeforeBreak() throws Exception {
        Wire wire = established("aes128gcm16", "aes128gcm16");
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        ChildSa old = client.childSas().getFirst();
        ChildSa gatewayOld = gateway.childSas().getFirst();
        wire.fromInitiator(client, client.rekeyChild(old, wire.now));
        wire.run();

        assertThat(wire.initiatorEvents).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("ChildSaRekeyed", "ChildSaDown");
        IkeEvent.ChildSaRekeyed ours = wire.initiatorEvents(IkeEvent.ChildSaRekeyed.class).getFirst();
        IkeEvent.ChildSaRekeyed theirs = wire.responderEvents(IkeEvent.ChildSaRekeyed.class).getFirst();
        assertThat(ours.old()).isEqualTo(old);
        assertThat(theirs.old()).isEqualTo(gatewayOld);
        ChildSa fresh = ours.replacement();
        assertThat(fresh.inboundSpi()).isNotEqualTo(old.inboundSpi());
        assertThat(fresh.outboundSpi()).isEqualTo(theirs.replacement().inboundSpi());
        assertThat(fresh.localTs()).isEqualTo(old.localTs());
        assertThat(fresh.remoteTs()).isEqualTo(old.remoteTs());
        assertThat(fresh.virtualIp()).isEqualTo(old.virtualIp());
        assertThat(EspPair.carry(fresh, theirs.replacement(), EspPair.PING)).isEqualTo(EspPair.PING);
        assertThat(EspPair.carry(theirs.replacement(), fresh, EspPair.PING)).isEqualTo(EspPair.PING);
        assertThat(client.childSas()).containsExactly(fresh);
        assertThat(gateway.childSas()).containsExactly(theirs.replacement());
        assertThat(wire.responderEvents(IkeEvent.ChildSaDown.class)).singleElement()
                .satisfies(d -> assertThat(d.child()).isEqualTo(gatewayOld));
        // the request: N(REKEY_SA) with the old inbound SPI, no KE without PFS
        IkeMessage request = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(wire.sent.get(0).datagram().payload()),
                gateway.context().inCipher);
        assertThat(request.toString()).isEqualTo("CREATE_CHILD_SA request 2 (encrypted) [ N(REKEY_SA) SA No TSi TSr ]");
        assertThat(request.notify(Ike.NOTIFY_REKEY_SA).orElseThrow().spi()).isEqualTo(SaContext.spiBytes(old.inboundSpi()));
        assertThat(wire.sent).hasSize(4); // rekey, answer, delete, answer
    }

    @Test
    void gatewayRekeysAndTheClientAnswers() {
        Wire wire = established("aes128gcm16", "aes128gcm16");
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        wire.fromResponder(gateway.rekeyChild(gateway.childSas().getFirst(), wire.now));
        wire.run();
        ChildSa ours = client.childSas().getFirst();
        ChildSa theirs = gateway.childSas().getFirst();
        assertThat(wire.initiatorEvents).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("ChildSaRekeyed", "ChildSaDown");
        assertThat(wire.initiatorEvents(IkeEvent.ChildSaDown.class).getFirst().byPeer()).isTrue();
        assertThat(EspPair.carry(ours, theirs, EspPair.PING)).isEqualTo(EspPair.PING);
        assertThat(EspPair.carry(theirs, ours, EspPair.PING)).isEqualTo(EspPair.PING);
        assertThat(client.counters().requestsAnswered()).isEqualTo(2);
    }

    @Test
    void pfsRekeyCarriesKeAndRetriesTheGroupTheResponderWants() throws Exception {
        Wire wire = established("aes128gcm16-x25519-ecp256", "aes128gcm16-ecp256");
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        wire.fromInitiator(client, client.rekeyChild(client.childSas().getFirst(), wire.now));
        wire.run();
        assertThat(wire.sent).hasSize(6); // INVALID_KE_PAYLOAD, the retry with ecp256, then the delete
        IkeMessage refusal = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(wire.sent.get(1).datagram().payload()),
                client.context().inCipher);
        assertThat(refusal.notify(Ike.NOTIFY_INVALID_KE_PAYLOAD).orElseThrow().invalidKeGroup()).isEqualTo(Ike.DH_ECP_256);
        IkeMessage retry = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(wire.sent.get(2).datagram().payload()),
                gateway.context().inCipher);
        assertThat(retry.first(KePayload.class).orElseThrow().group()).isEqualTo(Ike.DH_ECP_256);
        assertThat(retry.header().messageId()).isEqualTo(3); // the refusal completed exchange 2
        ChildSa fresh = client.childSas().getFirst();
        assertThat(fresh.proposal()).isEqualTo("aes128gcm16-ecp256");
        assertThat(EspPair.carry(fresh, gateway.childSas().getFirst(), EspPair.PING)).isEqualTo(EspPair.PING);
    }

    @Test
    void rekeyOfAnUnknownChildIsChildSaNotFound() throws Exception {
        Wire wire = established("aes128gcm16", "aes128gcm16");
        IkeSa client = wire.initiators.getFirst();
        SaContext g = wire.peerOf(client).context();
        byte[] request = IkeMessageBuilder.request(Ike.EXCHANGE_CREATE_CHILD_SA, g.spiI, g.spiR, 0, false)
                .add(NotifyPayload.forEsp(Ike.NOTIFY_REKEY_SA, 0x0badc0de, new byte[0]))
                .add(new SaPayload(ProposalSyntax.parseEsp("aes128gcm16", new byte[] {1, 2, 3, 4})))
                .add(NoncePayload.random(32, wire.random))
                .add(new TsPayload(true, Wire.CLOUD)).add(new TsPayload(false, Wire.CLOUD)).encrypt(g.outCipher);
        Actions a = client.receive(Wire.GATEWAY, NatTraversal.addNonEspMarker(request), wire.now);
        IkeMessage answer = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(a.datagrams().getFirst().payload()),
                g.inCipher);
        assertThat(answer.toString()).isEqualTo("CREATE_CHILD_SA response 0 (encrypted) [ N(CHILD_SA_NOT_FOUND) ]");
        assertThat(a.events()).isEmpty();
        assertThat(client.childSas()).hasSize(1);
    }

    @Test
    void aRekeyWithAProposalWeDoNotAcceptIsRefusedAndTheOldChildStays() throws Exception {
        Wire wire = established("aes128gcm16", "aes128gcm16");
        IkeSa client = wire.initiators.getFirst();
        ChildSa old = client.childSas().getFirst();
        SaContext g = wire.peerOf(client).context();
        byte[] request = IkeMessageBuilder.request(Ike.EXCHANGE_CREATE_CHILD_SA, g.spiI, g.spiR, 0, false)
                .add(NotifyPayload.forEsp(Ike.NOTIFY_REKEY_SA, old.outboundSpi(), new byte[0]))
                .add(new SaPayload(ProposalSyntax.parseEsp("chacha20poly1305", new byte[] {1, 2, 3, 4})))
                .add(NoncePayload.random(32, wire.random))
                .add(new TsPayload(true, Wire.CLOUD)).add(new TsPayload(false, Wire.CLOUD)).encrypt(g.outCipher);
        Actions a = client.receive(Wire.GATEWAY, NatTraversal.addNonEspMarker(request), wire.now);
        IkeMessage answer = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(a.datagrams().getFirst().payload()),
                g.inCipher);
        assertThat(answer.toString()).isEqualTo("CREATE_CHILD_SA response 0 (encrypted) [ N(NO_PROPOSAL_CHOSEN) ]");
        assertThat(a.events()).isEmpty();
        assertThat(client.childSas()).containsExactly(old);
    }

    @Test
    void simultaneousRekeysAreRefusedOnBothSidesAndALaterOneWorks() {
        Wire wire = established("aes128gcm16", "aes128gcm16");
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        wire.fromInitiator(client, client.rekeyChild(client.childSas().getFirst(), wire.now));
        wire.fromResponder(gateway.rekeyChild(gateway.childSas().getFirst(), wire.now));
        wire.run();
        assertThat(client.childSas()).hasSize(1);
        assertThat(gateway.childSas()).hasSize(1);
        assertThat(wire.initiatorEvents).isEmpty();
        wire.fromInitiator(client, client.rekeyChild(client.childSas().getFirst(), wire.now));
        wire.run();
        assertThat(wire.initiatorEvents(IkeEvent.ChildSaRekeyed.class)).hasSize(1);
        assertThat(EspPair.carry(client.childSas().getFirst(), gateway.childSas().getFirst(), EspPair.PING))
                .isEqualTo(EspPair.PING);
    }
}
