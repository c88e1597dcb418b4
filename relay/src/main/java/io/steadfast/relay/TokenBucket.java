package io.steadfast.relay;

/**
 * A token bucket on a nanosecond clock: {@code perSecond} tokens a second, at most {@code burst} saved,
 * full at the first call. Credit is kept in nanoseconds so no fractions are lost. Not thread-safe.
 *
 * <pre>{@code
 * TokenBucket bucket = new TokenBucket(50, 10);
 * if (!bucket.tryTake(now)) return RelayDropReason.RATE_LIMITED;
 * }</pre>
 */
final class TokenBucket {
    private final long nanosPerToken;
    private final long capacityNanos;
    private long creditNanos;
    private long lastNanos;
    private boolean started;

    /** A bucket that refills {@code perSecond} tokens a second and holds at most {@code burst}. */
    TokenBucket(int perSecond, int burst) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("a token bucket needs a positive rate and burst");
        }
        this.nanosPerToken = 1_000_000_000L / perSecond;
        this.capacityNanos = nanosPerToken * burst;
    }

    /** Takes one token if there is one at {@code nowNanos}; a clock that goes back refills nothing. */
    boolean tryTake(long nowNanos) {
        if (!started) {
            started = true;
            creditNanos = capacityNanos;
            lastNanos = nowNanos;
        }
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            creditNanos = elapsed >= capacityNanos - creditNanos ? capacityNanos : creditNanos + elapsed;
            lastNanos = nowNanos;
        }
        if (creditNanos < nanosPerToken) {
            return false;
        }
        creditNanos -= nanosPerToken;
        return true;
    }
}
