package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessageBuilder;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.payload.DeletePayload;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Malformed, forged, replayed and misdirected messages are counted drops; nothing throws, nothing hangs. */
class IkeSaBadInputTest {

    @Test
    void garbageIsCountedNeverThrown() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[random.nextInt(300)];
            random.nextBytes(junk);
            if (i % 3 == 0 && junk.length > 8) System.arraycopy(new byte[4], 0, junk, 0, 4); // behind a marker
            assertThat(client.receive(Wire.GATEWAY, junk, wire.now).datagrams()).isEmpty();
            assertThat(wire.responder.receive(Wire.CLIENT, junk, wire.now).events()).isEmpty();
        }
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(client.counters().drops()).isEqualTo(2000);
        assertThat(wire.responder.counters().drops() + wire.responder.counters().cookiesSent()).isPositive();
        assertThat(wire.responder.halfOpen()).isZero();
    }

    @Test
    void mutatedCopiesOfEveryHandshakeMessageAreDropped() {
        Wire recording = new Wire(Wire.gateway());
        recording.start(Wire.client());
        recording.run();
        Random random = new Random(11);
        for (Wire.InFlight original : recording.sent) {
            for (int i = 0; i < 200; i++) {
                Wire wire = new Wire(Wire.gateway());
                IkeSa client = wire.start(Wire.client());
                byte[] bytes = original.datagram().payload().clone();
                int at = random.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 + random.nextInt(255));
                if (random.nextBoolean()) bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
                Actions a = original.toResponder() ? wire.responder.receive(original.from(), bytes, wire.now)
                        : client.receive(original.from(), bytes, wire.now);
                assertThat(a.events(IkeEvent.ChildSaUp.class)).isEmpty();
                assertThat(a.events(IkeEvent.Established.class)).isEmpty();
            }
        }
    }

    @Test
    void aForgedAuthResponseIsDroppedAndTheRealOneStillCompletes() {
        Wire wire = new Wire(Wire.gateway());
        AtomicBoolean forged = new AtomicBoolean();
        wire.filter = f -> {
            if (!f.toResponder() && NatTraversal.hasNonEspMarker(f.datagram().payload()) && !forged.getAndSet(true)) {
                byte[] bad = f.datagram().payload().clone();
                bad[bad.length - 1] ^= 1; // the ICV
                return new Wire.InFlight(f.from(), new Datagram(f.datagram().peer(), bad), false);
            }
            return f;
        };
        IkeSa client = wire.start(Wire.client());
        wire.run();
        assertThat(client.counters().drops(Drop.BAD_ICV)).isEqualTo(1);
        assertThat(client.state()).isEqualTo(IkeSa.State.AUTH_SENT);
        wire.settle(java.util.concurrent.TimeUnit.SECONDS.toNanos(2));
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
    }

    @Test
    void replayedOldRequestsOutsideTheWindowAreDropped() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        for (int i = 0; i < 2; i++) {
            wire.fromInitiator(client, client.checkLiveness(wire.now));
            wire.run();
        }
        Wire.InFlight first = wire.sent.get(0);
        Actions replay = wire.responder.receive(first.from(), first.datagram().payload(), wire.now);
        assertThat(replay.isEmpty()).isTrue();
        assertThat(gateway.counters().drops(Drop.OUT_OF_WINDOW)).isEqualTo(1);
        Wire.InFlight last = wire.sent.get(2);
        assertThat(wire.responder.receive(last.from(), last.datagram().payload(), wire.now).datagrams()).hasSize(1);
        assertThat(gateway.counters().duplicatesAnswered()).isEqualTo(1);
    }

    @Test
    void aFutureMessageIdIsDropped() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        SaContext g = wire.peerOf(client).context();
        byte[] future = IkeMessageBuilder.request(Ike.EXCHANGE_INFORMATIONAL, g.spiI, g.spiR, 5, false)
                .add(DeletePayload.ikeSa()).encrypt(g.outCipher);
        assertThat(client.receive(Wire.GATEWAY, NatTraversal.addNonEspMarker(future), wire.now).isEmpty()).isTrue();
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(client.counters().drops(Drop.OUT_OF_WINDOW)).isEqualTo(1);
    }

    @Test
    void anUnencryptedDeleteIsDropped() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        byte[] plain = IkeMessageBuilder.request(Ike.EXCHANGE_INFORMATIONAL, client.initiatorSpi(), client.responderSpi(), 0,
                false).add(DeletePayload.ikeSa()).encode();
        assertThat(client.receive(Wire.GATEWAY, NatTraversal.addNonEspMarker(plain), wire.now).isEmpty()).isTrue();
        assertThat(client.counters().drops(Drop.UNPROTECTED)).isEqualTo(1);
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
    }

    @Test
    void aDeleteFromAnotherAddressIsDropped() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        SaContext g = wire.peerOf(client).context();
        byte[] delete = IkeMessageBuilder.request(Ike.EXCHANGE_INFORMATIONAL, g.spiI, g.spiR, 0, false)
                .add(DeletePayload.ikeSa()).encrypt(g.outCipher);
        client.receive(Wire.address("203.0.113.66", 4500), NatTraversal.addNonEspMarker(delete), wire.now);
        assertThat(client.counters().drops(Drop.WRONG_SOURCE)).isEqualTo(1);
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
    }

    @Test
    void ourOwnRequestReflectedBackIsDropped() {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = wire.start(Wire.client());
        byte[] own = wire.queue.peek().datagram().payload();
        assertThat(client.receive(Wire.GATEWAY, own, wire.now).isEmpty()).isTrue();
        assertThat(client.counters().drops(Drop.NO_SA)).isEqualTo(1);
    }

    @Test
    void unknownSpisAtTheResponderAreDropped() {
        Wire wire = IkeSaInformationalTest.established();
        byte[] stray = IkeMessageBuilder.request(Ike.EXCHANGE_INFORMATIONAL, 0x1111_2222_3333_4444L, 0x5555_6666_7777_8888L,
                0, true).encode();
        assertThat(wire.responder.receive(Wire.CLIENT, stray, wire.now).isEmpty()).isTrue();
        assertThat(wire.responder.counters().drops(Drop.NO_SA)).isEqualTo(1);
    }

    @Test
    void anIkeAuthRequestToAnEstablishedSaIsAnUnexpectedExchange() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        SaContext c = client.context();
        byte[] auth = IkeMessageBuilder.request(Ike.EXCHANGE_IKE_AUTH, c.spiI, c.spiR, 2, true)
                .add(Identities.parse("client.example", true)).encrypt(c.outCipher);
        assertThat(wire.responder.receive(Wire.CLIENT, NatTraversal.addNonEspMarker(auth), wire.now).isEmpty()).isTrue();
        assertThat(gateway.counters().drops(Drop.UNEXPECTED_EXCHANGE)).isEqualTo(1);
        assertThat(gateway.state()).isEqualTo(IkeSa.State.ESTABLISHED);
    }
}
