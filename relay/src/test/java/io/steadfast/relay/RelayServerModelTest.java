package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay against a model written from the README's rules, under long random mixes of genuine,
 * replayed, forged, misdirected and malformed updates, data packets, clock steps and expiry: after every
 * step the relay's verdict, its ack and its bindings are the model's.
 */
class RelayServerModelTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** What the rules say the relay knows of one client. */
    static final class ModelClient {
        boolean anyAccepted;
        long lastSequence;
        boolean bound;
        int careOf;
        boolean moved;
        int previousCareOf;
        long movedAt;
        long boundSequence;
        long expiresAt;
        int lifetime;
        double tokens = Relay.UPDATE_BURST;
        long tokensAt = Long.MIN_VALUE;
    }

    final FakeClock clock = new FakeClock();
    final RelayServer server = Clients.server(clock);
    final BindingCodec codec = new BindingCodec();
    final Map<Integer, ModelClient> model = new HashMap<>();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomMixesFollowTheRules(long seed) {
        Random random = new Random(seed);
        for (int c = 1; c <= Clients.COUNT; c++) {
            model.put(c, new ModelClient());
        }
        for (int step = 0; step < 4_000; step++) {
            switch (random.nextInt(10)) {
                case 0 -> clock.advanceMillis(random.nextInt(3) == 0 ? random.nextInt(400_000) : random.nextInt(100));
                case 1 -> expire();
                case 2, 3 -> dataPacket(random);
                case 4 -> {
                    int burst = random.nextInt(4) == 0 ? 15 : 1; // now and then a burst beyond the bucket
                    for (int i = 0; i < burst; i++) {
                        update(random);
                    }
                }
                default -> update(random);
            }
            assertMatchesModel();
        }
        for (RelayDropReason seen : new RelayDropReason[] {RelayDropReason.RATE_LIMITED, RelayDropReason.BAD_MAC,
                RelayDropReason.CARE_OF_MISMATCH, RelayDropReason.STABLE_ADDRESS_NOT_ALLOWED, RelayDropReason.REPLAYED_UPDATE,
                RelayDropReason.WRONG_CARE_OF, RelayDropReason.SPOOFED_INNER_SOURCE}) {
            assertThat(server.dropped(seen)).as("the mix exercised %s", seen).isPositive();
        }
        assertThat(server.updatesAccepted()).isPositive();
        assertThat(server.counters().get("bindings.expired")).isPositive();
    }

    private void update(Random random) {
        int c = 1 + random.nextInt(Clients.COUNT);
        ModelClient m = model.get(c);
        int careOf = Clients.careOf(c, 1 + random.nextInt(3));
        long sequence = m.lastSequence + random.nextInt(5) - 2; // older, equal or newer
        int lifetime = 1 + random.nextInt(random.nextBoolean() ? 400 : 5000);
        int source = random.nextInt(8) == 0 ? Clients.careOf(c, 5) : careOf;
        int stable = random.nextInt(10) == 0 ? Clients.stable(1 + random.nextInt(Clients.COUNT)) : Clients.stable(c);
        boolean forged = random.nextInt(8) == 0;
        byte[] wire = codec.encodeUpdate(Clients.key(c), c, sequence, stable, careOf, lifetime);
        if (forged) {
            wire[32 + random.nextInt(16)] ^= (byte) (1 + random.nextInt(255));
        }
        UpdateResult result = Clients.send(server, wire, source, clock.now());
        RelayDropReason expected = expectUpdate(c, m, forged, source, careOf, stable, sequence, lifetime);
        assertThat(result.reason()).as("update %d seq %d", c, sequence).isEqualTo(expected);
        assertAck(c, m, result, expected, sequence, stable, careOf);
    }

    /** The README's rules, in its order. */
    private RelayDropReason expectUpdate(int c, ModelClient m, boolean forged, int source, int careOf, int stable, long sequence,
            int lifetime) {
        if (!takeToken(m)) {
            return RelayDropReason.RATE_LIMITED;
        }
        if (forged) {
            return RelayDropReason.BAD_MAC;
        }
        if (careOf != source) {
            return RelayDropReason.CARE_OF_MISMATCH;
        }
        if (stable != Clients.stable(c)) {
            return RelayDropReason.STABLE_ADDRESS_NOT_ALLOWED;
        }
        if (m.anyAccepted && Long.compareUnsigned(sequence, m.lastSequence) <= 0) {
            return RelayDropReason.REPLAYED_UPDATE;
        }
        m.anyAccepted = true;
        m.lastSequence = sequence;
        if (!m.bound) {
            m.moved = false;                       // a new binding: no previous V
        } else if (m.careOf != careOf) {
            m.moved = true;
            m.previousCareOf = m.careOf;
            m.movedAt = clock.now();
        }
        m.bound = true;
        m.careOf = careOf;
        m.boundSequence = sequence;
        m.lifetime = Math.min(lifetime, Relay.MAX_LIFETIME_SECONDS);
        m.expiresAt = clock.now() + m.lifetime * SECOND;
        return null;
    }

    private boolean takeToken(ModelClient m) {
        long now = clock.now();
        if (m.tokensAt != Long.MIN_VALUE) {
            m.tokens = Math.min(Relay.UPDATE_BURST, m.tokens + (now - m.tokensAt) / (double) (SECOND / Relay.UPDATES_PER_SECOND));
        }
        m.tokensAt = now;
        if (m.tokens < 1 - 1e-9) {
            return false;
        }
        m.tokens -= 1;
        return true;
    }

    private void assertAck(int c, ModelClient m, UpdateResult result, RelayDropReason reason, long sequence, int stable, int careOf) {
        if (reason == null) {
            assertThat(Clients.ack(c, result.ack())).isEqualTo(new BindingMessage(BindingMessage.Type.ACK, c, sequence, stable, careOf,
                    m.lifetime, AckStatus.ACCEPTED));
            return;
        }
        switch (reason) {
            case REPLAYED_UPDATE -> {
                BindingMessage ack = Clients.ack(c, result.ack());
                boolean retransmission = m.bound && sequence == m.lastSequence && m.boundSequence == sequence && m.careOf == careOf;
                assertThat(ack.status()).isEqualTo(retransmission ? AckStatus.ACCEPTED : AckStatus.STALE_SEQUENCE);
                assertThat(ack.sequence()).isEqualTo(m.lastSequence);
                assertThat(ack.careOfAddress()).isEqualTo(m.bound ? m.careOf : 0);
            }
            case STABLE_ADDRESS_NOT_ALLOWED -> assertThat(Clients.ack(c, result.ack()).status()).isEqualTo(AckStatus.STABLE_ADDRESS_NOT_ALLOWED);
            default -> assertThat(result.ack()).as("no answer for %s", reason).isNull();
        }
    }

    private void expire() {
        int expected = 0;
        for (ModelClient m : model.values()) {
            if (m.bound && clock.now() - m.expiresAt >= 0) {
                m.bound = false;
                expected++;
            }
        }
        assertThat(server.expire(clock.now())).isEqualTo(expected);
    }

    private void dataPacket(Random random) {
        int c = 1 + random.nextInt(Clients.COUNT);
        ModelClient m = model.get(c);
        int outer = random.nextInt(4) == 0 ? Clients.careOf(c, 1 + random.nextInt(3)) : (m.bound ? m.careOf : Clients.careOf(c, 1));
        ByteBuf buf = buffers.fromTun(Clients.ipip(outer, Clients.stable(c), random.nextInt(1000)));
        try {
            boolean inGrace = m.moved && outer == m.previousCareOf && clock.now() - m.movedAt < Relay.MOVE_GRACE_NANOS;
            RelayDropReason expected = !m.bound ? RelayDropReason.SPOOFED_INNER_SOURCE
                    : outer != m.careOf && !inGrace ? RelayDropReason.WRONG_CARE_OF : null;
            assertThat(server.fromClient(buf)).isEqualTo(expected);
        } finally {
            buf.release();
        }
        assertThat(server.careOfFor(Clients.stable(c))).isEqualTo(m.bound ? m.careOf : 0);
    }

    private void assertMatchesModel() {
        for (Map.Entry<Integer, ModelClient> e : model.entrySet()) {
            ModelClient m = e.getValue();
            Binding b = server.bindingOfClient(e.getKey());
            if (!m.bound) {
                assertThat(b).isNull();
                continue;
            }
            assertThat(b).isNotNull();
            assertThat(b.careOfAddress()).isEqualTo(m.careOf);
            assertThat(b.sequence()).isEqualTo(m.boundSequence);
            assertThat(b.expiresAtNanos()).isEqualTo(m.expiresAt);
            assertThat(b.stableAddress()).isEqualTo(Clients.stable(e.getKey()));
        }
    }

    @Test
    void theModelAgreesWithTheRelayOnAnEmptyDay() {
        for (int c = 1; c <= Clients.COUNT; c++) {
            model.put(c, new ModelClient());
        }
        assertMatchesModel();
        expire();
        assertThat(server.snapshot()).isEmpty();
    }
}
