package io.steadfast.ike.sa;

import java.time.Duration;

/**
 * When to resend an unanswered request (RFC 7296 2.1): after {@code initialTimeout}, then each wait
 * {@code base} times the one before, at most {@code retransmits} times; then the peer is declared dead.
 * strongSwan's defaults (4 s, 1.8, 5) give up after about 165 s; ours give up after 31 s.
 *
 * <pre>{@code
 * Retransmission quick = new Retransmission(Duration.ofMillis(500), 2.0, 3); // 0.5+1+2+4 s
 * }</pre>
 */
public record Retransmission(Duration initialTimeout, double base, int retransmits) {
    /** 1 s, doubling, 4 retransmits: the peer is dead 31 s after the first send. */
    public static final Retransmission DEFAULT = new Retransmission(Duration.ofSeconds(1), 2.0, 4);

    /** Checks the values. */
    public Retransmission {
        if (initialTimeout.isNegative() || initialTimeout.isZero() || base < 1.0 || retransmits < 0) {
            throw new IllegalArgumentException("retransmission needs a positive timeout, base >= 1, retransmits >= 0");
        }
    }

    /** Nanoseconds to wait after send number {@code attempt} (0 = the first send). */
    public long timeoutNanos(int attempt) {
        double nanos = initialTimeout.toNanos() * Math.pow(base, attempt);
        return nanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) nanos;
    }

    /** Total nanoseconds from the first send until the peer is declared dead. */
    public long giveUpNanos() {
        long total = 0;
        for (int i = 0; i <= retransmits; i++) {
            total = Math.min(Long.MAX_VALUE / 2, total + timeoutNanos(i));
        }
        return total;
    }
}
