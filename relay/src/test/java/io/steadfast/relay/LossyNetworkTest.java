package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client and relay over a simulated network that loses, delays, duplicates and reorders binding
 * messages while the client switches gateways at random. Whatever happens on the way, the relay never
 * accepts a sequence that is not newer, and once the network heals the client's binding converges:
 * the relay maps S to the client's current V and the client knows it.
 */
class LossyNetworkTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final int C = 6;

    /** A message in flight: delivered at {@code at}. */
    record InFlight(long at, long order, byte[] packet, boolean toRelay) {}

    final FakeClock clock = new FakeClock();
    final RelayServer server = Clients.server(clock);
    final PriorityQueue<InFlight> network = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    long order;

    @ParameterizedTest(name = "seed {0}, loss {1}%")
    @CsvSource({"1, 0", "2, 10", "3, 30", "4, 50", "5, 70", "6, 30", "7, 50"})
    void convergesOnceTheNetworkHeals(long seed, int lossPercent) {
        Random random = new Random(seed);
        RelayClient client = new RelayClient(C, Clients.key(C), Clients.stable(C), Clients.R, 60, 1_760_000_000_000L, clock);
        client.tunnelChanged(Clients.careOf(C, 1));
        List<Long> accepted = new ArrayList<>();
        long end = clock.now() + 600_000 * MS;
        while (clock.now() < end) {
            if (random.nextInt(4000) == 0) {
                client.tunnelChanged(Clients.careOf(C, 1 + random.nextInt(4)));
            }
            step(client, random, lossPercent, accepted);
            clock.advanceMillis(1 + random.nextInt(20));
            if (random.nextInt(1000) == 0) {
                server.expire(clock.now());
            }
        }
        for (int i = 1; i < accepted.size(); i++) {
            assertThat(Long.compareUnsigned(accepted.get(i), accepted.get(i - 1))).as("accepted sequences rise").isPositive();
        }
        // the network heals: no loss; within a few retransmission intervals all settles
        long healed = clock.now() + 30_000 * MS;
        while (clock.now() < healed) {
            step(client, random, 0, accepted);
            clock.advanceMillis(10);
        }
        assertThat(client.hasOutstanding()).isFalse();
        assertThat(client.acknowledgedCareOf()).isEqualTo(client.careOf());
        assertThat(server.careOfFor(Clients.stable(C))).isEqualTo(client.careOf());
        assertThat(server.bindingOfClient(C).sequence()).isEqualTo(client.acknowledgedSequence());
        assertThat(accepted).isNotEmpty();
        if (lossPercent > 0) {
            assertThat(client.retransmits()).as("losses were recovered by retransmission").isPositive();
            assertThat(server.dropped(RelayDropReason.REPLAYED_UPDATE)).as("duplicates and retransmissions were re-acked").isPositive();
        }
    }

    private void step(RelayClient client, Random random, int lossPercent, List<Long> accepted) {
        UpdateToSend update = client.pollUpdate(clock.now());
        if (update != null) {
            send(update.packet(), true, random, lossPercent);
        }
        while (!network.isEmpty() && network.peek().at() <= clock.now()) {
            InFlight message = network.poll();
            ByteBuf buf = buffers.fromTun(message.packet());
            try {
                if (message.toRelay()) {
                    UpdateResult result = server.handleUpdatePacket(buf, clock.now());
                    if (result.accepted()) {
                        accepted.add(server.bindingOfClient(C).sequence());
                    }
                    if (result.ackPacket() != null) {
                        send(result.ackPacket(), false, random, lossPercent);
                    }
                } else {
                    client.handleAckPacket(buf);
                }
            } finally {
                buf.release();
            }
        }
    }

    private void send(byte[] packet, boolean toRelay, Random random, int lossPercent) {
        if (random.nextInt(100) < lossPercent) {
            return;
        }
        int copies = random.nextInt(20) == 0 ? 2 : 1; // sometimes duplicated
        for (int i = 0; i < copies; i++) {
            network.add(new InFlight(clock.now() + random.nextInt(300) * MS, order++, packet, toRelay)); // delayed and reordered
        }
    }
}
