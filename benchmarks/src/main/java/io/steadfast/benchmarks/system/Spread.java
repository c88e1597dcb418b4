package io.steadfast.benchmarks.system;

import java.util.List;

/**
 * Median, 10th and 90th percentile (nearest rank) and the count of some measurements.
 *
 * <pre>{@code
 * Spread s = Spread.of(List.of(3.1, 3.4, 2.9));
 * System.out.println(s.median());
 * }</pre>
 */
record Spread(int count, double p10, double median, double p90) {

    /** The spread of {@code values}; NaN figures if there are none. */
    static Spread of(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) return new Spread(0, Double.NaN, Double.NaN, Double.NaN);
        return new Spread(sorted.length, rank(sorted, 0.10), rank(sorted, 0.50), rank(sorted, 0.90));
    }

    /** The nearest-rank percentile {@code p} (0 < p <= 1) of sorted values. */
    private static double rank(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
