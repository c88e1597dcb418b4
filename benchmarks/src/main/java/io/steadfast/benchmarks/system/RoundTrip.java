package io.steadfast.benchmarks.system;

import java.util.Arrays;

/**
 * The round trips of one run of 64-byte messages sent one at a time (UDP or TCP): median and 99th percentile
 * (nearest rank) of the answered ones, and how many got no answer.
 *
 * <pre>{@code
 * RoundTrip r = RoundTrip.of(nanos, measured, lost);
 * System.out.println(r.medianMicros() + " us");
 * }</pre>
 *
 * @param medianMicros median round trip
 * @param p99Micros    99th percentile (nearest rank)
 * @param lost         messages without an answer (not in the percentiles; always 0 for TCP)
 */
record RoundTrip(double medianMicros, double p99Micros, int lost) {

    /** Median and p99 of the first {@code count} entries of {@code nanos} (in any order; not changed). */
    static RoundTrip of(long[] nanos, int count, int lost) {
        if (count < 1 || count > nanos.length) throw new IllegalArgumentException("count " + count + " of " + nanos.length);
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new RoundTrip(sorted[(count - 1) / 2] / 1e3, sorted[(int) Math.ceil(0.99 * count) - 1] / 1e3, lost);
    }
}
