package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Liveness checks on silence (strongSwan's dpd_delay), on a fake clock: a vanished peer does not leave a hung SA. */
class IdleLivenessTest {
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void theGatewayChecksSilentClientsAndKeepsLiveOnes() {
        Wire wire = new Wire(Wire.gateway());
        wire.responder.checkLivenessWhenIdle(Duration.ofSeconds(30));
        IkeSa client = wire.start(Wire.client());
        wire.run();
        IkeSa gateway = wire.peerOf(client);
        long established = wire.now;
        assertThat(wire.responder.nextDeadline()).isEqualTo(established + 30 * SECOND);
        wire.settle(65 * SECOND);
        assertThat(wire.responderEvents(IkeEvent.Alive.class)).hasSize(2);
        assertThat(client.counters().requestsAnswered()).isEqualTo(2);
        assertThat(gateway.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(wire.responder.nextDeadline()).isEqualTo(established + 90 * SECOND);
    }

    @Test
    void aVanishedClientFailsAndFreesItsAddress() {
        Wire wire = new Wire(Wire.gateway());
        wire.responder.checkLivenessWhenIdle(Duration.ofSeconds(30));
        IkeSa client = wire.start(Wire.client());
        wire.run();
        wire.filter = f -> null; // the client is gone
        wire.settle(30 * SECOND + Retransmission.DEFAULT.giveUpNanos() + SECOND);
        assertThat(wire.responder.sas()).isEmpty();
        assertThat(wire.responder.leasedAddresses()).isZero();
        assertThat(wire.responderEvents(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .startsWith("no answer from /192.0.2.10:40123 to liveness check after 31000 ms"));
        assertThat(wire.responder.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED); // it never heard a thing
    }

    @Test
    void anyAuthenticatedMessageFromThePeerPostponesTheCheck() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        IkeSa gateway = wire.peerOf(client);
        client.checkLivenessWhenIdle(Duration.ofSeconds(10), wire.now);
        long start = wire.now;
        assertThat(client.nextDeadline()).isEqualTo(start + 10 * SECOND);
        wire.now += 5 * SECOND;
        wire.fromResponder(gateway.checkLiveness(wire.now)); // the gateway speaks at +5 s
        wire.run();
        assertThat(client.nextDeadline()).isEqualTo(start + 15 * SECOND);
        wire.settle(10 * SECOND + 1);
        assertThat(wire.initiatorEvents(IkeEvent.Alive.class)).hasSize(1);
        client.checkLivenessWhenIdle(Duration.ZERO, wire.now);
        assertThat(client.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
    }

    @Test
    void noAutomaticCheckWhileARequestIsInFlight() {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        client.checkLivenessWhenIdle(Duration.ofSeconds(1), wire.now);
        wire.filter = f -> null;
        wire.fromInitiator(client, client.rekeyChild(client.childSas().getFirst(), wire.now));
        wire.queue.clear();
        assertThat(client.nextDeadline()).isEqualTo(wire.now + SECOND); // the rekey's retransmission, not a check
        wire.settle(40 * SECOND);
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED); // the rekey went unanswered: dead peer
        assertThat(wire.initiatorEvents(IkeEvent.Failed.class).getFirst().reason()).contains("CREATE_CHILD_SA rekey");
    }
}
