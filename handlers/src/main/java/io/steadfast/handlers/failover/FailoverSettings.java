package io.steadfast.handlers.failover;

import java.time.Duration;

/**
 * How the failover controller detects a dead gateway and how often it may switch.
 *
 * @param probeInterval      inbound idle this long: send a probe, and again every interval until traffic returns
 * @param detectionPeriod    F: inbound idle this long: the gateway is dead (ignored when {@code allowedOutage} is set)
 * @param allowedOutage      A, or null: F = A - C (the paper's equation 1), C the switch time last measured
 * @param switchEstimate     C until one switch has been measured
 * @param holdDown           a gateway left as dead is not chosen again for this long, unless it is the only one alive
 * @param failbackAfter      go back to the preferred (first) gateway once it has answered this long; null: never
 */
public record FailoverSettings(Duration probeInterval, Duration detectionPeriod, Duration allowedOutage, Duration switchEstimate,
                               Duration holdDown, Duration failbackAfter) {

    /** F may not fall below this many probe intervals: fewer would declare a gateway dead on one lost probe. */
    public static final int MIN_PROBES_PER_DETECTION = 3;

    /**
     * Defaults: probe every 50 ms, F = 200 ms, C estimated at 20 ms, hold-down 10 s, no failback. F
     * this short beats a TCP sender's first retransmission timeout (200 ms and up), so a stream resumes at
     * its first retransmission after the switch.
     */
    public static FailoverSettings defaults() {
        return new FailoverSettings(Duration.ofMillis(50), Duration.ofMillis(200), null, Duration.ofMillis(20),
                Duration.ofSeconds(10), null);
    }

    /** The smallest F allowed. */
    public Duration minimumDetection() {
        return probeInterval.multipliedBy(MIN_PROBES_PER_DETECTION);
    }

    /** F given the switch time C (nanoseconds), never below {@link #minimumDetection()}. */
    public long detectionNanos(long switchNanos) {
        long f = allowedOutage == null ? detectionPeriod.toNanos() : allowedOutage.toNanos() - switchNanos;
        return Math.max(f, minimumDetection().toNanos());
    }

    /** Why these settings cannot work, or null if they can. */
    public String problem() {
        if (probeInterval.isNegative() || probeInterval.isZero()) return "probe-interval must be positive";
        long f = allowedOutage == null ? detectionPeriod.toNanos() : allowedOutage.toNanos() - switchEstimate.toNanos();
        if (f < minimumDetection().toNanos()) {
            String what = allowedOutage == null ? "detection-period " + detectionPeriod.toMillis() + " ms"
                    : "allowed-outage " + allowedOutage.toMillis() + " ms minus the switch time " + switchEstimate.toMillis()
                            + " ms leaves F = " + f / 1_000_000 + " ms, which";
            return what + " is below " + MIN_PROBES_PER_DETECTION + " probe intervals (" + minimumDetection().toMillis()
                    + " ms): one lost probe would declare a gateway dead";
        }
        return null;
    }
}
