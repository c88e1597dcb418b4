package io.steadfast.benchmarks.system;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Everything measured on one path (bare routing, or our tunnel with one algorithm): every run, and medians.
 *
 * <pre>{@code
 * PathResult r = new PathResult("bare veth routing");
 * r.single.add(Iperf3.run(...));
 * double mbits = r.singleMbits();
 * }</pre>
 */
final class PathResult {
    final String label;
    /** The unmeasured one-stream warm-up test. */
    double warmupMbits = Double.NaN;
    /** One TCP stream, one entry per run. */
    final List<Iperf3.Result> single = new ArrayList<>();
    /** CPU use during each one-stream run; processes are client and gateway JVMs (none for bare routing). */
    final List<CpuMeter.Usage> singleCpu = new ArrayList<>();
    /** Several parallel TCP streams, one entry per run (empty if left out). */
    final List<Iperf3.Result> parallel = new ArrayList<>();
    final List<UdpRoundTrip.Result> udp = new ArrayList<>();
    /** Drop counters after the runs, one line per steadfast host (none for bare routing). */
    final List<String> drops = new ArrayList<>();
    /** JVM options of the client and gateway processes (empty for bare routing). */
    String jvmOptions = "";

    PathResult(String label) {
        this.label = label;
    }

    double singleMbits() {
        return median(single, Iperf3.Result::mbitsPerSecond);
    }

    double parallelMbits() {
        return median(parallel, Iperf3.Result::mbitsPerSecond);
    }

    double udpMedianMicros() {
        return median(udp, UdpRoundTrip.Result::medianMicros);
    }

    double udpP99Micros() {
        return median(udp, UdpRoundTrip.Result::p99Micros);
    }

    /** Median of a value over runs (mean of the middle two for an even count); NaN if there are none. */
    static <T> double median(List<T> runs, ToDoubleFunction<T> value) {
        double[] v = runs.stream().mapToDouble(value).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
