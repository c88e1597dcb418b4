package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client and relay in plain code, the network played by hand: the client's update reaches the relay,
 * its ack the client; packets S -> server wrapped V -> R pass the relay; replies to S are wrapped R -> V
 * and unwrapped by the client. Then a gateway switch, lost messages, a restart, and ten clients at once.
 */
class EndToEndTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final long EPOCH_MILLIS = 1_750_000_000_000L;

    final FakeClock clock = new FakeClock();
    final RelayServer server = Clients.server(clock);

    RelayClient client(int c) {
        return new RelayClient(c, Clients.key(c), Clients.stable(c), Clients.R, 300, EPOCH_MILLIS, clock);
    }

    /** Delivers the client's due update to the relay and the relay's ack back; returns whether the client took it. */
    boolean exchange(RelayClient client) {
        UpdateToSend update = client.pollUpdate(clock.now());
        assertThat(update).as("an update is due").isNotNull();
        ByteBuf toRelay = buffers.fromTun(update.packet());
        byte[] ackPacket;
        try {
            assertThat(BindingPacket.isUdpTo(toRelay, Clients.R, Relay.DEFAULT_PORT)).isTrue();
            UpdateResult result = server.handleUpdatePacket(toRelay, clock.now());
            ackPacket = result.ackPacket();
        } finally {
            toRelay.release();
        }
        if (ackPacket == null) {
            return false;
        }
        ByteBuf toClient = buffers.fromTun(ackPacket);
        try {
            assertThat(BindingPacket.isUdpFrom(toClient, Clients.R, Relay.DEFAULT_PORT)).isTrue();
            return client.handleAckPacket(toClient);
        } finally {
            toClient.release();
        }
    }

    /** A packet S -> server through client and relay; returns the relay's verdict, checking the inner packet on success. */
    RelayDropReason clientToServer(RelayClient client, int seq) {
        byte[] inner = TestPackets.icmpEcho(client.stableAddress(), Clients.SERVER, 7, seq, 40);
        ByteBuf buf = buffers.fromTun(inner);
        try {
            assertThat(IpIp.encapsulate(buf, client.careOf(), Clients.R)).isTrue();
            RelayDropReason verdict = server.fromClient(buf);
            if (verdict == null) {
                assertThat(Hex.readable(buf)).isEqualTo(inner);
            }
            return verdict;
        } finally {
            buf.release();
        }
    }

    /** A reply server -> S through relay and client; returns the V it was wrapped to (0: no binding). */
    int serverToClient(RelayClient client, int seq) {
        byte[] reply = TestPackets.udp(Clients.SERVER, client.stableAddress(), 53, 40000 + seq, new byte[30]);
        ByteBuf buf = buffers.fromTun(reply);
        try {
            int careOf = server.careOfFor(Ipv4.destination(buf));
            if (careOf == 0) {
                return 0;
            }
            assertThat(IpIp.encapsulate(buf, Clients.R, careOf)).isTrue();
            assertThat(IpIp.outerDestination(buf)).isEqualTo(careOf);
            assertThat(client.fromRelay(buf)).isNull();
            assertThat(Hex.readable(buf)).isEqualTo(reply);
            return careOf;
        } finally {
            buf.release();
        }
    }

    @Test
    void updateAckThenTrafficBothWays() {
        RelayClient alice = client(1);
        int v1 = Clients.careOf(1, 1);
        alice.tunnelChanged(v1);
        assertThat(clientToServer(alice, 0)).as("before the binding").isEqualTo(RelayDropReason.SPOOFED_INNER_SOURCE);
        assertThat(serverToClient(alice, 0)).isZero();

        assertThat(exchange(alice)).isTrue();
        assertThat(alice.acknowledgedCareOf()).isEqualTo(v1);
        for (int i = 1; i <= 5; i++) {
            assertThat(clientToServer(alice, i)).isNull();
            assertThat(serverToClient(alice, i)).isEqualTo(v1);
        }
        Binding b = server.binding(Clients.stable(1));
        assertThat(b.packetsIn()).isEqualTo(5);
        assertThat(b.packetsOut()).isEqualTo(5);
        assertThat(alice.packetsFromRelay()).isEqualTo(5);
    }

    @Test
    void aGatewaySwitchMovesTheRepliesToTheNewV() {
        RelayClient alice = client(1);
        int v1 = Clients.careOf(1, 1);
        int v2 = Clients.careOf(1, 2);
        alice.tunnelChanged(v1);
        assertThat(exchange(alice)).isTrue();
        clock.advanceSeconds(30);

        alice.tunnelChanged(v2);
        assertThat(clientToServer(alice, 1)).as("the relay has not heard yet").isEqualTo(RelayDropReason.WRONG_CARE_OF);
        assertThat(exchange(alice)).isTrue();
        assertThat(clientToServer(alice, 2)).isNull();
        assertThat(serverToClient(alice, 2)).isEqualTo(v2);
        assertThat(server.binding(Clients.stable(1)).moves()).isEqualTo(1);
    }

    /** A packet S -> server wrapped with outer source {@code careOf}, as one still in flight through an old gateway. */
    RelayDropReason clientToServerFrom(RelayClient client, int careOf, int seq) {
        ByteBuf buf = buffers.fromTun(TestPackets.icmpEcho(client.stableAddress(), Clients.SERVER, 7, seq, 40));
        try {
            assertThat(IpIp.encapsulate(buf, careOf, Clients.R)).isTrue();
            return server.fromClient(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void packetsTheUpdateOvertookStillPassFromTheOldVForTwoSecondsOnly() {
        RelayClient alice = client(1);
        int v1 = Clients.careOf(1, 1);
        int v2 = Clients.careOf(1, 2);
        alice.tunnelChanged(v1);
        assertThat(exchange(alice)).isTrue();
        assertThat(clientToServerFrom(alice, v2, 1)).as("no move yet: V2 is nobody's").isEqualTo(RelayDropReason.WRONG_CARE_OF);
        clock.advanceSeconds(30);
        alice.tunnelChanged(v2);
        assertThat(exchange(alice)).isTrue();
        clock.advanceMillis(1_900);
        assertThat(clientToServerFrom(alice, v1, 2)).as("in flight through the old gateway").isNull();
        assertThat(server.counters()).containsEntry("packets.from-previous-care-of", 1L);
        assertThat(clientToServerFrom(alice, Clients.careOf(1, 3), 3)).as("a third V never was S's").isEqualTo(RelayDropReason.WRONG_CARE_OF);
        clock.advanceMillis(100);
        assertThat(clientToServerFrom(alice, v1, 4)).as("the grace is over").isEqualTo(RelayDropReason.WRONG_CARE_OF);
        assertThat(clientToServerFrom(alice, v2, 5)).isNull();
        assertThat(serverToClient(alice, 5)).as("replies only ever go to the current V").isEqualTo(v2);
    }

    @Test
    void aLostAckIsRecoveredByTheRetransmission() {
        RelayClient alice = client(1);
        int v1 = Clients.careOf(1, 1);
        alice.tunnelChanged(v1);
        UpdateToSend first = alice.pollUpdate(clock.now());
        ByteBuf buf = buffers.fromTun(first.packet());
        try {
            assertThat(server.handleUpdatePacket(buf, clock.now()).accepted()).isTrue(); // its ack is lost
        } finally {
            buf.release();
        }
        assertThat(serverToClient(alice, 1)).as("the relay already has it").isEqualTo(v1);
        clock.advanceMillis(100);
        assertThat(exchange(alice)).as("the retransmission is re-acknowledged").isTrue();
        assertThat(server.dropped(RelayDropReason.REPLAYED_UPDATE)).isEqualTo(1);
        assertThat(alice.retransmits()).isEqualTo(1);
    }

    @Test
    void aLostUpdateIsRecoveredByTheRetransmission() {
        RelayClient alice = client(1);
        alice.tunnelChanged(Clients.careOf(1, 1));
        alice.pollUpdate(clock.now()); // lost on the way
        clock.advanceMillis(50);
        assertThat(alice.pollUpdate(clock.now())).isNull();
        clock.advanceMillis(50);
        assertThat(exchange(alice)).isTrue();
    }

    @Test
    void theBindingIsRefreshedAndOutlivesItsFirstLifetime() {
        RelayClient alice = client(1);
        alice.tunnelChanged(Clients.careOf(1, 1));
        assertThat(exchange(alice)).isTrue();
        for (int round = 0; round < 5; round++) {
            clock.set(alice.nextDeadline());
            server.expire(clock.now());
            assertThat(exchange(alice)).as("refresh %d", round).isTrue();
        }
        clock.advanceSeconds(299);
        assertThat(server.expire(clock.now())).isZero();
        assertThat(serverToClient(alice, 1)).isEqualTo(Clients.careOf(1, 1));
    }

    @Test
    void aRestartedClientIsAcceptedAndOneWhoseClockWentBackCatchesUp() {
        RelayClient first = client(1);
        first.tunnelChanged(Clients.careOf(1, 1));
        assertThat(exchange(first)).isTrue();

        RelayClient restarted = new RelayClient(1, Clients.key(1), Clients.stable(1), Clients.R, 300, EPOCH_MILLIS + 5_000, clock);
        restarted.tunnelChanged(Clients.careOf(1, 2));
        assertThat(exchange(restarted)).isTrue();

        RelayClient clockWentBack = new RelayClient(1, Clients.key(1), Clients.stable(1), Clients.R, 300, EPOCH_MILLIS - 60_000, clock);
        int v3 = Clients.careOf(1, 3);
        clockWentBack.tunnelChanged(v3);
        assertThat(exchange(clockWentBack)).as("refused as stale").isFalse();
        assertThat(clockWentBack.outstandingSequence()).as("now above the relay's").isGreaterThan(restarted.acknowledgedSequence());
        assertThat(exchange(clockWentBack)).isTrue();
        assertThat(serverToClient(clockWentBack, 1)).isEqualTo(v3);
    }

    @Test
    void tenClientsAtOnceAndOneSwitchTouchesOnlyItsOwn() {
        List<RelayClient> clients = new ArrayList<>();
        for (int c = 1; c <= Clients.COUNT; c++) {
            RelayClient client = client(c);
            client.tunnelChanged(Clients.careOf(c, 1));
            assertThat(exchange(client)).isTrue();
            clients.add(client);
        }
        for (RelayClient c : clients) {
            assertThat(clientToServer(c, 1)).isNull();
            assertThat(serverToClient(c, 1)).isEqualTo(Clients.careOf(c.clientId(), 1));
        }
        RelayClient switching = clients.get(6);
        switching.tunnelChanged(Clients.careOf(switching.clientId(), 2));
        assertThat(exchange(switching)).isTrue();
        for (RelayClient c : clients) {
            int gateway = c == switching ? 2 : 1;
            assertThat(clientToServer(c, 2)).isNull();
            assertThat(serverToClient(c, 2)).isEqualTo(Clients.careOf(c.clientId(), gateway));
            Binding b = server.binding(c.stableAddress());
            assertThat(b.packetsIn()).isEqualTo(2);
            assertThat(b.packetsOut()).isEqualTo(2);
            assertThat(b.moves()).isEqualTo(c == switching ? 1 : 0);
        }
        assertThat(clientToServer(clients.get(0), 3)).isNull();
        // a client cannot pass for another: client 1's V with client 2's S inside
        byte[] spoof = TestPackets.ipip(Clients.careOf(1, 1), Clients.R, 0, TestPackets.icmpEcho(Clients.stable(2), Clients.SERVER, 1, 1, 8));
        ByteBuf buf = buffers.fromTun(spoof);
        try {
            assertThat(server.fromClient(buf)).isEqualTo(RelayDropReason.WRONG_CARE_OF);
        } finally {
            buf.release();
        }
    }
}
