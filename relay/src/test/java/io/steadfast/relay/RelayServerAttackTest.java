package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The attacks on the relay: each is refused and counted under its reason, leaves every binding (V,
 * sequence, lifetime, counters) exactly as it was, and costs the other clients nothing. Ten clients are
 * bound at gateway 1 with some traffic before each attack.
 */
class RelayServerAttackTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    final FakeClock clock = new FakeClock();
    final RelayServer server = Clients.server(clock);
    static final int VICTIM = 1;
    static final int ATTACKER = 2;
    static final int OUTSIDER = TestPackets.address("10.66.0.6");

    List<BindingSnapshot> before;
    Map<String, Long> countersBefore;

    @BeforeEach
    void tenClientsAreBoundAndBusy() {
        for (int i = 1; i <= Clients.COUNT; i++) {
            assertThat(Clients.send(server, Clients.update(i, 1000 + i, Clients.careOf(i, 1)), Clients.careOf(i, 1), clock.now()).accepted()).isTrue();
        }
        for (int i = 1; i <= Clients.COUNT; i++) {
            for (int p = 0; p < i; p++) {
                assertThat(fromClient(Clients.ipip(Clients.careOf(i, 1), Clients.stable(i), p))).isNull();
                assertThat(server.careOfFor(Clients.stable(i))).isEqualTo(Clients.careOf(i, 1));
            }
        }
        clock.advanceSeconds(1); // every token bucket is full again
        before = server.snapshot();
        countersBefore = server.counters();
    }

    /** Asserts the bindings are as before and only {@code reason}'s counter moved, by {@code count}. */
    private void assertUnchangedExcept(RelayDropReason reason, long count) {
        assertThat(server.snapshot()).isEqualTo(before);
        Map<String, Long> after = server.counters();
        assertThat(after.get(reason.counterName()) - countersBefore.get(reason.counterName())).isEqualTo(count);
        for (RelayDropReason other : RelayDropReason.values()) {
            if (other != reason) {
                assertThat(after.get(other.counterName())).as(other.counterName()).isEqualTo(countersBefore.get(other.counterName()));
            }
        }
        assertThat(after.get("updates.accepted")).isEqualTo(countersBefore.get("updates.accepted"));
        assertThat(after.get("packets.from-clients")).isEqualTo(countersBefore.get("packets.from-clients"));
    }

    @Test
    void aForgedMacIsRefusedUnanswered() {
        byte[] forged = Clients.update(VICTIM, 5000, OUTSIDER);
        forged[40] ^= 0x01;
        UpdateResult result = Clients.send(server, forged, OUTSIDER, clock.now());
        assertThat(result.reason()).isEqualTo(RelayDropReason.BAD_MAC);
        assertThat(result.ack()).isNull();
        assertUnchangedExcept(RelayDropReason.BAD_MAC, 1);
    }

    @Test
    void anUpdateSignedWithAnotherClientsKeyIsBadMac() {
        byte[] withAttackersKey = new BindingCodec().encodeUpdate(Clients.key(ATTACKER), VICTIM, 5000, Clients.stable(VICTIM),
                Clients.careOf(ATTACKER, 1), 300);
        UpdateResult result = Clients.send(server, withAttackersKey, Clients.careOf(ATTACKER, 1), clock.now());
        assertThat(result.reason()).isEqualTo(RelayDropReason.BAD_MAC);
        assertThat(result.ack()).isNull();
        assertUnchangedExcept(RelayDropReason.BAD_MAC, 1);
    }

    @Test
    void aReplayedUpdateChangesNothing() {
        // the victim moves to gateway 2; the attacker replays the victim's earlier update from the old V
        int v2 = Clients.careOf(VICTIM, 2);
        byte[] old = Clients.update(VICTIM, 1000 + VICTIM, Clients.careOf(VICTIM, 1));
        assertThat(Clients.send(server, Clients.update(VICTIM, 2000, v2), v2, clock.now()).accepted()).isTrue();
        before = server.snapshot();
        countersBefore = server.counters();

        UpdateResult result = Clients.send(server, old, Clients.careOf(VICTIM, 1), clock.now());
        assertThat(result.reason()).isEqualTo(RelayDropReason.REPLAYED_UPDATE);
        assertThat(Clients.ack(VICTIM, result.ack()).status()).as("authentic: answered with the current state").isEqualTo(AckStatus.STALE_SEQUENCE);
        assertThat(Clients.ack(VICTIM, result.ack()).careOfAddress()).isEqualTo(v2);
        assertThat(server.careOfFor(Clients.stable(VICTIM))).isEqualTo(v2);
        before = withOneMorePacketOut(before, VICTIM);
        assertUnchangedExcept(RelayDropReason.REPLAYED_UPDATE, 1);
    }

    @Test
    void anUpdateFromAnotherSourceThanItsVIsRefusedUnanswered() {
        byte[] genuine = Clients.update(VICTIM, 5000, Clients.careOf(VICTIM, 2));
        UpdateResult result = Clients.send(server, genuine, OUTSIDER, clock.now());
        assertThat(result.reason()).isEqualTo(RelayDropReason.CARE_OF_MISMATCH);
        assertThat(result.ack()).as("never answer an address the message does not name").isNull();
        assertUnchangedExcept(RelayDropReason.CARE_OF_MISMATCH, 1);
        assertThat(Clients.send(server, genuine, Clients.careOf(VICTIM, 2), clock.now()).accepted()).as("sequence not burnt").isTrue();
    }

    @Test
    void anUpdateClaimingAnotherClientsSIsRefused() {
        int attackerV = Clients.careOf(ATTACKER, 1);
        byte[] claim = new BindingCodec().encodeUpdate(Clients.key(ATTACKER), ATTACKER, 5000, Clients.stable(VICTIM), attackerV, 300);
        UpdateResult result = Clients.send(server, claim, attackerV, clock.now());
        assertThat(result.reason()).isEqualTo(RelayDropReason.STABLE_ADDRESS_NOT_ALLOWED);
        BindingMessage refusal = Clients.ack(ATTACKER, result.ack());
        assertThat(refusal.status()).isEqualTo(AckStatus.STABLE_ADDRESS_NOT_ALLOWED);
        assertThat(refusal.lifetimeSeconds()).isZero();
        assertUnchangedExcept(RelayDropReason.STABLE_ADDRESS_NOT_ALLOWED, 1);
        assertThat(server.binding(Clients.stable(VICTIM)).clientId()).isEqualTo(VICTIM);
    }

    @Test
    void aSOutsideTheServedPrefixesIsRefusedEvenIfConfigured() {
        int outside = TestPackets.address("192.168.1.1");
        RelayClientConfig stray = new RelayClientConfig(77, outside, Clients.key(77));
        RelayServer strict = new RelayServer(Clients.R, List.of(Clients.SERVED), ClientKeys.of(List.of(stray)), clock);
        byte[] update = new BindingCodec().encodeUpdate(Clients.key(77), 77, 1, outside, OUTSIDER, 300);
        assertThat(Clients.send(strict, update, OUTSIDER, clock.now()).reason()).isEqualTo(RelayDropReason.STABLE_ADDRESS_NOT_ALLOWED);
        assertThat(strict.bindingCount()).isZero();
    }

    @Test
    void anUnknownClientCostsNoMac() {
        long macs = server.macComputations();
        byte[] update = new BindingCodec().encodeUpdate(Clients.key(99), 99, 1, Clients.stable(VICTIM), OUTSIDER, 300);
        UpdateResult result = Clients.send(server, update, OUTSIDER, clock.now());
        assertThat(result.reason()).isEqualTo(RelayDropReason.UNKNOWN_CLIENT);
        assertThat(result.ack()).isNull();
        assertThat(server.macComputations()).isEqualTo(macs);
        assertUnchangedExcept(RelayDropReason.UNKNOWN_CLIENT, 1);
    }

    @Test
    void ipInIpFromAnUnregisteredInnerSourceIsSpoofed() {
        assertThat(fromClient(Clients.ipip(OUTSIDER, OUTSIDER, 1))).isEqualTo(RelayDropReason.SPOOFED_INNER_SOURCE);
        assertThat(fromClient(Clients.ipip(OUTSIDER, TestPackets.address("10.1.0.200"), 1))).as("served but unbound")
                .isEqualTo(RelayDropReason.SPOOFED_INNER_SOURCE);
        assertUnchangedExcept(RelayDropReason.SPOOFED_INNER_SOURCE, 2);
    }

    @Test
    void ipInIpWithABoundSButAnotherOuterSourceIsWrongCareOf() {
        assertThat(fromClient(Clients.ipip(Clients.careOf(ATTACKER, 1), Clients.stable(VICTIM), 1))).isEqualTo(RelayDropReason.WRONG_CARE_OF);
        assertThat(fromClient(Clients.ipip(OUTSIDER, Clients.stable(VICTIM), 2))).isEqualTo(RelayDropReason.WRONG_CARE_OF);
        assertThat(fromClient(Clients.ipip(Clients.careOf(VICTIM, 2), Clients.stable(VICTIM), 3))).as("V the relay was not told of")
                .isEqualTo(RelayDropReason.WRONG_CARE_OF);
        assertUnchangedExcept(RelayDropReason.WRONG_CARE_OF, 3);
    }

    @Test
    void ipInIpToAnotherAddressThanTheRelayIsRefused() {
        byte[] elsewhere = TestPackets.ipip(Clients.careOf(VICTIM, 1), TestPackets.address("10.0.0.2"), 1,
                TestPackets.icmpEcho(Clients.stable(VICTIM), Clients.SERVER, 1, 1, 8));
        assertThat(fromClient(elsewhere)).isEqualTo(RelayDropReason.WRONG_ADDRESS);
        assertUnchangedExcept(RelayDropReason.WRONG_ADDRESS, 1);
    }

    @Test
    void malformedPacketsFromABoundClientAreRefused() {
        int v = Clients.careOf(VICTIM, 1);
        byte[] inner = TestPackets.icmpEcho(Clients.stable(VICTIM), Clients.SERVER, 1, 1, 8);
        byte[] truncatedInner = TestPackets.ipv4(v, Clients.R, Relay.PROTOCOL_IPIP, java.util.Arrays.copyOf(inner, inner.length - 3));
        assertThat(fromClient(truncatedInner)).isEqualTo(RelayDropReason.BAD_INNER);
        byte[] shortInner = TestPackets.ipv4(v, Clients.R, Relay.PROTOCOL_IPIP, java.util.Arrays.copyOf(inner, 12));
        assertThat(fromClient(shortInner)).isEqualTo(RelayDropReason.BAD_INNER);
        byte[] whole = Clients.ipip(v, Clients.stable(VICTIM), 1);
        assertThat(fromClient(java.util.Arrays.copyOf(whole, whole.length - 1))).isEqualTo(RelayDropReason.TRUNCATED);
        byte[] udp = TestPackets.udp(v, Clients.R, 1, 2, new byte[10]);
        assertThat(fromClient(udp)).isEqualTo(RelayDropReason.NOT_IPIP);
        assertThat(server.dropped(RelayDropReason.BAD_INNER)).isEqualTo(2);
        assertThat(server.dropped(RelayDropReason.TRUNCATED)).isEqualTo(1);
        assertThat(server.dropped(RelayDropReason.NOT_IPIP)).isEqualTo(1);
        assertThat(server.snapshot()).isEqualTo(before);
    }

    @Test
    void aFloodOfForgedUpdatesIsBoundedByTheRateLimit() {
        long macs = server.macComputations();
        int flood = 100_000;
        int rejected = 0;
        byte[] forged = Clients.update(VICTIM, 9000, OUTSIDER);
        forged[33] ^= 1;
        for (int i = 0; i < flood; i++) {
            UpdateResult result = Clients.send(server, forged, OUTSIDER, clock.now() + i); // 100k updates within 0.1 ms
            assertThat(result.ack()).isNull();
            rejected++;
        }
        assertThat(rejected).isEqualTo(flood);
        assertThat(server.macComputations() - macs).as("only the burst reached the MAC").isEqualTo(Relay.UPDATE_BURST);
        assertThat(server.dropped(RelayDropReason.BAD_MAC)).isEqualTo(Relay.UPDATE_BURST);
        assertThat(server.dropped(RelayDropReason.RATE_LIMITED)).isEqualTo(flood - Relay.UPDATE_BURST);
        assertThat(server.snapshot()).isEqualTo(before);

        // other clients are not limited by the victim's bucket
        int other = 5;
        assertThat(Clients.send(server, Clients.update(other, 3000, Clients.careOf(other, 2)), Clients.careOf(other, 2), clock.now()).accepted()).isTrue();
    }

    @Test
    void aSustainedFloodCostsAtMostTheRateInMacs() {
        long macs = server.macComputations();
        long start = clock.now();
        byte[] forged = Clients.update(VICTIM, 9000, OUTSIDER);
        forged[47] ^= 1;
        for (int ms = 0; ms < 10_000; ms++) { // ten seconds, ten forged updates every millisecond
            for (int k = 0; k < 10; k++) {
                Clients.send(server, forged, OUTSIDER, start + ms * 1_000_000L);
            }
        }
        long verified = server.macComputations() - macs;
        assertThat(verified).isBetween(Relay.UPDATE_BURST + 10L * Relay.UPDATES_PER_SECOND - 2, Relay.UPDATE_BURST + 10L * Relay.UPDATES_PER_SECOND + 1);
        assertThat(server.snapshot()).isEqualTo(before);
    }

    @Test
    void aFloodOfUnknownIdsOrGarbageCostsNoMacAtAll() {
        byte[] unknown = new BindingCodec().encodeUpdate(Clients.key(1), 1000, 1, Clients.stable(1), OUTSIDER, 300);
        long macs = server.macComputations();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 25_000; i++) {
            assertThat(Clients.send(server, unknown, OUTSIDER, clock.now()).reason()).isEqualTo(RelayDropReason.UNKNOWN_CLIENT);
            byte[] garbage = TestPackets.random(random.nextInt(100), i);
            assertThat(Clients.send(server, garbage, OUTSIDER, clock.now()).reason()).isIn(RelayDropReason.MALFORMED_UPDATE,
                    RelayDropReason.UNKNOWN_CLIENT);
        }
        assertThat(server.macComputations()).isEqualTo(macs);
        assertThat(server.snapshot()).isEqualTo(before);
    }

    @Test
    void theVictimCanUpdateOnceTheFloodStops() {
        byte[] forged = Clients.update(VICTIM, 9000, OUTSIDER);
        forged[40] ^= 1;
        for (int i = 0; i < 1000; i++) {
            Clients.send(server, forged, OUTSIDER, clock.now());
        }
        int v2 = Clients.careOf(VICTIM, 2);
        assertThat(Clients.send(server, Clients.update(VICTIM, 5000, v2), v2, clock.now()).reason()).isEqualTo(RelayDropReason.RATE_LIMITED);
        clock.advanceMillis(20); // one token
        assertThat(Clients.send(server, Clients.update(VICTIM, 5000, v2), v2, clock.now()).accepted()).isTrue();
        assertThat(server.careOfFor(Clients.stable(VICTIM))).isEqualTo(v2);
    }

    private static List<BindingSnapshot> withOneMorePacketOut(List<BindingSnapshot> snapshots, int client) {
        return snapshots.stream().map(s -> s.clientId() != client ? s : new BindingSnapshot(s.clientId(), s.stableAddress(),
                s.careOfAddress(), s.sequence(), s.ageNanos(), s.sinceUpdateNanos(), s.expiresInNanos(), s.moves(), s.packetsIn(),
                s.packetsOut() + 1)).toList();
    }

    private RelayDropReason fromClient(byte[] packet) {
        ByteBuf buf = buffers.fromTun(packet);
        try {
            byte[] whole = Hex.whole(buf);
            RelayDropReason reason = server.fromClient(buf);
            if (reason != null) {
                assertThat(Hex.whole(buf)).as("a refused packet is left untouched").isEqualTo(whole);
                assertThat(buf.readerIndex()).isEqualTo(TestPackets.TUN_ROOM);
            }
            return reason;
        } finally {
            buf.release();
        }
    }
}
