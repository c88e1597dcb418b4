package io.steadfast.handlers.stage;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Logs per-packet problems at most once per interval, with the number suppressed in between, so that a
 * flood of bad packets costs a counter increment each and one log line per interval.
 *
 * <p>Not thread-safe: one instance per stage, used on the stage's event loop.
 *
 * <pre>{@code
 * private final RateLimitedLog badPackets = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
 * ...
 * badPackets.warn("dropped a malformed IPv4 packet of {} bytes", len);
 * }</pre>
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private long nextAllowedNanos = Long.MIN_VALUE;
    private long suppressed;

    public RateLimitedLog(Logger log, long interval, TimeUnit unit) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
    }

    /** Logs {@code format} at WARN unless a line was logged less than one interval ago. */
    public void warn(String format, Object... args) {
        long now = System.nanoTime();
        if (nextAllowedNanos != Long.MIN_VALUE && now - nextAllowedNanos < 0) {
            suppressed++;
            return;
        }
        nextAllowedNanos = now + intervalNanos;
        if (suppressed > 0) {
            log.warn(format + " (and {} more like it suppressed)", append(args, suppressed));
            suppressed = 0;
        } else {
            log.warn(format, args);
        }
    }

    /** How many lines were suppressed since the last one logged. */
    public long suppressed() {
        return suppressed;
    }

    private static Object[] append(Object[] args, long extra) {
        Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = extra;
        return out;
    }
}
