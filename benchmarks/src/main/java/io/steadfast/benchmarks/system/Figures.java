package io.steadfast.benchmarks.system;

/**
 * The headline figures of one row (medians over its runs; NaN where not measured): TCP throughput with one and
 * with several streams, and the round trip of 64-byte messages over UDP and TCP.
 *
 * <pre>{@code
 * Figures f = Figures.of(91.44, 155); // throughput and UDP round trip only, as the paper gives them
 * double v = Figures.Metric.TCP_MEDIAN.of(f);
 * }</pre>
 */
record Figures(double singleMbits, double parallelMbits, double udpMedianMicros, double udpP99Micros,
               double tcpMedianMicros, double tcpP99Micros) {

    /** One column of the tables: how to read it from {@link Figures} and which direction is better. */
    enum Metric {
        SINGLE("TCP 1 stream Mbit/s", true),
        PARALLEL("TCP %d streams Mbit/s", true),
        UDP_MEDIAN("UDP RTT median us", false),
        UDP_P99("UDP RTT p99 us", false),
        TCP_MEDIAN("TCP RTT median us", false),
        TCP_P99("TCP RTT p99 us", false);

        private final String header;
        final boolean higherIsBetter;

        Metric(String header, boolean higherIsBetter) {
            this.header = header;
            this.higherIsBetter = higherIsBetter;
        }

        /** The column header; {@code streams} fills in the parallel stream count. */
        String header(int streams) {
            return header.formatted(streams);
        }

        double of(Figures f) {
            return switch (this) {
                case SINGLE -> f.singleMbits();
                case PARALLEL -> f.parallelMbits();
                case UDP_MEDIAN -> f.udpMedianMicros();
                case UDP_P99 -> f.udpP99Micros();
                case TCP_MEDIAN -> f.tcpMedianMicros();
                case TCP_P99 -> f.tcpP99Micros();
            };
        }

        /** True if {@code a} is better than {@code b} on this metric. */
        boolean better(double a, double b) {
            return higherIsBetter ? a > b : a < b;
        }
    }

    /** Only a one-stream throughput and a (UDP median) round trip, as the references give them. */
    static Figures of(double singleMbits, double roundTripMicros) {
        return new Figures(singleMbits, Double.NaN, roundTripMicros, Double.NaN, Double.NaN, Double.NaN);
    }
}
