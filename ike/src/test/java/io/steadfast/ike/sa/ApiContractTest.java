package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageBuilder;
import io.steadfast.ike.IkeMessageDecoder;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.payload.DeletePayload;
import io.steadfast.ike.payload.NotifyPayload;
import org.junit.jupiter.api.Test;

/** What the caller may do at any time: calls out of turn are harmless no-ops, closing works in every state. */
class ApiContractTest {

    @Test
    void callsBeforeEstablishmentDoNothing() {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = IkeSa.initiator(Wire.client(), Wire.CLIENT, Wire.GATEWAY, wire.random);
        assertThat(client.state()).isEqualTo(IkeSa.State.CREATED);
        assertThat(client.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
        assertThat(client.checkLiveness(wire.now).isEmpty()).isTrue();
        assertThat(client.rekeyIke(wire.now).isEmpty()).isTrue();
        assertThat(client.onTimer(wire.now).isEmpty()).isTrue();
        assertThat(client.responderSpi()).isZero();
        assertThat(client.peerIdentity()).isNull();
        assertThat(client.ikeProposal()).isEmpty();
        assertThat(client.virtualIp()).isNull();
        assertThat(client.childSas()).isEmpty();
        assertThat(client.isInitiator()).isTrue();
        assertThat(client.name()).endsWith("_i 0000000000000000_r");
        assertThat(client.toString()).startsWith("IKE_SA ").contains("CREATED");
        Actions first = client.start(wire.now);
        assertThat(first.datagrams()).hasSize(1);
        assertThat(client.start(wire.now).isEmpty()).isTrue(); // once only
    }

    @Test
    void closingBeforeKeysSendsNothing() {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = wire.start(Wire.client());
        Actions closed = client.close(wire.now);
        assertThat(closed.datagrams()).isEmpty();
        assertThat(closed.events()).singleElement().isInstanceOfSatisfying(IkeEvent.Deleted.class,
                d -> assertThat(d.byPeer()).isFalse());
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(client.close(wire.now).isEmpty()).isTrue();
        assertThat(client.receive(Wire.GATEWAY, new byte[40], wire.now).isEmpty()).isTrue();
    }

    @Test
    void closingDuringIkeAuthTellsTheGatewayOnce() throws Exception {
        Wire wire = ExchangeEdgeCaseTest.afterInit(Wire.gateway(), Wire.client());
        IkeSa client = wire.initiators.getFirst();
        Actions closed = client.close(wire.now);
        assertThat(closed.datagrams()).hasSize(1);
        IkeMessage delete = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(closed.datagrams().getFirst().payload()),
                wire.peerOf(client).context().inCipher);
        assertThat(delete.toString()).isEqualTo("INFORMATIONAL request 2 (encrypted) [ D ]");
        assertThat(client.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
    }

    @Test
    void rekeyingAChildWeDoNotHaveDoesNothing() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        ChildSa gatewaysChild = wire.peerOf(client).childSas().getFirst();
        assertThat(client.rekeyChild(gatewaysChild, wire.now).isEmpty()).isTrue();
        assertThat(client.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
    }

    @Test
    void aSecondLivenessCheckWhileOneIsInFlightIsNotQueued() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        assertThat(client.checkLiveness(wire.now).datagrams()).hasSize(1);
        assertThat(client.checkLiveness(wire.now).isEmpty()).isTrue();
    }

    @Test
    void deletesNamingUnknownChildSasAreAnsweredEmpty() throws Exception {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        SaContext g = wire.peerOf(client).context();
        byte[] request = IkeMessageBuilder.request(Ike.EXCHANGE_INFORMATIONAL, g.spiI, g.spiR, 0, false)
                .add(DeletePayload.esp(0x11111111, 0x22222222)).add(NotifyPayload.of(Ike.NOTIFY_INITIAL_CONTACT))
                .encrypt(g.outCipher);
        Actions a = client.receive(Wire.GATEWAY, NatTraversal.addNonEspMarker(request), wire.now);
        assertThat(a.events()).isEmpty();
        IkeMessage answer = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(a.datagrams().getFirst().payload()),
                g.inCipher);
        assertThat(answer.toString()).isEqualTo("INFORMATIONAL response 0 (encrypted) [  ]");
        assertThat(client.childSas()).hasSize(1);
    }

    @Test
    void aDeleteNamingOurChildAmongOthersRemovesJustIt() throws Exception {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        ChildSa child = client.childSas().getFirst();
        SaContext g = wire.peerOf(client).context();
        byte[] request = IkeMessageBuilder.request(Ike.EXCHANGE_INFORMATIONAL, g.spiI, g.spiR, 0, false)
                .add(DeletePayload.esp(0x11111111, child.outboundSpi())).encrypt(g.outCipher);
        Actions a = client.receive(Wire.GATEWAY, NatTraversal.addNonEspMarker(request), wire.now);
        assertThat(a.events(IkeEvent.ChildSaDown.class)).singleElement().satisfies(d -> assertThat(d.child()).isEqualTo(child));
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED); // an IKE SA without Child SAs stays
    }

    @Test
    void theResponderClosesEverythingOnShutdown() {
        Wire wire = new Wire(Wire.gateway());
        wire.start(Wire.client());
        wire.start(Wire.client(), Wire.address("192.0.2.99", 500)); // INITIAL_CONTACT replaces the first
        wire.run();
        assertThat(wire.responder.sas()).hasSize(1);
        wire.fromResponder(wire.responder.closeAll(wire.now));
        wire.run();
        assertThat(wire.responder.sas()).isEmpty();
        assertThat(wire.responder.leasedAddresses()).isZero();
        assertThat(wire.initiators.get(1).state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(wire.initiatorEvents(IkeEvent.Deleted.class)).singleElement()
                .satisfies(d -> assertThat(d.byPeer()).isTrue());
        assertThat(wire.responder.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
    }

    @Test
    void aLivenessCheckDuringHalfOpenIsDropped() {
        Wire wire = ExchangeEdgeCaseTest.afterInit(Wire.gateway(), Wire.client());
        SaContext c = wire.initiators.getFirst().context();
        byte[] request = IkeMessageBuilder.request(Ike.EXCHANGE_INFORMATIONAL, c.spiI, c.spiR, 1, true).encrypt(c.outCipher);
        assertThat(wire.responder.receive(Wire.CLIENT, NatTraversal.addNonEspMarker(request), wire.now).isEmpty()).isTrue();
        IkeSa gateway = wire.peerOf(wire.initiators.getFirst());
        assertThat(gateway.counters().drops(Drop.UNEXPECTED_EXCHANGE)).isEqualTo(1);
        assertThat(gateway.state()).isEqualTo(IkeSa.State.HALF_OPEN);
    }

    @Test
    void countersDescribeThemselves() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        client.receive(Wire.GATEWAY, new byte[3], wire.now);
        assertThat(client.counters().dropsByReason()).containsEntry(Drop.MALFORMED, 1L);
        assertThat(client.counters().toString()).contains("MALFORMED=1", "retransmits 0");
        assertThat(wire.responder.counters().cookiesSent()).isZero();
    }
}
