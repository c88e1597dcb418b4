package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageBuilder;
import io.steadfast.ike.IkeMessageDecoder;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.payload.DeletePayload;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** INFORMATIONAL both ways: liveness checks, deletes of the IKE SA and of Child SAs, each side's own message IDs. */
class IkeSaInformationalTest {
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    static Wire established() {
        Wire wire = new Wire(Wire.gateway());
        wire.start(Wire.client());
        wire.run();
        wire.initiatorEvents.clear();
        wire.responderEvents.clear();
        wire.sent.clear();
        return wire;
    }

    @Test
    void ourLivenessCheckIsAnswered() throws Exception {
        Wire wire = established();
        IkeSa client = wire.initiators.getFirst();
        wire.fromInitiator(client, client.checkLiveness(wire.now));
        wire.run();
        assertThat(wire.initiatorEvents).singleElement().isInstanceOf(IkeEvent.Alive.class);
        IkeMessage request = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(wire.sent.get(0).datagram().payload()),
                wire.peerOf(client).context().inCipher);
        assertThat(request.toString()).isEqualTo("INFORMATIONAL request 2 (encrypted) [  ]");
        assertThat(client.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
    }

    @Test
    void gatewaysLivenessCheckIsAnsweredWithItsOwnMessageIds() throws Exception {
        Wire wire = established();
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        for (int i = 0; i < 3; i++) {
            wire.fromResponder(gateway.checkLiveness(wire.now));
            wire.run();
        }
        assertThat(wire.responderEvents).hasSize(3).allMatch(e -> e instanceof IkeEvent.Alive);
        IkeMessage third = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(wire.sent.get(4).datagram().payload()),
                client.context().inCipher);
        assertThat(third.header().messageId()).isEqualTo(2);
        assertThat(third.header().isInitiator()).isFalse();
        IkeMessage answer = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(wire.sent.get(5).datagram().payload()),
                gateway.context().inCipher);
        assertThat(answer.header().isResponse()).isTrue();
        assertThat(answer.header().isInitiator()).isTrue();
        assertThat(answer.header().messageId()).isEqualTo(2);
        // and our own counter was not disturbed: our next request is ID 2
        wire.fromInitiator(client, client.checkLiveness(wire.now));
        wire.run();
        assertThat(IkeMessageDecoder.decode(NatTraversal.stripNonEspMarker(wire.sent.get(6).datagram().payload()))
                .header().messageId()).isEqualTo(2);
        assertThat(wire.initiatorEvents(IkeEvent.Alive.class)).hasSize(1);
    }

    @Test
    void deadGatewayFailsTheLivenessCheck() {
        Wire wire = established();
        IkeSa client = wire.initiators.getFirst();
        wire.filter = f -> null;
        wire.fromInitiator(client, client.checkLiveness(wire.now));
        wire.settle(40 * SECOND);
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(wire.initiatorEvents).extracting(e -> e.getClass().getSimpleName()).containsExactly("ChildSaDown", "Failed");
        assertThat(wire.initiatorEvents(IkeEvent.Failed.class).getFirst().reason())
                .isEqualTo("no answer from /198.51.100.1:4500 to liveness check after 31000 ms and 4 retransmissions"
                        + " (peer dead or unreachable)");
    }

    @Test
    void closeDeletesTheIkeSaOnBothSidesAndReturnsTheAddress() {
        Wire wire = established();
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        ChildSa child = client.childSas().getFirst();
        wire.fromInitiator(client, client.close(wire.now));
        assertThat(client.state()).isEqualTo(IkeSa.State.DELETING);
        wire.run();

        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(gateway.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(wire.initiatorEvents).extracting(e -> e.getClass().getSimpleName()).containsExactly("ChildSaDown", "Deleted");
        assertThat(wire.initiatorEvents(IkeEvent.ChildSaDown.class).getFirst().child()).isEqualTo(child);
        assertThat(wire.initiatorEvents(IkeEvent.Deleted.class).getFirst().byPeer()).isFalse();
        assertThat(wire.responderEvents(IkeEvent.Deleted.class).getFirst().byPeer()).isTrue();
        assertThat(wire.responderEvents(IkeEvent.ChildSaDown.class).getFirst().byPeer()).isTrue();
        assertThat(wire.responder.sas()).isEmpty();
        assertThat(wire.responder.leasedAddresses()).isZero();
        assertThat(client.context().outCipher.isClosed()).isTrue(); // keys zeroed
    }

    @Test
    void closeEndsEvenWhenTheGatewayIsGone() {
        Wire wire = established();
        IkeSa client = wire.initiators.getFirst();
        wire.filter = f -> null;
        wire.fromInitiator(client, client.close(wire.now));
        wire.settle(40 * SECOND);
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(wire.initiatorEvents(IkeEvent.Deleted.class)).hasSize(1);
        assertThat(wire.initiatorEvents(IkeEvent.Failed.class)).isEmpty();
    }

    @Test
    void gatewayDeletingTheIkeSaIsAnEventForTheClient() {
        Wire wire = established();
        IkeSa client = wire.initiators.getFirst();
        wire.fromResponder(wire.peerOf(client).close(wire.now));
        wire.run();
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(wire.initiatorEvents).extracting(e -> e.getClass().getSimpleName()).containsExactly("ChildSaDown", "Deleted");
        assertThat(wire.initiatorEvents(IkeEvent.Deleted.class).getFirst().byPeer()).isTrue();
        assertThat(wire.responder.sas()).isEmpty();
    }

    @Test
    void gatewayDeletingTheChildSaIsAnsweredWithOurSpi() throws Exception {
        Wire wire = established();
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        ChildSa ours = client.childSas().getFirst();
        SaContext g = gateway.context();
        byte[] delete = IkeMessageBuilder.request(Ike.EXCHANGE_INFORMATIONAL, g.spiI, g.spiR, 0, false)
                .add(DeletePayload.esp(ours.outboundSpi())).encrypt(g.outCipher);
        Actions a = client.receive(Wire.GATEWAY, NatTraversal.addNonEspMarker(delete), wire.now);

        assertThat(a.events()).singleElement().isInstanceOfSatisfying(IkeEvent.ChildSaDown.class, down -> {
            assertThat(down.child()).isEqualTo(ours);
            assertThat(down.byPeer()).isTrue();
        });
        assertThat(client.childSas()).isEmpty();
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        IkeMessage answer = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(a.datagrams().getFirst().payload()),
                g.inCipher);
        assertThat(answer.first(DeletePayload.class).orElseThrow().spis()).containsExactly(ours.inboundSpi());
    }

    @Test
    void createChildSaForAnAdditionalChildIsDeclined() throws Exception {
        Wire wire = established();
        IkeSa client = wire.initiators.getFirst();
        SaContext g = wire.peerOf(client).context();
        byte[] request = IkeMessageBuilder.request(Ike.EXCHANGE_CREATE_CHILD_SA, g.spiI, g.spiR, 0, false)
                .add(new io.steadfast.ike.payload.SaPayload(io.steadfast.ike.proposal.ProposalSyntax.parseEsp("aes128gcm16",
                        new byte[] {1, 2, 3, 4})))
                .add(io.steadfast.ike.payload.NoncePayload.random(32, wire.random))
                .add(new io.steadfast.ike.payload.TsPayload(true, Wire.CLOUD))
                .add(new io.steadfast.ike.payload.TsPayload(false, Wire.CLOUD)).encrypt(g.outCipher);
        Actions a = client.receive(Wire.GATEWAY, NatTraversal.addNonEspMarker(request), wire.now);
        IkeMessage answer = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(a.datagrams().getFirst().payload()),
                g.inCipher);
        assertThat(answer.toString()).isEqualTo("CREATE_CHILD_SA response 0 (encrypted) [ N(NO_ADDITIONAL_SAS) ]");
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(client.childSas()).hasSize(1);
    }

    @Test
    void closeWaitsForTheRequestInFlight() {
        Wire wire = established();
        IkeSa client = wire.initiators.getFirst();
        wire.fromInitiator(client, client.checkLiveness(wire.now));
        wire.fromInitiator(client, client.close(wire.now));
        assertThat(wire.queue).hasSize(1); // window 1: the delete waits for the liveness answer
        wire.run();
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(wire.sent).hasSize(4);
    }

    @Test
    void keysAreZeroedWhenTheIkeSaEnds() {
        Wire wire = established();
        IkeSa client = wire.initiators.getFirst();
        io.steadfast.ike.crypto.IkeSaKeys keys = client.context().keys;
        assertThat(keys.skD()).isNotEqualTo(new byte[keys.skD().length]);
        wire.fromInitiator(client, client.close(wire.now));
        wire.run();
        assertThat(keys.skD()).containsOnly(0);
        assertThat(keys.skPi()).containsOnly(0);
        assertThat(keys.skEi()).containsOnly(0);
        assertThat(client.context().ni).containsOnly(0);
    }
}
