package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay's packet path with ten clients: IP-in-IP from a client's V with its S inside is unwrapped in
 * place and counted on its binding; packets to S find V; moving one client leaves the others alone.
 */
class RelayServerDataPathTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    final FakeClock clock = new FakeClock();
    final RelayServer server = Clients.server(clock);

    @BeforeEach
    void bindAllAtGatewayOne() {
        for (int i = 1; i <= Clients.COUNT; i++) {
            assertThat(Clients.send(server, Clients.update(i, 1, Clients.careOf(i, 1)), Clients.careOf(i, 1), clock.now()).accepted()).isTrue();
        }
        assertThat(server.bindingCount()).isEqualTo(Clients.COUNT);
    }

    @Test
    void ipInIpFromTheBoundVIsUnwrappedInPlace() {
        for (BufferKind kind : BufferKind.values()) {
            byte[] inner = TestPackets.icmpEcho(Clients.stable(4), Clients.SERVER, 9, 9, 100);
            ByteBuf buf = buffers.fromTun(kind, TestPackets.ipip(Clients.careOf(4, 1), Clients.R, 1, inner));
            try {
                assertThat(server.fromClient(buf)).as(kind.name()).isNull();
                assertThat(Hex.readable(buf)).isEqualTo(inner);
                assertThat(buf.readerIndex()).isEqualTo(TestPackets.TUN_ROOM + 20);
            } finally {
                buf.release();
            }
        }
        assertThat(server.binding(Clients.stable(4)).packetsIn()).isEqualTo(BufferKind.values().length);
        assertThat(server.counters().get("packets.from-clients")).isEqualTo(BufferKind.values().length);
    }

    @Test
    void careOfForFindsVAndCountsOnlyHits() {
        for (int i = 1; i <= Clients.COUNT; i++) {
            assertThat(server.careOfFor(Clients.stable(i))).isEqualTo(Clients.careOf(i, 1));
        }
        assertThat(server.careOfFor(TestPackets.address("10.1.0.99"))).isZero();
        assertThat(server.careOfFor(Clients.R)).isZero();
        assertThat(server.careOfFor(Clients.careOf(1, 1))).as("V is not S").isZero();
        assertThat(server.counters().get("packets.to-clients")).isEqualTo(Clients.COUNT);
        assertThat(server.binding(Clients.stable(7)).packetsOut()).isEqualTo(1);
    }

    @Test
    void aReplyIsWrappedFromRToTheCareOfAddress() {
        byte[] reply = TestPackets.udp(Clients.SERVER, Clients.stable(6), 53, 4000, new byte[20]);
        ByteBuf buf = buffers.fromTun(reply);
        try {
            int careOf = server.careOfFor(Ipv4.destination(buf));
            assertThat(IpIp.encapsulate(buf, server.relayAddress(), careOf)).isTrue();
            assertThat(Hex.readable(buf)).isEqualTo(TestPackets.ipip(Clients.R, Clients.careOf(6, 1), 0, reply));
        } finally {
            buf.release();
        }
    }

    @Test
    void movingOneClientLeavesTheOthersAndTheirCountersUnchanged() {
        for (int i = 1; i <= Clients.COUNT; i++) {
            for (int p = 0; p < 3; p++) {
                assertThat(fromClient(Clients.ipip(Clients.careOf(i, 1), Clients.stable(i), p))).isNull();
                server.careOfFor(Clients.stable(i));
            }
        }
        List<BindingSnapshot> before = server.snapshot();

        int moving = 5;
        int v2 = Clients.careOf(moving, 2);
        assertThat(Clients.send(server, Clients.update(moving, 2, v2), v2, clock.now()).accepted()).isTrue();

        List<BindingSnapshot> after = server.snapshot();
        for (int i = 0; i < Clients.COUNT; i++) {
            if (after.get(i).clientId() != moving) {
                assertThat(after.get(i)).isEqualTo(before.get(i));
            }
        }
        BindingSnapshot moved = after.stream().filter(b -> b.clientId() == moving).findFirst().orElseThrow();
        assertThat(moved.careOfAddress()).isEqualTo(v2);
        assertThat(moved.moves()).isEqualTo(1);
        assertThat(moved.packetsIn()).isEqualTo(3);
        assertThat(moved.packetsOut()).isEqualTo(3);

        assertThat(fromClient(Clients.ipip(Clients.careOf(moving, 1), Clients.stable(moving), 9))).as("old V, just after the move")
                .isNull();
        clock.advanceNanos(Relay.MOVE_GRACE_NANOS);
        assertThat(fromClient(Clients.ipip(Clients.careOf(moving, 1), Clients.stable(moving), 10))).as("old V, after the grace")
                .isEqualTo(RelayDropReason.WRONG_CARE_OF);
        assertThat(fromClient(Clients.ipip(v2, Clients.stable(moving), 9))).as("new V").isNull();
        assertThat(server.careOfFor(Clients.stable(moving))).isEqualTo(v2);
        for (int i = 1; i <= Clients.COUNT; i++) {
            if (i != moving) {
                assertThat(fromClient(Clients.ipip(Clients.careOf(i, 1), Clients.stable(i), 9))).isNull();
                assertThat(server.careOfFor(Clients.stable(i))).isEqualTo(Clients.careOf(i, 1));
            }
        }
    }

    @Test
    void theSnapshotShowsEachBindingSortedByS() {
        clock.advanceSeconds(12);
        assertThat(fromClient(Clients.ipip(Clients.careOf(10, 1), Clients.stable(10), 1))).isNull();
        server.careOfFor(Clients.stable(10));
        server.careOfFor(Clients.stable(10));
        List<BindingSnapshot> snapshot = server.snapshot();
        assertThat(snapshot).extracting(BindingSnapshot::clientId).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        BindingSnapshot ten = snapshot.get(9);
        assertThat(ten.stableAddress()).isEqualTo(Clients.stable(10));
        assertThat(ten.careOfAddress()).isEqualTo(Clients.careOf(10, 1));
        assertThat(ten.ageNanos()).isEqualTo(12_000_000_000L);
        assertThat(ten.sinceUpdateNanos()).isEqualTo(12_000_000_000L);
        assertThat(ten.expiresInNanos()).isEqualTo(288_000_000_000L);
        assertThat(ten.sequence()).isEqualTo(1);
        assertThat(ten).hasToString("10.1.0.10 -> 10.2.0.10 client 10 age 12.0s updated 12.0s ago expires in 288.0s moves 0 in 1 out 2");
    }

    @Test
    void countersHaveStableNames() {
        Map<String, Long> counters = server.counters();
        assertThat(counters).containsEntry("bindings", 10L).containsEntry("updates.accepted", 10L).containsEntry("acks.sent", 10L)
                .containsEntry("bindings.expired", 0L).containsEntry("mac.computations", 20L)
                .containsEntry("dropped.spoofed-inner-source", 0L).containsKey("dropped.rate-limited");
        assertThat(counters).containsEntry("packets.from-previous-care-of", 0L).hasSize(8 + RelayDropReason.values().length);
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
