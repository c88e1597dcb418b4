package io.steadfast.ike.sa;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of an IKE SA or of the responder: drops by reason, retransmissions we sent, duplicate requests we
 * answered from the cache, cookies we asked for. Single-threaded like the SA.
 *
 * <pre>{@code
 * long forged = sa.counters().drops(Drop.BAD_ICV);
 * }</pre>
 */
public final class IkeCounters {
    private final EnumMap<Drop, Long> drops = new EnumMap<>(Drop.class);
    private long retransmits;
    private long duplicates;
    private long cookies;
    private long answered;

    /** Counts a drop. */
    void drop(Drop reason) {
        drops.merge(reason, 1L, Long::sum);
    }

    /** Counts a request we sent again. */
    void retransmit() {
        retransmits++;
    }

    /** Counts a retransmitted request answered from the cache. */
    void duplicate() {
        duplicates++;
    }

    /** Counts a COOKIE we asked for. */
    void cookie() {
        cookies++;
    }

    /** Counts a fresh request of the peer we answered. */
    void answered() {
        answered++;
    }

    /** Drops for one reason. */
    public long drops(Drop reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /** All drops. */
    public long drops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A snapshot of drops by reason. */
    public Map<Drop, Long> dropsByReason() {
        return Map.copyOf(drops);
    }

    /** Requests we sent again because no answer came. */
    public long retransmits() {
        return retransmits;
    }

    /** Retransmitted requests of the peer answered from the cached response. */
    public long duplicatesAnswered() {
        return duplicates;
    }

    /** The peer's requests we answered (not counting retransmissions), e.g. its liveness checks. */
    public long requestsAnswered() {
        return answered;
    }

    /** COOKIE notifies sent (responder). */
    public long cookiesSent() {
        return cookies;
    }

    @Override
    public String toString() {
        return "drops " + drops + ", retransmits " + retransmits + ", requests answered " + answered
                + ", duplicates answered " + duplicates
                + ", cookies " + cookies;
    }
}
