package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The open-addressing map behaves like a HashMap under random operations, including the key patterns of address ranges. */
class IntMapTest {
    @Test
    void randomOperationsMatchAHashMap() {
        for (int pattern = 0; pattern < 4; pattern++) {
            Random random = new Random(pattern);
            IntMap<Integer> map = new IntMap<>(4);
            Map<Integer, Integer> model = new HashMap<>();
            for (int op = 0; op < 200_000; op++) {
                int key = key(pattern, random.nextInt(5_000));
                int value = random.nextInt();
                switch (random.nextInt(3)) {
                    case 0 -> assertThat(map.put(key, value)).isEqualTo(model.put(key, value));
                    case 1 -> assertThat(map.remove(key)).isEqualTo(model.remove(key));
                    default -> assertThat(map.get(key)).isEqualTo(model.get(key));
                }
                assertThat(map.size()).isEqualTo(model.size());
            }
            for (Map.Entry<Integer, Integer> e : model.entrySet()) {
                assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
            }
            List<Integer> values = new ArrayList<>();
            map.forEachValue(values::add);
            assertThat(values).containsExactlyInAnyOrderElementsOf(model.values());
        }
    }

    /** Consecutive addresses, addresses that differ only in high bits, a stride of 256, random. */
    private static int key(int pattern, int n) {
        return switch (pattern) {
            case 0 -> 0x0A010000 + n;
            case 1 -> n << 20;
            case 2 -> 0x0A000001 + (n << 8);
            default -> Integer.reverse(n) ^ 0x5A5A5A5A;
        };
    }

    @Test
    void staysAtMostHalfFullAndGrows() {
        IntMap<String> map = new IntMap<>(0);
        assertThat(map.capacity()).isEqualTo(16);
        for (int i = 0; i < 1000; i++) {
            map.put(i, "v" + i);
            assertThat(map.size()).isLessThanOrEqualTo(map.capacity() / 2);
        }
        assertThat(map.capacity()).isEqualTo(2048);
        IntMap<String> presized = new IntMap<>(1000);
        for (int i = 0; i < 1000; i++) {
            presized.put(i, "v");
        }
        assertThat(presized.capacity()).as("no growth when sized").isEqualTo(2048);
    }

    @Test
    void keyZeroAndNegativeKeysAreOrdinaryKeys() {
        IntMap<String> map = new IntMap<>(4);
        map.put(0, "zero");
        map.put(-1, "all ones");
        map.put(Integer.MIN_VALUE, "min");
        assertThat(map.get(0)).isEqualTo("zero");
        assertThat(map.get(-1)).isEqualTo("all ones");
        assertThat(map.get(Integer.MIN_VALUE)).isEqualTo("min");
        assertThat(map.remove(0)).isEqualTo("zero");
        assertThat(map.get(0)).isNull();
        assertThat(map.size()).isEqualTo(2);
    }

    @Test
    void refusesNullValues() {
        assertThatThrownBy(() -> new IntMap<String>(4).put(1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void removingFromTheMiddleOfLongRunsKeepsEveryOtherKeyFindable() {
        IntMap<Integer> map = new IntMap<>(16);
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            map.put(i << 16, i); // low 16 bits all zero
        }
        for (int i = 0; i < n; i += 3) {
            assertThat(map.remove(i << 16)).isEqualTo(i);
        }
        for (int i = 0; i < n; i++) {
            assertThat(map.get(i << 16)).isEqualTo(i % 3 == 0 ? null : i);
        }
    }
}
