package io.steadfast.relay;

import java.util.concurrent.TimeUnit;

/**
 * One binding: stable address S -> care-of address V of one client, with its lifetime, the sequence of
 * the update that last set it, and packet counters. Created and changed only by {@link BindingTable};
 * read by anyone on the relay's thread. Times are {@code System.nanoTime()}-style nanoseconds.
 *
 * <pre>{@code
 * Binding b = table.get(stable);
 * if (b != null && !b.isExpired(now)) wrapTo(b.careOfAddress());
 * }</pre>
 */
public final class Binding {
    private final int clientId;
    private final int stableAddress;
    private final long createdNanos;
    private int careOfAddress;
    private int previousCareOf;
    private long movedNanos;
    private long sequence;
    private int lifetimeSeconds;
    private long updatedNanos;
    private long expiresAtNanos;
    private long moves;
    private long packetsIn;
    private long packetsOut;

    Binding(int clientId, int stableAddress, int careOfAddress, long sequence, int lifetimeSeconds, long nowNanos) {
        this.clientId = clientId;
        this.stableAddress = stableAddress;
        this.createdNanos = nowNanos;
        this.careOfAddress = careOfAddress;
        refresh(sequence, lifetimeSeconds, nowNanos);
    }

    /** Points the binding at {@code careOf} (counting a move if V changed) and restarts its lifetime. */
    void set(int careOf, long updateSequence, int lifetime, long nowNanos) {
        if (careOf != careOfAddress) {
            moves++;
            previousCareOf = careOfAddress;
            movedNanos = nowNanos;
            careOfAddress = careOf;
        }
        refresh(updateSequence, lifetime, nowNanos);
    }

    private void refresh(long updateSequence, int lifetime, long nowNanos) {
        sequence = updateSequence;
        lifetimeSeconds = lifetime;
        updatedNanos = nowNanos;
        expiresAtNanos = nowNanos + TimeUnit.SECONDS.toNanos(lifetime);
    }

    /** The client that owns S. */
    public int clientId() {
        return clientId;
    }

    /** S, the stable address. */
    public int stableAddress() {
        return stableAddress;
    }

    /** V, the care-of address packets to S are wrapped to. */
    public int careOfAddress() {
        return careOfAddress;
    }

    /** True if {@code address} was V until a move less than {@link Relay#MOVE_GRACE_NANOS} before {@code nowNanos}. */
    public boolean wasCareOf(int address, long nowNanos) {
        return moves > 0 && address == previousCareOf && nowNanos - movedNanos < Relay.MOVE_GRACE_NANOS;
    }

    /** Sequence number of the update that last set this binding. */
    public long sequence() {
        return sequence;
    }

    /** Lifetime granted by the last update, in seconds. */
    public int lifetimeSeconds() {
        return lifetimeSeconds;
    }

    /** When the binding was created. */
    public long createdNanos() {
        return createdNanos;
    }

    /** When an update last set or refreshed it. */
    public long updatedNanos() {
        return updatedNanos;
    }

    /** When it expires unless refreshed. */
    public long expiresAtNanos() {
        return expiresAtNanos;
    }

    /** Whether its lifetime is over at {@code nowNanos}. */
    public boolean isExpired(long nowNanos) {
        return nowNanos - expiresAtNanos >= 0;
    }

    /** How many times an update moved it to another V. */
    public long moves() {
        return moves;
    }

    /** IP-in-IP packets from the client accepted for S. */
    public long packetsIn() {
        return packetsIn;
    }

    /** Packets to S wrapped to V. */
    public long packetsOut() {
        return packetsOut;
    }

    void countIn() {
        packetsIn++;
    }

    void countOut() {
        packetsOut++;
    }

    @Override
    public String toString() {
        return Ipv4.format(stableAddress) + " -> " + Ipv4.format(careOfAddress) + " (client " + Integer.toUnsignedString(clientId)
                + ", seq " + Long.toUnsignedString(sequence) + ", in " + packetsIn + ", out " + packetsOut + ")";
    }
}
