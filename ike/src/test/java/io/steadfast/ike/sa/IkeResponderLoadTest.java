package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A flood of IKE_SA_INIT requests: cookies above the threshold, a hard cap on half-open SAs, timeouts free them. */
class IkeResponderLoadTest {

    @Test
    void floodTriggersCookiesAndKeepsHalfOpenSasBounded() {
        Wire wire = new Wire(Wire.gateway().withHalfOpenLimits(5, 20));
        for (int i = 0; i < 500; i++) {
            InetSocketAddress spoofed = Wire.address("203.0.113." + (i % 250 + 1), 1000 + i);
            IkeSa attacker = IkeSa.initiator(Wire.client(), spoofed, Wire.GATEWAY, wire.random);
            byte[] init = attacker.start(wire.now).datagrams().getFirst().payload();
            Actions answer = wire.responder.receive(spoofed, init, wire.now); // answers go nowhere
            assertThat(answer.datagrams()).hasSize(1);
        }
        assertThat(wire.responder.halfOpen()).isEqualTo(5);
        assertThat(wire.responder.sas()).hasSize(5);
        assertThat(wire.responder.counters().cookiesSent()).isEqualTo(495);

        // a real client still gets through: it returns the cookie
        IkeSa client = wire.start(Wire.client());
        wire.run();
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);

        // the attackers' half-open SAs expire
        wire.settle(TimeUnit.SECONDS.toNanos(31));
        assertThat(wire.responder.halfOpen()).isZero();
        assertThat(wire.responder.sas()).hasSize(1);
    }

    @Test
    void beyondTheCapNewInitiatorsAreDroppedEvenWithCookies() {
        Wire wire = new Wire(Wire.gateway().withHalfOpenLimits(1000, 3));
        for (int i = 0; i < 10; i++) {
            InetSocketAddress from = Wire.address("203.0.113.7", 2000 + i);
            IkeSa attacker = IkeSa.initiator(Wire.client(), from, Wire.GATEWAY, wire.random);
            wire.responder.receive(from, attacker.start(wire.now).datagrams().getFirst().payload(), wire.now);
        }
        assertThat(wire.responder.halfOpen()).isEqualTo(3);
        assertThat(wire.responder.counters().drops(Drop.HALF_OPEN_CAP)).isEqualTo(7);
    }

    @Test
    void aTamperedCookieIsAnsweredWithAFreshOne() {
        Wire wire = new Wire(Wire.gateway().withHalfOpenLimits(0, 10));
        wire.filter = f -> {
            if (f.toResponder() && wire.responder.counters().cookiesSent() == 1) {
                byte[] bytes = f.datagram().payload().clone();
                bytes[28 + 8 + 5] ^= 1; // inside the COOKIE data of the retry
                return new Wire.InFlight(f.from(), new Datagram(f.datagram().peer(), bytes), true);
            }
            return f;
        };
        IkeSa client = wire.start(Wire.client());
        wire.run();
        // the tampered cookie created no state and earned a fresh cookie, with which the client got through
        assertThat(wire.responder.counters().cookiesSent()).isEqualTo(2);
        assertThat(wire.responder.sas()).hasSize(1);
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
    }
}
