package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Lost datagrams: exponential backoff on a fake clock, a retry limit, duplicate requests answered from the cache. */
class IkeSaRetransmissionTest {
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void unansweredInitIsResentWithExponentialBackoffThenFails() {
        Wire wire = new Wire(Wire.gateway());
        wire.filter = f -> null; // the gateway is unreachable
        long start = wire.now;
        IkeSa client = wire.start(Wire.client());
        wire.run();
        long[] expected = {1, 3, 7, 15, 31}; // 1 s, then 2, 4, 8, 16 s later
        for (long at : expected) {
            assertThat(client.nextDeadline() - start).isEqualTo(at * SECOND);
            wire.tick(Long.MAX_VALUE);
            wire.run();
        }
        assertThat(client.counters().retransmits()).isEqualTo(4);
        assertThat(wire.sent).isEmpty();
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(wire.initiatorEvents(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .isEqualTo("no answer from /198.51.100.1:500 to IKE_SA_INIT after 31000 ms and 4 retransmissions"
                        + " (peer dead or unreachable)"));
        assertThat(client.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
    }

    @Test
    void retransmittedRequestsAreTheSameBytes() {
        Wire wire = new Wire(Wire.gateway());
        java.util.List<byte[]> seen = new java.util.ArrayList<>();
        wire.filter = f -> {
            seen.add(f.datagram().payload());
            return null;
        };
        IkeSa client = wire.start(Wire.client().withRetransmission(new Retransmission(Duration.ofMillis(500), 1.5, 2)));
        wire.run();
        wire.tick(Long.MAX_VALUE);
        wire.run();
        wire.tick(Long.MAX_VALUE);
        wire.run();
        assertThat(seen).hasSize(3);
        assertThat(seen.get(1)).isEqualTo(seen.get(0));
        assertThat(seen.get(2)).isEqualTo(seen.get(0));
        assertThat(client.nextDeadline() - wire.now).isEqualTo(1_125_000_000L); // 0.5 * 1.5^2 s
    }

    @Test
    void lostAuthResponseIsRecoveredFromTheResponderCache() {
        Wire wire = new Wire(Wire.gateway());
        AtomicInteger authResponses = new AtomicInteger();
        wire.filter = f -> !f.toResponder() && io.steadfast.ike.NatTraversal.hasNonEspMarker(f.datagram().payload())
                && authResponses.getAndIncrement() == 0 ? null : f;
        IkeSa client = wire.start(Wire.client());
        wire.run();
        assertThat(client.state()).isEqualTo(IkeSa.State.AUTH_SENT);
        IkeSa gateway = wire.peerOf(client);
        assertThat(gateway.state()).isEqualTo(IkeSa.State.ESTABLISHED);

        wire.settle(2 * SECOND);
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(client.counters().retransmits()).isEqualTo(1);
        assertThat(gateway.counters().duplicatesAnswered()).isEqualTo(1);
        assertThat(wire.responderEvents(IkeEvent.ChildSaUp.class)).hasSize(1); // not installed twice
        assertThat(wire.initiatorEvents(IkeEvent.ChildSaUp.class)).hasSize(1);
    }

    @Test
    void duplicatedRequestIsAnsweredOnceMoreWithTheSameBytes() {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = wire.start(Wire.client());
        wire.run();
        IkeSa gateway = wire.peerOf(client);
        Wire.InFlight auth = wire.sent.get(2);
        Wire.InFlight answer = wire.sent.get(3);
        Actions again = wire.responder.receive(auth.from(), auth.datagram().payload(), wire.now);
        assertThat(again.datagrams()).singleElement()
                .satisfies(d -> assertThat(d.payload()).isEqualTo(answer.datagram().payload()));
        assertThat(again.events()).isEmpty();
        assertThat(gateway.counters().duplicatesAnswered()).isEqualTo(1);
        // the duplicated answer reaches the client, which has no request pending: dropped and counted
        assertThat(client.receive(Wire.GATEWAY, answer.datagram().payload(), wire.now).isEmpty()).isTrue();
        assertThat(client.counters().drops(Drop.UNEXPECTED_RESPONSE)).isEqualTo(1);
    }

    @Test
    void retransmittedInitRequestGetsTheSameInitResponse() {
        Wire wire = new Wire(Wire.gateway());
        wire.start(Wire.client());
        Wire.InFlight init = wire.queue.peek();
        Actions first = wire.responder.receive(init.from(), init.datagram().payload(), wire.now);
        Actions second = wire.responder.receive(init.from(), init.datagram().payload(), wire.now);
        assertThat(second.datagrams().getFirst().payload()).isEqualTo(first.datagrams().getFirst().payload());
        assertThat(wire.responder.sas()).hasSize(1);
        assertThat(wire.responder.halfOpen()).isEqualTo(1);
    }

    @Test
    void halfOpenSaTimesOutAndLeavesNothing() {
        Wire wire = new Wire(Wire.gateway());
        wire.filter = f -> f.datagram().peer().getPort() == 4500 ? null : f; // IKE_AUTH never arrives
        IkeSa client = wire.start(Wire.client().withRetransmission(new Retransmission(Duration.ofSeconds(10), 2, 5)));
        wire.run();
        assertThat(wire.responder.halfOpen()).isEqualTo(1);
        wire.settle(31 * SECOND);
        assertThat(wire.responder.halfOpen()).isZero();
        assertThat(wire.responder.sas()).isEmpty();
        assertThat(wire.responderEvents(IkeEvent.Failed.class)).singleElement()
                .satisfies(f -> assertThat(f.reason()).contains("half-open IKE SA").endsWith("timed out"));
        assertThat(client.state()).isEqualTo(IkeSa.State.AUTH_SENT);
    }

    @Test
    void aFragmentedRequestRetransmittedIsAnsweredOnceOnItsFirstFragment() {
        java.util.List<io.steadfast.ike.payload.TrafficSelector> many = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) many.add(io.steadfast.ike.payload.TrafficSelector.ipv4Subnet("10." + (10 + i) + ".0.0", 16));
        ResponderConfig gw = new ResponderConfig("gw.example", java.util.Map.of("client.example", Wire.PSK),
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", many, "10.99.0.0/24", true, 50, 1000,
                Duration.ofSeconds(30), Retransmission.DEFAULT, 576);
        Wire wire = new Wire(gw);
        AtomicInteger answers = new AtomicInteger();
        wire.filter = f -> !f.toResponder() && io.steadfast.ike.NatTraversal.hasNonEspMarker(f.datagram().payload())
                && answers.getAndIncrement() < 3 ? null : f; // the whole fragmented answer is lost once
        IkeSa client = wire.start(new InitiatorConfig("client.example", null, Wire.PSK, "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", many, true, true, 4500, 576, Retransmission.DEFAULT, Duration.ofSeconds(30)));
        wire.run();
        int requestFragments = (int) wire.sent.stream().filter(f -> f.toResponder()
                && f.datagram().peer().getPort() == 4500).count();
        assertThat(requestFragments).isGreaterThan(1);
        assertThat(answers.get()).isEqualTo(3);
        wire.settle(2 * SECOND);
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        IkeSa gateway = wire.peerOf(client);
        assertThat(gateway.counters().duplicatesAnswered()).isEqualTo(1); // not once per fragment
        assertThat(wire.responderEvents(IkeEvent.ChildSaUp.class)).hasSize(1);
    }
}
