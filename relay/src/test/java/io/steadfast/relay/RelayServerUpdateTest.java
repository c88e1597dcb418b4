package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Binding updates that should work: create, move, refresh, lifetime cap, re-acks, and the whole-packet path. */
class RelayServerUpdateTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    final FakeClock clock = new FakeClock();
    final RelayServer server = Clients.server(clock);
    static final int C = 3;
    static final int V1 = Clients.careOf(C, 1);
    static final int V2 = Clients.careOf(C, 2);

    @Test
    void anUpdateCreatesTheBindingAndIsAcknowledged() {
        UpdateResult result = Clients.send(server, Clients.update(C, 1000, V1), V1, clock.now());
        assertThat(result.accepted()).isTrue();
        assertThat(result.reason()).isNull();
        assertThat(result.ackPacket()).isNull();
        assertThat(Clients.ack(C, result.ack()))
                .isEqualTo(new BindingMessage(BindingMessage.Type.ACK, C, 1000, Clients.stable(C), V1, 300, AckStatus.ACCEPTED));
        Binding b = server.binding(Clients.stable(C));
        assertThat(b.careOfAddress()).isEqualTo(V1);
        assertThat(b.clientId()).isEqualTo(C);
        assertThat(b.sequence()).isEqualTo(1000);
        assertThat(server.bindingOfClient(C)).isSameAs(b);
        assertThat(server.careOfFor(Clients.stable(C))).isEqualTo(V1);
        assertThat(server.updatesAccepted()).isEqualTo(1);
        assertThat(server.acksSent()).isEqualTo(1);
        assertThat(server.macComputations()).as("verify the update, sign the ack").isEqualTo(2);
    }

    @Test
    void aNewerUpdateMovesTheBindingAndKeepsItsCounters() {
        Clients.send(server, Clients.update(C, 1000, V1), V1, clock.now());
        server.careOfFor(Clients.stable(C));
        clock.advanceSeconds(5);
        UpdateResult moved = Clients.send(server, Clients.update(C, 1001, V2), V2, clock.now());
        assertThat(moved.accepted()).isTrue();
        assertThat(Clients.ack(C, moved.ack()).careOfAddress()).isEqualTo(V2);
        Binding b = server.binding(Clients.stable(C));
        assertThat(b.careOfAddress()).isEqualTo(V2);
        assertThat(b.moves()).isEqualTo(1);
        assertThat(b.packetsOut()).isEqualTo(1);
        assertThat(server.careOfFor(Clients.stable(C))).isEqualTo(V2);
    }

    @Test
    void theLifetimeIsCappedAndTheAckSaysSo() {
        byte[] longLived = new BindingCodec().encodeUpdate(Clients.key(C), C, 1, Clients.stable(C), V1, 1_000_000);
        UpdateResult result = Clients.send(server, longLived, V1, clock.now());
        assertThat(Clients.ack(C, result.ack()).lifetimeSeconds()).isEqualTo(Relay.MAX_LIFETIME_SECONDS);
        assertThat(server.binding(Clients.stable(C)).lifetimeSeconds()).isEqualTo(Relay.MAX_LIFETIME_SECONDS);
        byte[] shortLived = new BindingCodec().encodeUpdate(Clients.key(C), C, 2, Clients.stable(C), V1, 1);
        assertThat(Clients.ack(C, Clients.send(server, shortLived, V1, clock.now()).ack()).lifetimeSeconds()).isEqualTo(1);
    }

    @Test
    void aRetransmissionOfTheAcceptedUpdateGetsTheSameAckAndChangesNothing() {
        byte[] update = Clients.update(C, 1000, V1);
        UpdateResult first = Clients.send(server, update, V1, clock.now());
        long expiresAt = server.binding(Clients.stable(C)).expiresAtNanos();
        clock.advanceSeconds(2);
        UpdateResult again = Clients.send(server, update, V1, clock.now());
        assertThat(again.reason()).isEqualTo(RelayDropReason.REPLAYED_UPDATE);
        assertThat(again.ack()).as("the lost ack, byte for byte").isEqualTo(first.ack());
        assertThat(server.binding(Clients.stable(C)).expiresAtNanos()).as("not refreshed").isEqualTo(expiresAt);
        assertThat(server.updatesAccepted()).isEqualTo(1);
        assertThat(server.dropped(RelayDropReason.REPLAYED_UPDATE)).isEqualTo(1);
    }

    @Test
    void anOlderUpdateGetsAStaleAckWithTheCurrentState() {
        Clients.send(server, Clients.update(C, 1000, V1), V1, clock.now());
        Clients.send(server, Clients.update(C, 1001, V2), V2, clock.now());
        clock.advanceSeconds(100);
        UpdateResult stale = Clients.send(server, Clients.update(C, 999, V2), V2, clock.now());
        assertThat(stale.reason()).isEqualTo(RelayDropReason.REPLAYED_UPDATE);
        assertThat(Clients.ack(C, stale.ack())).isEqualTo(new BindingMessage(BindingMessage.Type.ACK, C, 1001, Clients.stable(C), V2,
                200, AckStatus.STALE_SEQUENCE));
        UpdateResult sameSequenceOtherV = Clients.send(server, Clients.update(C, 1001, V1), V1, clock.now());
        assertThat(Clients.ack(C, sameSequenceOtherV.ack()).status()).isEqualTo(AckStatus.STALE_SEQUENCE);
        assertThat(server.binding(Clients.stable(C)).careOfAddress()).isEqualTo(V2);
    }

    @Test
    void sequencesCompareUnsigned() {
        assertThat(Clients.send(server, Clients.update(C, 0x7FFF_FFFF_FFFF_FFFFL, V1), V1, clock.now()).accepted()).isTrue();
        assertThat(Clients.send(server, Clients.update(C, 0x8000_0000_0000_0000L, V2), V2, clock.now()).accepted())
                .as("2^63 is newer than 2^63-1").isTrue();
        assertThat(Clients.send(server, Clients.update(C, 5, V1), V1, clock.now()).reason()).isEqualTo(RelayDropReason.REPLAYED_UPDATE);
        assertThat(Clients.send(server, Clients.update(C, -1L, V1), V1, clock.now()).accepted()).isTrue();
    }

    @Test
    void sequenceZeroIsAValidFirstUpdate() {
        assertThat(Clients.send(server, Clients.update(C, 0, V1), V1, clock.now()).accepted()).isTrue();
        assertThat(Clients.send(server, Clients.update(C, 0, V1), V1, clock.now()).reason()).isEqualTo(RelayDropReason.REPLAYED_UPDATE);
    }

    @Test
    void theWholePacketPathAnswersWithAWholePacket() {
        byte[] packet = BindingPacket.encode(V1, 40123, Clients.R, Relay.DEFAULT_PORT, Clients.update(C, 77, V1));
        ByteBuf buf = buffers.fromTun(packet);
        try {
            assertThat(BindingPacket.isUdpTo(buf, Clients.R, Relay.DEFAULT_PORT)).isTrue();
            UpdateResult result = server.handleUpdatePacket(buf, clock.now());
            assertThat(result.accepted()).isTrue();
            byte[] ackPacket = result.ackPacket();
            assertThat(ackPacket).isEqualTo(TestPackets.udp(Clients.R, V1, Relay.DEFAULT_PORT, 40123, result.ack()));
            assertThat(Clients.ack(C, Arrays.copyOfRange(ackPacket, 28, ackPacket.length)).sequence()).isEqualTo(77);
        } finally {
            buf.release();
        }
    }

    @Test
    void theWholePacketPathRefusesPacketsNotForUs() {
        byte[] update = Clients.update(C, 77, V1);
        int elsewhere = TestPackets.address("10.0.0.2");
        assertThat(packet(BindingPacket.encode(V1, 1, elsewhere, Relay.DEFAULT_PORT, update)).reason()).isEqualTo(RelayDropReason.WRONG_ADDRESS);
        assertThat(packet(BindingPacket.encode(V1, 1, Clients.R, 4500, update)).reason()).isEqualTo(RelayDropReason.WRONG_ADDRESS);
        byte[] damaged = BindingPacket.encode(V1, 1, Clients.R, Relay.DEFAULT_PORT, update);
        damaged[50] ^= 1;
        assertThat(packet(damaged).reason()).isEqualTo(RelayDropReason.BAD_CHECKSUM);
        assertThat(packet(TestPackets.icmpEcho(V1, Clients.R, 1, 1, 48)).reason()).isEqualTo(RelayDropReason.NOT_UDP);
        assertThat(server.bindingCount()).isZero();
        assertThat(server.macComputations()).as("nothing reached the MAC").isZero();
    }

    @Test
    void anAckSentToTheRelayIsMalformedAndUnanswered() {
        byte[] ack = new BindingCodec().encodeAck(Clients.key(C), C, 5, Clients.stable(C), V1, 300, AckStatus.ACCEPTED);
        UpdateResult result = Clients.send(server, ack, V1, clock.now());
        assertThat(result.reason()).isEqualTo(RelayDropReason.MALFORMED_UPDATE);
        assertThat(result.ack()).isNull();
        assertThat(server.bindingCount()).isZero();
    }

    @Test
    void aClientKeysLookupMayBeAnyFunction() {
        RelayClientConfig only = Clients.config(C);
        RelayServer custom = new RelayServer(Clients.R, List.of(Clients.SERVED), id -> id == C ? only : null, clock);
        assertThat(Clients.send(custom, Clients.update(C, 1, V1), V1, clock.now()).accepted()).isTrue();
        assertThat(Clients.send(custom, Clients.update(4, 1, Clients.careOf(4, 1)), Clients.careOf(4, 1), clock.now()).reason())
                .isEqualTo(RelayDropReason.UNKNOWN_CLIENT);
        assertThat(custom.relayAddress()).isEqualTo(Clients.R);
        assertThat(custom.stablePrefixes()).containsExactly(Clients.SERVED);
        assertThat(custom.serves(Clients.stable(C))).isTrue();
        assertThat(custom.serves(Clients.R)).isFalse();
    }

    private UpdateResult packet(byte[] packet) {
        ByteBuf buf = buffers.fromTun(packet);
        try {
            return server.handleUpdatePacket(buf, clock.now());
        } finally {
            buf.release();
        }
    }
}
