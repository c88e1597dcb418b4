package io.steadfast.benchmarks.system;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Everything measured on one path (one row): every run, and medians.
 *
 * <pre>{@code
 * PathResult r = new PathResult(PathCatalog.get("a"));
 * r.single.add(Iperf3.run(...));
 * double mbits = r.figures().singleMbits();
 * }</pre>
 */
final class PathResult {
    final String key;
    final String label;
    final PathCatalog.Kind kind;
    /** The unmeasured one-stream warm-up test. */
    double warmupMbits = Double.NaN;
    /** One TCP stream, one entry per run. */
    final List<Iperf3.Result> single = new ArrayList<>();
    /** CPU use during each one-stream run; its processes are those of {@link #roles}, in that order. */
    final List<CpuMeter.Usage> singleCpu = new ArrayList<>();
    /** The roles ("client", "gateway", "relay") of the tunnel processes whose CPU use was measured. */
    final List<String> roles = new ArrayList<>();
    /** Several parallel TCP streams, one entry per run (empty if left out). */
    final List<Iperf3.Result> parallel = new ArrayList<>();
    final List<RoundTrip> udp = new ArrayList<>();
    final List<RoundTrip> tcp = new ArrayList<>();
    /** Drop counters after the runs, one line per tunnel host (none for bare routing). */
    final List<String> drops = new ArrayList<>();
    /** JVM options of our processes (empty for other paths). */
    String jvmOptions = "";

    PathResult(PathCatalog.Spec spec) {
        this(spec.key(), spec.label(), spec.kind());
    }

    PathResult(String key, String label, PathCatalog.Kind kind) {
        this.key = key;
        this.label = label;
        this.kind = kind;
    }

    /** The medians over the runs. */
    Figures figures() {
        return new Figures(median(single, Iperf3.Result::mbitsPerSecond), median(parallel, Iperf3.Result::mbitsPerSecond),
                median(udp, RoundTrip::medianMicros), median(udp, RoundTrip::p99Micros),
                median(tcp, RoundTrip::medianMicros), median(tcp, RoundTrip::p99Micros));
    }

    /** CPU use of the process with {@code role} in each one-stream run (NaN if there is none), median over the runs. */
    double processPercent(String role) {
        int i = roles.indexOf(role);
        return i < 0 ? Double.NaN : median(singleCpu, u -> u.processPercent()[i]);
    }

    /** Median of a value over runs (mean of the middle two for an even count); NaN if there are none. */
    static <T> double median(List<T> runs, ToDoubleFunction<T> value) {
        double[] v = runs.stream().mapToDouble(value).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
