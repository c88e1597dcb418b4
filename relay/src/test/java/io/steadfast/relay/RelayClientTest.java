package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client's update schedule and ack handling, driven by a fake clock; the relay is played by hand. */
class RelayClientTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long EPOCH_MILLIS = 1_718_000_000_000L;
    static final int C = 4;
    static final int S = Clients.stable(C);
    static final int V1 = Clients.careOf(C, 1);
    static final int V2 = Clients.careOf(C, 2);

    final FakeClock clock = new FakeClock();
    final RelayClient client = new RelayClient(C, Clients.key(C), S, Clients.R, 300, EPOCH_MILLIS, clock);
    final BindingCodec relay = new BindingCodec();

    @Test
    void nothingIsDueBeforeTheFirstTunnel() {
        assertThat(client.pollUpdate(clock.now())).isNull();
        assertThat(client.nextDeadline()).isEqualTo(RelayClient.NO_DEADLINE);
        assertThat(client.careOf()).isZero();
        assertThat(client.isBound()).isFalse();
        assertThat(client.hasOutstanding()).isFalse();
        assertThat(client.outstandingSequence()).isZero();
    }

    @Test
    void theFirstUpdateIsDueAtOnceAndIsAValidPacket() {
        client.tunnelChanged(V1);
        assertThat(client.nextDeadline()).isEqualTo(clock.now());
        UpdateToSend update = client.pollUpdate(clock.now());
        assertThat(update.attempt()).isZero();
        assertThat(update.isRetransmission()).isFalse();
        assertThat(update.sequence()).isEqualTo(EPOCH_MILLIS << 16);
        assertThat(update.careOfAddress()).isEqualTo(V1);
        byte[] packet = update.packet();
        assertThat(packet).hasSize(Relay.MESSAGE_PACKET_LENGTH);
        assertThat(TestPackets.checksum(packet, 0, 20)).isZero();
        assertThat(TestPackets.udpChecksum(V1, Clients.R, Arrays.copyOfRange(packet, 20, packet.length))).isZero();
        assertThat(packet).isEqualTo(TestPackets.udp(V1, Clients.R, Relay.DEFAULT_PORT, Relay.DEFAULT_PORT, payload(update)));
        BindingMessage m = parse(payload(update));
        assertThat(m).isEqualTo(new BindingMessage(BindingMessage.Type.UPDATE, C, EPOCH_MILLIS << 16, S, V1, 300, null));
        assertThat(client.careOf()).isEqualTo(V1);
        assertThat(client.outstandingSequence()).isEqualTo(EPOCH_MILLIS << 16);
        assertThat(client.outstandingAttempts()).isEqualTo(1);
        assertThat(client.pollUpdate(clock.now())).as("sent; the next is a retransmission later").isNull();
    }

    @Test
    void retransmitsWithDoublingIntervalsCappedAtFiveSeconds() {
        client.tunnelChanged(V1);
        long start = clock.now();
        long[] expectedMillis = {0, 100, 300, 700, 1500, 3100, 6300, 11300, 16300, 21300};
        List<Long> sentAt = new ArrayList<>();
        byte[] first = null;
        for (long t = start; t <= start + 22_000 * MS; t += MS) {
            UpdateToSend update = client.pollUpdate(t);
            if (update != null) {
                assertThat(update.attempt()).isEqualTo(sentAt.size());
                if (first == null) {
                    first = update.packet();
                }
                assertThat(update.packet()).as("the same update every time").isEqualTo(first);
                sentAt.add((t - start) / MS);
                assertThat(client.nextDeadline()).isGreaterThan(t);
            }
        }
        assertThat(sentAt).containsExactly(Arrays.stream(expectedMillis).boxed().toArray(Long[]::new));
        assertThat(client.retransmits()).isEqualTo(9);
        assertThat(client.updatesSent()).isEqualTo(10);
    }

    @Test
    void aLatePollShiftsTheScheduleButSendsOnce() {
        client.tunnelChanged(V1);
        client.pollUpdate(clock.now());
        clock.advanceMillis(1000); // the timer fired late
        assertThat(client.pollUpdate(clock.now()).attempt()).isEqualTo(1);
        assertThat(client.pollUpdate(clock.now())).isNull();
        assertThat(client.nextDeadline()).isEqualTo(clock.now() + 200 * MS);
    }

    @Test
    void aValidAckStopsRetransmissionAndSchedulesTheRefresh() {
        client.tunnelChanged(V1);
        long firstSent = clock.now();
        UpdateToSend update = client.pollUpdate(clock.now());
        clock.advanceMillis(100);
        client.pollUpdate(clock.now());
        clock.advanceMillis(30);
        assertThat(handleAck(accepted(update.sequence(), V1, 300))).isTrue();
        assertThat(client.isBound()).isTrue();
        assertThat(client.hasOutstanding()).isFalse();
        assertThat(client.acknowledgedCareOf()).isEqualTo(V1);
        assertThat(client.acknowledgedSequence()).isEqualTo(update.sequence());
        assertThat(client.grantedLifetimeSeconds()).isEqualTo(300);
        assertThat(client.acksAccepted()).isEqualTo(1);
        assertThat(client.lastAckDrop()).isNull();
        assertThat(client.nextDeadline()).as("2/3 of 300 s after the first send").isEqualTo(firstSent + TimeUnit.SECONDS.toNanos(200));
        for (long t = clock.now(); t < firstSent + TimeUnit.SECONDS.toNanos(200); t += 50 * MS) {
            assertThat(client.pollUpdate(t)).isNull();
        }
        assertThat(handleAck(accepted(update.sequence(), V1, 300))).as("a duplicate ack").isFalse();
        assertThat(client.lastAckDrop()).isEqualTo(RelayDropReason.REPLAYED_UPDATE);
    }

    @Test
    void forgedOldAndMismatchedAcksAreIgnored() {
        client.tunnelChanged(V1);
        UpdateToSend update = client.pollUpdate(clock.now());
        long seq = update.sequence();

        byte[] forged = accepted(seq, V1, 300);
        forged[45] ^= 1;
        assertIgnored(forged, RelayDropReason.BAD_MAC);
        assertIgnored(new BindingCodec().encodeAck(Clients.key(C + 1), C, seq, S, V1, 300, AckStatus.ACCEPTED), RelayDropReason.BAD_MAC);
        assertIgnored(accepted(seq - 1, V1, 300), RelayDropReason.REPLAYED_UPDATE);
        assertIgnored(accepted(seq + 1, V1, 300), RelayDropReason.REPLAYED_UPDATE);
        assertIgnored(accepted(seq, V2, 300), RelayDropReason.REPLAYED_UPDATE);
        assertIgnored(relay.encodeAck(Clients.key(C), C, seq, Clients.stable(C + 1), V1, 300, AckStatus.ACCEPTED), RelayDropReason.REPLAYED_UPDATE);
        assertIgnored(relay.encodeAck(Clients.key(C), C + 1, seq, S, V1, 300, AckStatus.ACCEPTED), RelayDropReason.UNKNOWN_CLIENT);
        assertIgnored(relay.encodeUpdate(Clients.key(C), C, seq, S, V1, 300), RelayDropReason.MALFORMED_UPDATE);
        assertIgnored(relay.encodeAck(Clients.key(C), C, seq - 5, S, V1, 0, AckStatus.STALE_SEQUENCE), RelayDropReason.REPLAYED_UPDATE);
        assertIgnored(relay.encodeAck(Clients.key(C), C, seq - 1, S, V1, 0, AckStatus.STABLE_ADDRESS_NOT_ALLOWED), RelayDropReason.REPLAYED_UPDATE);
        assertIgnored(new byte[48], RelayDropReason.MALFORMED_UPDATE);
        assertIgnored(new byte[0], RelayDropReason.MALFORMED_UPDATE);

        assertThat(client.hasOutstanding()).isTrue();
        assertThat(client.outstandingSequence()).isEqualTo(seq);
        assertThat(client.lastRefusal()).isNull();
        assertThat(handleAck(accepted(seq, V1, 300))).as("the genuine ack still works").isTrue();
    }

    @Test
    void refreshesAtTwoThirdsOfTheGrantedLifetimeWithTheNextSequence() {
        client.tunnelChanged(V1);
        long firstSent = clock.now();
        UpdateToSend first = client.pollUpdate(clock.now());
        assertThat(handleAck(accepted(first.sequence(), V1, 90))).as("granted less than asked").isTrue();
        long refreshAt = firstSent + TimeUnit.SECONDS.toNanos(60);
        assertThat(client.nextDeadline()).isEqualTo(refreshAt);
        assertThat(client.pollUpdate(refreshAt - 1)).isNull();
        UpdateToSend refresh = client.pollUpdate(refreshAt);
        assertThat(refresh.attempt()).isZero();
        assertThat(refresh.sequence()).isEqualTo(first.sequence() + 1);
        assertThat(refresh.careOfAddress()).isEqualTo(V1);
        assertThat(parse(payload(refresh)).lifetimeSeconds()).as("asks again for its own lifetime").isEqualTo(300);
        assertThat(client.isBound()).as("still bound while the refresh is out").isTrue();
        assertThat(client.nextDeadline()).isEqualTo(refreshAt + 100 * MS);
        assertThat(client.pollUpdate(refreshAt + 100 * MS).attempt()).isEqualTo(1);
        assertThat(handleAck(accepted(refresh.sequence(), V1, 90))).isTrue();
        assertThat(client.nextDeadline()).isEqualTo(refreshAt + TimeUnit.SECONDS.toNanos(60));
    }

    @Test
    void aTunnelChangeMidRetransmissionSupersedesTheOldUpdate() {
        client.tunnelChanged(V1);
        UpdateToSend old = client.pollUpdate(clock.now());
        clock.advanceMillis(100);
        client.pollUpdate(clock.now());
        clock.advanceMillis(150);
        client.tunnelChanged(V2);
        assertThat(client.careOf()).isEqualTo(V2);
        assertThat(client.nextDeadline()).as("due at once").isEqualTo(clock.now());
        UpdateToSend fresh = client.pollUpdate(clock.now());
        assertThat(fresh.sequence()).isGreaterThan(old.sequence());
        assertThat(fresh.careOfAddress()).isEqualTo(V2);
        assertThat(fresh.attempt()).isZero();
        assertThat(client.nextDeadline()).as("the backoff starts over").isEqualTo(clock.now() + 100 * MS);
        assertIgnored(accepted(old.sequence(), V1, 300), RelayDropReason.REPLAYED_UPDATE);
        assertThat(client.hasOutstanding()).isTrue();
        assertThat(handleAck(accepted(fresh.sequence(), V2, 300))).isTrue();
        assertThat(client.acknowledgedCareOf()).isEqualTo(V2);
    }

    @Test
    void aStaleAckMovesTheSequenceAboveTheRelays() {
        client.tunnelChanged(V1);
        UpdateToSend update = client.pollUpdate(clock.now());
        long relaysLast = update.sequence() + 1_000_000;
        assertThat(handleAck(relay.encodeAck(Clients.key(C), C, relaysLast, S, V2, 120, AckStatus.STALE_SEQUENCE))).isFalse();
        assertThat(client.lastAckDrop()).isNull();
        assertThat(client.outstandingSequence()).isEqualTo(relaysLast + 1);
        UpdateToSend resent = client.pollUpdate(clock.now());
        assertThat(resent.sequence()).isEqualTo(relaysLast + 1);
        assertThat(resent.careOfAddress()).isEqualTo(V1);
        assertThat(resent.attempt()).isZero();
        assertThat(client.nextSequence()).isEqualTo(relaysLast + 2);
    }

    @Test
    void aStaleAckAtTheOutstandingSequenceAlsoResyncs() {
        client.tunnelChanged(V1);
        UpdateToSend update = client.pollUpdate(clock.now());
        assertThat(handleAck(relay.encodeAck(Clients.key(C), C, update.sequence(), S, 0, 0, AckStatus.STALE_SEQUENCE))).isFalse();
        assertThat(client.outstandingSequence()).isEqualTo(update.sequence() + 1);
    }

    @Test
    void aRefusalIsRecordedAndSlowsRetransmission() {
        client.tunnelChanged(V1);
        UpdateToSend update = client.pollUpdate(clock.now());
        assertThat(handleAck(relay.encodeAck(Clients.key(C), C, update.sequence(), S, V1, 0, AckStatus.STABLE_ADDRESS_NOT_ALLOWED))).isFalse();
        assertThat(client.lastRefusal()).isEqualTo(AckStatus.STABLE_ADDRESS_NOT_ALLOWED);
        assertThat(client.hasOutstanding()).isTrue();
        clock.advanceMillis(100);
        assertThat(client.pollUpdate(clock.now()).attempt()).isEqualTo(1);
        assertThat(client.nextDeadline()).isEqualTo(clock.now() + Relay.MAX_RETRANSMIT_NANOS);
        client.tunnelChanged(V2);
        assertThat(client.lastRefusal()).isNull();
    }

    @Test
    void acksArriveAsWholePacketsFromTheRelayOnly() {
        client.tunnelChanged(V1);
        UpdateToSend update = client.pollUpdate(clock.now());
        byte[] ack = accepted(update.sequence(), V1, 300);
        assertThat(handlePacket(BindingPacket.encode(TestPackets.address("10.0.0.2"), Relay.DEFAULT_PORT, V1, Relay.DEFAULT_PORT, ack))).isFalse();
        assertThat(client.lastAckDrop()).isEqualTo(RelayDropReason.WRONG_ADDRESS);
        assertThat(handlePacket(BindingPacket.encode(Clients.R, 53, V1, Relay.DEFAULT_PORT, ack))).isFalse();
        assertThat(client.lastAckDrop()).isEqualTo(RelayDropReason.WRONG_ADDRESS);
        byte[] damaged = BindingPacket.encode(Clients.R, Relay.DEFAULT_PORT, V1, Relay.DEFAULT_PORT, ack);
        damaged[30] ^= 1;
        assertThat(handlePacket(damaged)).isFalse();
        assertThat(client.lastAckDrop()).isEqualTo(RelayDropReason.BAD_CHECKSUM);
        assertThat(handlePacket(BindingPacket.encode(Clients.R, Relay.DEFAULT_PORT, V1, Relay.DEFAULT_PORT, ack))).isTrue();
    }

    @Test
    void aRestartedClientStartsAboveItsOldSequences() {
        client.tunnelChanged(V1);
        for (int i = 0; i < 60_000; i++) {
            client.tunnelChanged(i % 2 == 0 ? V1 : V2); // far more updates than any real millisecond sees
        }
        long lastOfOldLife = client.outstandingSequence();
        RelayClient restarted = new RelayClient(C, Clients.key(C), S, Clients.R, 300, EPOCH_MILLIS + 1, clock);
        restarted.tunnelChanged(V1);
        assertThat(restarted.outstandingSequence()).isGreaterThan(lastOfOldLife);
    }

    @Test
    void unwrapsPacketsFromTheRelayToS() {
        client.tunnelChanged(V1);
        byte[] reply = TestPackets.udp(Clients.SERVER, S, 53, 4000, new byte[12]);
        assertThat(fromRelay(TestPackets.ipip(Clients.R, V1, 0, reply))).isNull();
        assertThat(fromRelay(TestPackets.ipip(Clients.R, Clients.careOf(C, 7), 0, reply))).as("an older V").isNull();
        assertThat(fromRelay(TestPackets.ipip(TestPackets.address("10.0.0.2"), V1, 0, reply))).isEqualTo(RelayDropReason.WRONG_ADDRESS);
        byte[] toOtherS = TestPackets.udp(Clients.SERVER, Clients.stable(C + 1), 53, 4000, new byte[12]);
        assertThat(fromRelay(TestPackets.ipip(Clients.R, V1, 0, toOtherS))).isEqualTo(RelayDropReason.WRONG_ADDRESS);
        assertThat(fromRelay(Arrays.copyOf(TestPackets.ipip(Clients.R, V1, 0, reply), 30))).isEqualTo(RelayDropReason.TRUNCATED);
        assertThat(client.packetsFromRelay()).isEqualTo(2);
    }

    @Test
    void refusesNonsenseAtConstruction() {
        assertThatThrownBy(() -> new RelayClient(1, new byte[8], S, Clients.R, 300, EPOCH_MILLIS, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayClient(1, Clients.key(1), S, Clients.R, 0, EPOCH_MILLIS, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayClient(1, Clients.key(1), S, Clients.R, 300, 0, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayClient(1, Clients.key(1), S, Clients.R, 300, 1L << 47, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.tunnelChanged(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(client.clientId()).isEqualTo(C);
        assertThat(client.stableAddress()).isEqualTo(S);
        assertThat(client.relayAddress()).isEqualTo(Clients.R);
    }

    @Test
    void theKeyIsCopied() {
        byte[] key = Clients.key(C);
        RelayClient own = new RelayClient(C, key, S, Clients.R, 300, EPOCH_MILLIS, clock);
        Arrays.fill(key, (byte) 0);
        own.tunnelChanged(V1);
        assertThat(parse(payload(own.pollUpdate(clock.now())))).isNotNull();
    }

    private byte[] accepted(long sequence, int careOf, int lifetime) {
        return relay.encodeAck(Clients.key(C), C, sequence, S, careOf, lifetime, AckStatus.ACCEPTED);
    }

    private void assertIgnored(byte[] ack, RelayDropReason reason) {
        long outstanding = client.outstandingSequence();
        long deadline = client.nextDeadline();
        assertThat(handleAck(ack)).isFalse();
        assertThat(client.lastAckDrop()).isEqualTo(reason);
        assertThat(client.outstandingSequence()).isEqualTo(outstanding);
        assertThat(client.nextDeadline()).isEqualTo(deadline);
        assertThat(client.isBound()).isFalse();
    }

    private boolean handleAck(byte[] ack) {
        ByteBuf buf = buffers.packet(28, ack, 0);
        try {
            return client.handleAck(buf);
        } finally {
            buf.release();
        }
    }

    private boolean handlePacket(byte[] packet) {
        ByteBuf buf = buffers.fromTun(packet);
        try {
            return client.handleAckPacket(buf);
        } finally {
            buf.release();
        }
    }

    private RelayDropReason fromRelay(byte[] packet) {
        ByteBuf buf = buffers.fromTun(packet);
        try {
            return client.fromRelay(buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] payload(UpdateToSend update) {
        return Arrays.copyOfRange(update.packet(), BindingPacket.HEADER_LENGTH, update.packet().length);
    }

    /** The update re-signed as the relay would see it: parse with the client's key. */
    private static BindingMessage parse(byte[] payload) {
        ByteBuf buf = Unpooled.wrappedBuffer(payload);
        try {
            BindingCodec.Parsed parsed = new BindingCodec().parse(buf, Clients.key(C));
            assertThat(parsed.ok()).as("parsed: %s", parsed.reason()).isTrue();
            return parsed.message();
        } finally {
            buf.release();
        }
    }
}
