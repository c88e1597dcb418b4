package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The binding table: by S and by client, moves and refreshes, one binding per client, expiry, and a million bindings. */
class BindingTableTest {
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    static final int S1 = TestPackets.address("10.1.0.1");
    static final int S2 = TestPackets.address("10.1.0.2");
    static final int V1 = TestPackets.address("10.2.0.1");
    static final int V2 = TestPackets.address("10.3.0.1");

    final long now = 5_000 * SECOND;

    @Test
    void bindsAndFindsByStableAddressAndByClient() {
        BindingTable table = new BindingTable();
        Binding b = table.bind(1, S1, V1, 100, 300, now);
        assertThat(table.get(S1)).isSameAs(b);
        assertThat(table.byClient(1)).isSameAs(b);
        assertThat(table.get(S2)).isNull();
        assertThat(table.byClient(2)).isNull();
        assertThat(table.size()).isEqualTo(1);
        assertThat(b.clientId()).isEqualTo(1);
        assertThat(b.stableAddress()).isEqualTo(S1);
        assertThat(b.careOfAddress()).isEqualTo(V1);
        assertThat(b.sequence()).isEqualTo(100);
        assertThat(b.lifetimeSeconds()).isEqualTo(300);
        assertThat(b.createdNanos()).isEqualTo(now);
        assertThat(b.updatedNanos()).isEqualTo(now);
        assertThat(b.expiresAtNanos()).isEqualTo(now + 300 * SECOND);
        assertThat(b.moves()).isZero();
        assertThat(b).hasToString("10.1.0.1 -> 10.2.0.1 (client 1, seq 100, in 0, out 0)");
    }

    @Test
    void movingKeepsTheBindingAndItsCountersAndCountsTheMove() {
        BindingTable table = new BindingTable();
        Binding b = table.bind(1, S1, V1, 100, 300, now);
        b.countIn();
        b.countOut();
        b.countOut();
        Binding moved = table.bind(1, S1, V2, 101, 60, now + 10 * SECOND);
        assertThat(moved).isSameAs(b);
        assertThat(moved.careOfAddress()).isEqualTo(V2);
        assertThat(moved.sequence()).isEqualTo(101);
        assertThat(moved.moves()).isEqualTo(1);
        assertThat(moved.packetsIn()).isEqualTo(1);
        assertThat(moved.packetsOut()).isEqualTo(2);
        assertThat(moved.createdNanos()).isEqualTo(now);
        assertThat(moved.updatedNanos()).isEqualTo(now + 10 * SECOND);
        assertThat(moved.expiresAtNanos()).isEqualTo(now + 70 * SECOND);

        table.bind(1, S1, V2, 102, 300, now + 20 * SECOND);
        assertThat(moved.moves()).as("a refresh to the same V is no move").isEqualTo(1);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void aClientHoldsOneBindingAndSCannotBeTakenFromItsOwner() {
        BindingTable table = new BindingTable();
        table.bind(1, S1, V1, 1, 300, now);
        table.bind(1, S2, V1, 2, 300, now);
        assertThat(table.get(S1)).as("the old S was released").isNull();
        assertThat(table.get(S2).clientId()).isEqualTo(1);
        assertThat(table.size()).isEqualTo(1);
        assertThatThrownBy(() -> table.bind(2, S2, V2, 1, 300, now)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("10.1.0.2 is bound to client 1");
        assertThat(table.get(S2).careOfAddress()).isEqualTo(V1);
    }

    @Test
    void removes() {
        BindingTable table = new BindingTable();
        Binding b = table.bind(1, S1, V1, 1, 300, now);
        assertThat(table.remove(S2)).isNull();
        assertThat(table.remove(S1)).isSameAs(b);
        assertThat(table.get(S1)).isNull();
        assertThat(table.byClient(1)).isNull();
        assertThat(table.size()).isZero();
    }

    @Test
    void expiresExactlyAtTheEndOfTheLifetime() {
        BindingTable table = new BindingTable();
        table.bind(1, S1, V1, 1, 10, now);
        table.bind(2, S2, V2, 1, 20, now);
        assertThat(table.expire(now + 10 * SECOND - 1)).isZero();
        assertThat(table.get(S1).isExpired(now + 10 * SECOND - 1)).isFalse();
        assertThat(table.expire(now + 10 * SECOND)).isEqualTo(1);
        assertThat(table.get(S1)).isNull();
        assertThat(table.byClient(1)).isNull();
        assertThat(table.get(S2)).isNotNull();
        assertThat(table.expire(now + 100 * SECOND)).isEqualTo(1);
        assertThat(table.size()).isZero();
    }

    @Test
    void expiryWorksAcrossTheNanoTimeWrap() {
        BindingTable table = new BindingTable();
        long beforeWrap = Long.MAX_VALUE - SECOND;
        table.bind(1, S1, V1, 1, 10, beforeWrap);
        assertThat(table.expire(beforeWrap + 5 * SECOND)).isZero();
        assertThat(table.expire(beforeWrap + 10 * SECOND)).isEqualTo(1);
    }

    @Test
    void aMillionBindingsInsertFindMoveAndExpire() {
        int n = 1_000_000;
        int base = TestPackets.address("10.0.0.0");
        BindingTable table = new BindingTable(16); // grows on the way
        for (int i = 0; i < n; i++) {
            table.bind(i, base + i, 0x0B000000 + i, i, i % 2 == 0 ? 60 : 600, now);
        }
        assertThat(table.size()).isEqualTo(n);
        Random random = new Random(1);
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(n);
            Binding b = table.get(base + k);
            assertThat(b.careOfAddress()).isEqualTo(0x0B000000 + k);
            assertThat(table.byClient(k)).isSameAs(b);
        }
        for (int i = 0; i < 100_000; i++) {
            assertThat(table.get(TestPackets.address("10.32.0.0") + i)).as("absent S in a crowded table").isNull();
        }
        for (int i = 0; i < n; i += 1000) {
            table.bind(i, base + i, 0x0C000000 + i, i + 1L, 600, now);
        }
        assertThat(table.get(base + 5000).careOfAddress()).isEqualTo(0x0C000000 + 5000);
        int expired = table.expire(now + 61 * SECOND);
        assertThat(expired).isEqualTo(n / 2 - n / 1000); // the even ones, less the refreshed ones (all even)
        assertThat(table.size()).isEqualTo(n - expired);
        assertThat(table.get(base + 2)).isNull();
        assertThat(table.get(base + 3)).isNotNull();
        assertThat(table.get(base + 2000)).isNotNull();
        assertThat(table.bindings()).hasSize(n - expired);
    }
}
