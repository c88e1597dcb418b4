package io.steadfast.relay;

import java.util.function.Consumer;

/**
 * An int-keyed hash map with open addressing: linear probing over parallel arrays, Fibonacci hashing
 * (so that runs of consecutive addresses spread out instead of forming one long probe chain) and
 * backward-shift deletion (no tombstones). Kept at most half full. No null values; not thread-safe.
 *
 * <pre>{@code
 * IntMap<Binding> byAddress = new IntMap<>(1024);
 * byAddress.put(stable, binding);
 * Binding found = byAddress.get(stable); // null if absent
 * }</pre>
 */
final class IntMap<V> {
    private static final int GOLDEN = 0x9E3779B9;
    private static final int MIN_CAPACITY = 16;

    private int[] keys;
    private Object[] values;
    private int shift;
    private int mask;
    private int size;

    /** A map that holds {@code expectedSize} entries without growing. */
    IntMap(int expectedSize) {
        allocate(capacityFor(expectedSize));
    }

    /** Number of entries. */
    int size() {
        return size;
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    V get(int key) {
        int[] k = keys;
        Object[] v = values;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            Object value = v[i];
            if (value == null || k[i] == key) {
                return (V) value;
            }
        }
    }

    /** Maps {@code key} to {@code value} (not null); returns the previous value or null. */
    @SuppressWarnings("unchecked")
    V put(int key, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        for (int i = slot(key); ; i = (i + 1) & mask) {
            Object old = values[i];
            if (old == null) {
                keys[i] = key;
                values[i] = value;
                if (++size > (mask + 1) >>> 1) {
                    resize(capacityFor(size));
                }
                return null;
            }
            if (keys[i] == key) {
                values[i] = value;
                return (V) old;
            }
        }
    }

    /** Removes {@code key}; returns its value or null. */
    @SuppressWarnings("unchecked")
    V remove(int key) {
        int i = slot(key);
        while (values[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        Object old = values[i];
        if (old == null) {
            return null;
        }
        // Backward shift: move later entries of the run into the hole unless that would put them before their home slot.
        int hole = i;
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
        size--;
        return (V) old;
    }

    /** Calls {@code action} for every value, in slot order; the map must not change meanwhile. */
    @SuppressWarnings("unchecked")
    void forEachValue(Consumer<? super V> action) {
        for (Object value : values) {
            if (value != null) {
                action.accept((V) value);
            }
        }
    }

    /** Number of slots (a power of two). */
    int capacity() {
        return mask + 1;
    }

    private int slot(int key) {
        return (key * GOLDEN) >>> shift;
    }

    private void resize(int capacity) {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(capacity);
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                int j = slot(oldKeys[i]);
                while (values[j] != null) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
            }
        }
    }

    private void allocate(int capacity) {
        keys = new int[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
    }

    private static int capacityFor(int entries) {
        if (entries > 1 << 29) {
            throw new IllegalArgumentException("too many entries: " + entries);
        }
        return Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, entries) * 2 - 1) << 1);
    }
}
