package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bindings end with their lifetime unless refreshed; the last accepted sequence outlives them. Fake clock. */
class RelayServerExpiryTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    final FakeClock clock = new FakeClock();
    final RelayServer server = Clients.server(clock);
    static final int C = 8;
    static final int V1 = Clients.careOf(C, 1);

    @Test
    void aBindingExpiresAtTheEndOfItsLifetime() {
        Clients.send(server, Clients.update(C, 10, V1), V1, clock.now());
        clock.advanceSeconds(300).advanceNanos(-1);
        assertThat(server.expire(clock.now())).isZero();
        assertThat(server.careOfFor(Clients.stable(C))).isEqualTo(V1);
        clock.advanceNanos(1);
        assertThat(server.expire(clock.now())).isEqualTo(1);
        assertThat(server.careOfFor(Clients.stable(C))).isZero();
        assertThat(server.bindingCount()).isZero();
        assertThat(server.counters().get("bindings.expired")).isEqualTo(1);
        assertThat(fromClient(Clients.ipip(V1, Clients.stable(C), 1))).isEqualTo(RelayDropReason.SPOOFED_INNER_SOURCE);
    }

    @Test
    void aRefreshExtendsTheLifetime() {
        Clients.send(server, Clients.update(C, 10, V1), V1, clock.now());
        clock.advanceSeconds(200);
        assertThat(Clients.send(server, Clients.update(C, 11, V1), V1, clock.now()).accepted()).isTrue();
        clock.advanceSeconds(200);
        assertThat(server.expire(clock.now())).isZero();
        assertThat(server.binding(Clients.stable(C)).moves()).isZero();
        clock.advanceSeconds(100);
        assertThat(server.expire(clock.now())).isEqualTo(1);
    }

    @Test
    void aBindingServesUntilExpireRemovesIt() {
        Clients.send(server, Clients.update(C, 10, V1), V1, clock.now());
        clock.advanceSeconds(1000);
        assertThat(server.careOfFor(Clients.stable(C))).as("no clock on the packet path").isEqualTo(V1);
        assertThat(server.binding(Clients.stable(C)).isExpired(clock.now())).isTrue();
        server.expire(clock.now());
        assertThat(server.careOfFor(Clients.stable(C))).isZero();
    }

    @Test
    void anOldUpdateCannotReviveAnExpiredBinding() {
        byte[] old = Clients.update(C, 10, V1);
        Clients.send(server, old, V1, clock.now());
        clock.advanceSeconds(301);
        server.expire(clock.now());
        UpdateResult replay = Clients.send(server, old, V1, clock.now());
        assertThat(replay.reason()).isEqualTo(RelayDropReason.REPLAYED_UPDATE);
        BindingMessage ack = Clients.ack(C, replay.ack());
        assertThat(ack.status()).isEqualTo(AckStatus.STALE_SEQUENCE);
        assertThat(ack.sequence()).isEqualTo(10);
        assertThat(ack.careOfAddress()).as("nothing bound").isZero();
        assertThat(ack.lifetimeSeconds()).isZero();
        assertThat(server.bindingCount()).isZero();

        assertThat(Clients.send(server, Clients.update(C, 11, V1), V1, clock.now()).accepted()).as("a newer one does").isTrue();
        assertThat(server.careOfFor(Clients.stable(C))).isEqualTo(V1);
    }

    @Test
    void theRemainingLifetimeInAStaleAckRoundsUp() {
        Clients.send(server, Clients.update(C, 10, V1), V1, clock.now());
        clock.advanceMillis(100_500);
        BindingMessage ack = Clients.ack(C, Clients.send(server, Clients.update(C, 9, V1), V1, clock.now()).ack());
        assertThat(ack.lifetimeSeconds()).isEqualTo(200); // 199.5 s left
    }

    private RelayDropReason fromClient(byte[] packet) {
        ByteBuf buf = buffers.fromTun(packet);
        try {
            return server.fromClient(buf);
        } finally {
            buf.release();
        }
    }
}
