package io.steadfast.benchmarks.system;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Markdown report of a run: machine, set-up, the results table with ratios to bare routing (row 0), the
 * figures measured earlier on this machine kind (clearly marked), CPU use, every single run and drops.
 *
 * <pre>{@code
 * String md = Report.markdown(machine, settings, List.of(bare, aes, chacha));
 * }</pre>
 */
final class Report {
    /** Figures from /work/shared/testbed-notes.md: same machine kind, earlier runs, not this one. */
    private record Reference(String path, int mbits, int roundTripMicros) {}

    private static final List<Reference> EARLIER = List.of(
            new Reference("strongSwan 5.9.8 libipsec, ESP-in-UDP, AES-128-GCM", 341, 268),
            new Reference("wireguard-go (Debian, 2022)", 376, 222),
            new Reference("OpenVPN 2.6, AES-128-GCM", 377, 122));

    /**
     * Other work on the machine: how busy it was while this benchmark was idle, just before and just after the
     * measurements (percent of all CPUs), with the load averages from /proc/loadavg.
     */
    record Background(double busyBeforePercent, String loadBefore, double busyAfterPercent, String loadAfter) {}

    /** What the run was asked to do. */
    record Settings(int seconds, int warmupSeconds, int repeat, int streams, int messageSize, int warmupRoundTrips, int roundTrips) {}

    /** The JVM flags the root {@code steadfast} launcher passes. */
    static final String LAUNCHER_FLAGS = "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow";

    private Report() {}

    static String markdown(MachineInfo machine, Background background, Settings s, List<PathResult> paths) {
        PathResult bare = paths.getFirst();
        StringBuilder md = new StringBuilder();
        md.append("# ESP system benchmark: bare routing vs. steadfast client + gateway\n\n")
                .append("Written by `benchmarks/system-benchmark.sh` (`io.steadfast.benchmarks.system.SystemBenchmark`); ")
                .append("every run overwrites this file.\n\n");
        md.append("## Machine\n\n").append(machine.markdown()).append('\n')
                .append("Everything runs on these ").append(machine.cpus()).append(" CPUs at once: the kernel's ")
                .append("forwarding in every namespace, iperf3 client and server, the steadfast client and gateway ")
                .append("JVMs and the benchmark JVM (which answers the UDP echo). No pinning.\n\n")
                .append("Other work on the machine (2 s samples while the benchmark was idle): ")
                .append(fmt(background.busyBeforePercent())).append(" % busy before the measurements (load average ")
                .append(background.loadBefore()).append("), ").append(fmt(background.busyAfterPercent()))
                .append(" % after (load average ").append(background.loadAfter()).append("). Anything much above ")
                .append("0 % means other processes competed for the CPUs and the figures are low and noisy.\n\n");
        md.append("## Set-up\n\n")
                .append("Namespaces C (10.1.0.1) - G (10.1.0.2 | 10.2.0.1, forwarding) - S (10.2.0.2), joined by veth pairs.\n\n")
                .append("- (a) bare routing: C routes 10.2.0.0/24 via G, S routes 10.1.0.0/24 via G; plain kernel forwarding.\n")
                .append("- (b) steadfast: our client in C (TUN sf-c 10.9.0.1, route 10.2.0.0/24 into it) and our gateway ")
                .append("in G, ESP in UDP 4500 with manual keys, started with the flags the `steadfast` launcher ")
                .append("passes (`" + LAUNCHER_FLAGS + "`). JVM options beyond those: ")
                .append(extraOptions(paths)).append(".\n")
                .append("- TCP: `iperf3 -c 10.2.0.2 -t ").append(s.seconds()).append("` from C to S, one stream")
                .append(s.streams() > 0 ? " and `-P " + s.streams() + "`" : "")
                .append(", received Mbit/s, after an unmeasured ").append(s.warmupSeconds())
                .append(" s one-stream test per path (JIT warm-up; its figure is under \"Every run\").\n")
                .append("- UDP: ").append(s.messageSize()).append("-byte messages from C to an echo in S, one at a time, ")
                .append(s.warmupRoundTrips()).append(" warm-up then ").append(s.roundTrips())
                .append(" measured round trips; median and p99 (nearest rank).\n")
                .append("- Each figure is the median of ").append(s.repeat()).append(" runs. Ratio: the path's figure ")
                .append("divided by bare routing's (throughput: below 1 is slower; round trip: above 1 is slower).\n\n");
        md.append("## Results\n\n").append(resultsTable(s, paths, bare)).append('\n');
        md.append("\\* Measured earlier on this machine kind (2 vCPU, both ends and iperf3 on the same cores, one TCP ")
                .append("stream, medians of 3; `testbed-notes.md`), **not in this run**; shown for orientation only.\n\n");
        md.append(comparison(paths)).append('\n');
        md.append("## CPU during the one-stream TCP runs (medians)\n\n").append(cpuTable(paths, machine.cpus())).append('\n')
                .append("Machine busy: all CPUs together, from /proc/stat (100 % = every CPU busy; includes steal), ")
                .append("split into user, system (system calls: TUN and UDP reads and writes, TCP) and interrupt work. JVMs: CPU time ")
                .append("of the process over wall time (100 % = one CPU); iperf3's own figures (getrusage over wall time) ")
                .append("too. Rest: machine busy minus all of these, in percent of one CPU: other processes on the ")
                .append("machine, kernel threads (ksoftirqd), interrupt work charged to no process, this benchmark's JVM.\n\n");
        md.append("## Every run\n\n");
        for (PathResult p : paths) {
            md.append("- ").append(p.label).append(": warm-up ").append(fmt(p.warmupMbits))
                    .append(" Mbit/s (not counted); TCP 1 stream ").append(list(p.single, r -> fmt(r.mbitsPerSecond())))
                    .append(" Mbit/s");
            if (!p.parallel.isEmpty()) {
                md.append("; TCP ").append(s.streams()).append(" streams ")
                        .append(list(p.parallel, r -> fmt(r.mbitsPerSecond()))).append(" Mbit/s");
            }
            md.append("; UDP median ").append(list(p.udp, r -> fmt(r.medianMicros())))
                    .append(" us, p99 ").append(list(p.udp, r -> fmt(r.p99Micros())))
                    .append(" us, lost ").append(list(p.udp, r -> String.valueOf(r.lost()))).append('\n');
        }
        md.append("\n## Drops and JVM options (steadfast paths, counters after all runs of the path)\n\n");
        for (PathResult p : paths) {
            if (p.drops.isEmpty()) continue;
            md.append("- ").append(p.label).append('\n');
            md.append("  - JVM options: `").append(p.jvmOptions).append("`\n");
            p.drops.forEach(d -> md.append("  - ").append(d).append('\n'));
        }
        return md.toString();
    }

    /** For each tunnel path, its JVM options beyond the launcher's flags ("none" if there are none). */
    private static String extraOptions(List<PathResult> paths) {
        return paths.stream().filter(p -> !p.jvmOptions.isEmpty()).map(p -> {
            String extra = Arrays.stream(p.jvmOptions.split(" ")).filter(o -> !LAUNCHER_FLAGS.contains(o))
                    .collect(Collectors.joining(" "));
            return extra.isEmpty() ? "none" : "`" + extra + "`";
        }).distinct().collect(Collectors.joining("; "));
    }

    private static String resultsTable(Settings s, List<PathResult> paths, PathResult bare) {
        MarkdownTable t = s.streams() > 0
                ? new MarkdownTable("path", "TCP 1 stream Mbit/s", "ratio", "TCP " + s.streams() + " streams Mbit/s",
                        "ratio", "UDP RTT median us", "ratio", "UDP RTT p99 us", "ratio")
                : new MarkdownTable("path", "TCP 1 stream Mbit/s", "ratio", "UDP RTT median us", "ratio",
                        "UDP RTT p99 us", "ratio");
        for (PathResult p : paths) {
            if (s.streams() > 0) {
                t.row(p.label, fmt(p.singleMbits()), ratio(p.singleMbits(), bare.singleMbits()),
                        fmt(p.parallelMbits()), ratio(p.parallelMbits(), bare.parallelMbits()),
                        fmt(p.udpMedianMicros()), ratio(p.udpMedianMicros(), bare.udpMedianMicros()),
                        fmt(p.udpP99Micros()), ratio(p.udpP99Micros(), bare.udpP99Micros()));
            } else {
                t.row(p.label, fmt(p.singleMbits()), ratio(p.singleMbits(), bare.singleMbits()),
                        fmt(p.udpMedianMicros()), ratio(p.udpMedianMicros(), bare.udpMedianMicros()),
                        fmt(p.udpP99Micros()), ratio(p.udpP99Micros(), bare.udpP99Micros()));
            }
        }
        for (Reference r : EARLIER) {
            String label = "\\* " + r.path() + " (earlier, not this run)";
            if (s.streams() > 0) {
                t.row(label, String.valueOf(r.mbits()), "–", "–", "–", String.valueOf(r.roundTripMicros()), "–", "–", "–");
            } else {
                t.row(label, String.valueOf(r.mbits()), "–", String.valueOf(r.roundTripMicros()), "–", "–", "–");
            }
        }
        return t.toString();
    }

    /** Our tunnel rows against the earlier strongSwan figure (different runs: a rough comparison). */
    private static String comparison(List<PathResult> paths) {
        Reference strongSwan = EARLIER.getFirst();
        StringBuilder s = new StringBuilder();
        for (PathResult p : paths.subList(1, paths.size())) {
            s.append("- ").append(p.label).append(": ").append(fmt(p.singleMbits())).append(" Mbit/s = ")
                    .append(fmt(100 * p.singleMbits() / strongSwan.mbits())).append(" % of strongSwan libipsec's earlier ")
                    .append(strongSwan.mbits()).append("; round trip ").append(fmt(p.udpMedianMicros()))
                    .append(" us against its ").append(strongSwan.roundTripMicros()).append(" us.\n");
        }
        return s.toString();
    }

    private static String cpuTable(List<PathResult> paths, int cpus) {
        MarkdownTable t = new MarkdownTable("path", "machine busy %", "user %", "system %", "irq+softirq %",
                "client JVM % of a CPU",
                "gateway JVM % of a CPU", "iperf3 sender % of a CPU", "iperf3 receiver % of a CPU", "rest % of a CPU",
                "TCP retransmits");
        for (PathResult p : paths) {
            boolean jvms = !p.singleCpu.isEmpty() && p.singleCpu.getFirst().processPercent().length == 2;
            t.row(p.label, fmt(PathResult.median(p.singleCpu, CpuMeter.Usage::machinePercent)),
                    fmt(PathResult.median(p.singleCpu, CpuMeter.Usage::userPercent)),
                    fmt(PathResult.median(p.singleCpu, CpuMeter.Usage::systemPercent)),
                    fmt(PathResult.median(p.singleCpu, CpuMeter.Usage::softirqPercent)),
                    jvms ? fmt(PathResult.median(p.singleCpu, u -> u.processPercent()[0])) : "–",
                    jvms ? fmt(PathResult.median(p.singleCpu, u -> u.processPercent()[1])) : "–",
                    fmt(PathResult.median(p.single, Iperf3.Result::senderCpuPercent)),
                    fmt(PathResult.median(p.single, Iperf3.Result::receiverCpuPercent)),
                    fmt(rest(p, cpus)),
                    fmt(PathResult.median(p.single, r -> (double) r.retransmits())));
        }
        return t.toString();
    }

    /** Machine busy (in percent of one CPU) minus what our JVMs and both iperf3 took, median over the runs. */
    private static double rest(PathResult p, int cpus) {
        double[] rest = new double[p.single.size()];
        for (int i = 0; i < rest.length && i < p.singleCpu.size(); i++) {
            CpuMeter.Usage u = p.singleCpu.get(i);
            double ours = p.single.get(i).senderCpuPercent() + p.single.get(i).receiverCpuPercent();
            for (double jvm : u.processPercent()) ours += jvm;
            rest[i] = u.machinePercent() * cpus - ours;
        }
        return PathResult.median(Arrays.stream(rest).boxed().toList(), Double::doubleValue);
    }

    private static <T> String list(List<T> runs, Function<T, String> f) {
        return runs.stream().map(f).collect(Collectors.joining(", "));
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "–";
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    static String ratio(double v, double bare) {
        if (Double.isNaN(v) || Double.isNaN(bare) || bare == 0) return "–";
        double r = v / bare;
        return String.format(Locale.ROOT, r >= 10 ? "%.1f" : r >= 0.1 ? "%.2f" : "%.3f", r);
    }
}
