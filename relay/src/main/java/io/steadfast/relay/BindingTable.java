package io.steadfast.relay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The relay's bindings, looked up by stable address S (every packet) and by client id (updates). A
 * client holds at most one binding: binding it to another S releases the old one. Lookups are one hash
 * probe into open-addressing arrays and stay flat up to millions of bindings. Not thread-safe: one
 * table per relay, used from the relay's thread.
 *
 * <pre>{@code
 * BindingTable table = new BindingTable(1024);
 * table.bind(clientId, stable, careOf, sequence, 300, now);
 * Binding b = table.get(stable);        // null when S is not bound
 * int expired = table.expire(now);      // call periodically
 * }</pre>
 */
public final class BindingTable {
    private final IntMap<Binding> byStableAddress;
    private final IntMap<Binding> byClientId;

    /** A table sized for a few bindings; it grows as needed. */
    public BindingTable() {
        this(16);
    }

    /** A table that holds {@code expectedBindings} without growing. */
    public BindingTable(int expectedBindings) {
        byStableAddress = new IntMap<>(expectedBindings);
        byClientId = new IntMap<>(expectedBindings);
    }

    /** The binding of S, or null. */
    public Binding get(int stableAddress) {
        return byStableAddress.get(stableAddress);
    }

    /** The binding of a client, or null. */
    public Binding byClient(int clientId) {
        return byClientId.get(clientId);
    }

    /**
     * Binds S to V for the client: refreshes or moves its binding of S, or creates one (releasing the
     * client's binding of another S). IllegalStateException if S is bound to another client: the caller
     * checks ownership first.
     */
    public Binding bind(int clientId, int stableAddress, int careOfAddress, long sequence, int lifetimeSeconds, long nowNanos) {
        Binding existing = byStableAddress.get(stableAddress);
        if (existing != null) {
            if (existing.clientId() != clientId) {
                throw new IllegalStateException(Ipv4.format(stableAddress) + " is bound to client "
                        + Integer.toUnsignedString(existing.clientId()) + ", not " + Integer.toUnsignedString(clientId));
            }
            existing.set(careOfAddress, sequence, lifetimeSeconds, nowNanos);
            return existing;
        }
        Binding previous = byClientId.get(clientId);
        if (previous != null) {
            byStableAddress.remove(previous.stableAddress());
        }
        Binding created = new Binding(clientId, stableAddress, careOfAddress, sequence, lifetimeSeconds, nowNanos);
        byStableAddress.put(stableAddress, created);
        byClientId.put(clientId, created);
        return created;
    }

    /** Removes the binding of S; returns it, or null if there was none. */
    public Binding remove(int stableAddress) {
        Binding removed = byStableAddress.remove(stableAddress);
        if (removed != null) {
            byClientId.remove(removed.clientId());
        }
        return removed;
    }

    /** Removes every binding whose lifetime is over at {@code nowNanos}; returns how many. Scans the whole table. */
    public int expire(long nowNanos) {
        ExpiredAddresses expired = new ExpiredAddresses(nowNanos);
        byStableAddress.forEachValue(expired);
        for (int i = 0; i < expired.count; i++) {
            remove(expired.addresses[i]);
        }
        return expired.count;
    }

    /** Collects the S of expired bindings during a scan (the map must not change while it is scanned). */
    private static final class ExpiredAddresses implements Consumer<Binding> {
        private final long nowNanos;
        private int[] addresses = new int[16];
        private int count;

        ExpiredAddresses(long nowNanos) {
            this.nowNanos = nowNanos;
        }

        @Override
        public void accept(Binding binding) {
            if (binding.isExpired(nowNanos)) {
                if (count == addresses.length) {
                    addresses = Arrays.copyOf(addresses, count * 2);
                }
                addresses[count++] = binding.stableAddress();
            }
        }
    }

    /** Number of bindings. */
    public int size() {
        return byStableAddress.size();
    }

    /** A copy of the bindings, in no particular order. */
    public List<Binding> bindings() {
        List<Binding> all = new ArrayList<>(size());
        byStableAddress.forEachValue(all::add);
        return all;
    }
}
