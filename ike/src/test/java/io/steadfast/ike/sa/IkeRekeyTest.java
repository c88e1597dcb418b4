package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageDecoder;
import io.steadfast.ike.NatTraversal;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CREATE_CHILD_SA rekeys of the IKE SA itself, by either side: new SPIs and keys, Child SAs carried over. */
class IkeRekeyTest {
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void clientRekeysTheIkeSaAndKeepsItsChildSa() throws Exception {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        long oldSpiI = client.initiatorSpi();
        long oldSpiR = client.responderSpi();
        ChildSa child = client.childSas().getFirst();
        wire.fromInitiator(client, client.rekeyIke(wire.now));
        wire.run();

        assertThat(wire.initiatorEvents).extracting(e -> e.getClass().getSimpleName()).containsExactly("IkeSaRekeyed");
        assertThat(wire.responderEvents).extracting(e -> e.getClass().getSimpleName()).containsExactly("IkeSaRekeyed");
        assertThat(client.initiatorSpi()).isNotEqualTo(oldSpiI);
        assertThat(client.responderSpi()).isNotEqualTo(oldSpiR);
        assertThat(gateway.initiatorSpi()).isEqualTo(client.initiatorSpi());
        assertThat(gateway.responderSpi()).isEqualTo(client.responderSpi());
        assertThat(client.isInitiator()).isTrue();
        assertThat(gateway.isInitiator()).isFalse();
        assertThat(client.ikeProposal()).isEqualTo("aes128gcm16-prfsha256-x25519");
        assertThat(client.childSas()).containsExactly(child);
        assertThat(gateway.childSas()).hasSize(1);
        assertThat(wire.sent).hasSize(4); // rekey, answer, delete of the old IKE SA, answer
        IkeMessage delete = IkeMessageDecoder.decode(NatTraversal.stripNonEspMarker(wire.sent.get(2).datagram().payload()));
        assertThat(delete.header().initiatorSpi()).isEqualTo(oldSpiI);
        assertThat(client.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE); // the old one is gone
        assertThat(gateway.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
        assertThat(wire.responder.sas()).containsExactly(gateway);

        // the new IKE SA works: message IDs from 0, a liveness check, a Child SA rekey keyed from the new SK_d
        wire.sent.clear();
        wire.fromInitiator(client, client.checkLiveness(wire.now));
        wire.run();
        assertThat(IkeMessageDecoder.decode(NatTraversal.stripNonEspMarker(wire.sent.getFirst().datagram().payload()))
                .header().messageId()).isZero();
        assertThat(wire.initiatorEvents(IkeEvent.Alive.class)).hasSize(1);
        wire.fromInitiator(client, client.rekeyChild(child, wire.now));
        wire.run();
        assertThat(EspPair.carry(client.childSas().getFirst(), gateway.childSas().getFirst(), EspPair.PING))
                .isEqualTo(EspPair.PING);
        assertThat(EspPair.carry(gateway.childSas().getFirst(), client.childSas().getFirst(), EspPair.PING))
                .isEqualTo(EspPair.PING);
    }

    @Test
    void gatewayRekeysTheIkeSaAndTheRolesFlip() throws Exception {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        wire.fromResponder(gateway.rekeyIke(wire.now));
        wire.run();

        assertThat(wire.initiatorEvents(IkeEvent.IkeSaRekeyed.class)).hasSize(1);
        assertThat(gateway.isInitiator()).isTrue(); // RFC 7296 2.18: who rekeys is the new SA's initiator
        assertThat(client.isInitiator()).isFalse();
        assertThat(client.initiatorSpi()).isEqualTo(gateway.initiatorSpi());

        // the client's requests now go without the Initiator flag, and the gateway finds the SA by its SPIi
        wire.sent.clear();
        wire.fromInitiator(client, client.checkLiveness(wire.now));
        wire.run();
        IkeMessage liveness = IkeMessageDecoder.decode(NatTraversal.stripNonEspMarker(wire.sent.getFirst().datagram().payload()));
        assertThat(liveness.header().isInitiator()).isFalse();
        assertThat(wire.initiatorEvents(IkeEvent.Alive.class)).hasSize(1);

        wire.fromInitiator(client, client.close(wire.now));
        wire.run();
        assertThat(gateway.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(wire.responder.sas()).isEmpty();
        assertThat(wire.responder.leasedAddresses()).isZero();
    }

    @Test
    void simultaneousIkeRekeysAreRefusedAndALaterOneWorks() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        long spi = client.initiatorSpi();
        wire.fromInitiator(client, client.rekeyIke(wire.now));
        wire.fromResponder(gateway.rekeyIke(wire.now));
        wire.run();
        assertThat(client.initiatorSpi()).isEqualTo(spi);
        assertThat(wire.initiatorEvents).isEmpty();
        wire.fromInitiator(client, client.rekeyIke(wire.now));
        wire.run();
        assertThat(client.initiatorSpi()).isNotEqualTo(spi);
        assertThat(gateway.initiatorSpi()).isEqualTo(client.initiatorSpi());
    }

    @Test
    void aLostDeleteOfTheOldIkeSaDoesNotHangAnything() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        wire.filter = f -> f.toResponder() && n.incrementAndGet() >= 2 ? null : f; // every delete is lost
        wire.fromInitiator(client, client.rekeyIke(wire.now));
        wire.run();
        assertThat(client.nextDeadline()).isNotEqualTo(IkeSa.NO_DEADLINE);
        wire.settle(200 * SECOND);
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(gateway.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(client.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
        assertThat(gateway.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
        assertThat(wire.initiatorEvents(IkeEvent.Failed.class)).isEmpty();
        wire.filter = f -> f;
        wire.fromInitiator(client, client.checkLiveness(wire.now));
        wire.run();
        assertThat(wire.initiatorEvents(IkeEvent.Alive.class)).hasSize(1);
    }

    @Test
    void rekeyWhileARequestIsInFlightWaitsForIt() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        wire.fromInitiator(client, client.checkLiveness(wire.now));
        wire.fromInitiator(client, client.rekeyIke(wire.now));
        assertThat(wire.queue).hasSize(1);
        wire.run();
        assertThat(wire.initiatorEvents).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Alive", "IkeSaRekeyed");
    }
}
