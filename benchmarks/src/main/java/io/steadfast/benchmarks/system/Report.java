package io.steadfast.benchmarks.system;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Markdown report of a run: machine, set-up, the results in the paper's shape (throughput and round trip
 * tables with ratios to (a) and to the strongest anchor; see {@link PaperTables}), the targets of issues 5 and
 * 7 ({@link Targets}), CPU use, every single run and drops.
 *
 * <pre>{@code
 * String md = Report.markdown(machine, background, settings, List.of(bare, aes, relay, wireguard));
 * }</pre>
 */
final class Report {
    /**
     * Other work on the machine: how busy it was while this benchmark was idle, just before and just after the
     * measurements (percent of all CPUs), with the load averages from /proc/loadavg.
     */
    record Background(double busyBeforePercent, String loadBefore, double busyAfterPercent, String loadAfter) {}

    /**
     * What the run was asked to do, the rows it ran ({@code specs}), whether they were interleaved and the
     * versions of the programs it used.
     */
    record Settings(int seconds, int warmupSeconds, int repeat, int streams, int messageSize, int warmupRoundTrips,
                    int roundTrips, List<PathCatalog.Spec> specs, boolean interleaved, List<String> toolVersions) {}

    /** The JVM flags the root {@code steadfast} launcher passes. */
    static final String LAUNCHER_FLAGS = "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow";

    private Report() {}

    static String markdown(MachineInfo machine, Background background, Settings s, List<PathResult> paths) {
        StringBuilder md = new StringBuilder();
        md.append("# System benchmark: bare routing, steadfast (client + gateway, + relay) and other VPNs\n\n")
                .append("Written by `benchmarks/system-benchmark.sh` (`io.steadfast.benchmarks.system.SystemBenchmark`, ")
                .append("`--paths ").append(s.specs().stream().map(PathCatalog.Spec::key).collect(Collectors.joining(",")))
                .append("`); every run overwrites this file.\n\n");
        md.append("## Machine\n\n").append(machine.markdown()).append('\n')
                .append("Everything runs on these ").append(machine.cpus()).append(" CPUs at once: the kernel's ")
                .append("forwarding in every namespace, iperf3 client and server, the tunnel processes of each row ")
                .append("and the benchmark JVM (which answers the UDP and TCP echoes). No pinning.\n\n")
                .append("Other work on the machine (2 s samples while the benchmark was idle): ")
                .append(fmt(background.busyBeforePercent())).append(" % busy before the measurements (load average ")
                .append(background.loadBefore()).append("), ").append(fmt(background.busyAfterPercent()))
                .append(" % after (load average ").append(background.loadAfter()).append("). Anything much above ")
                .append("0 % means other processes competed for the CPUs and the figures are low and noisy.\n\n");
        md.append(setup(s, paths));
        md.append("## Results\n\n### Throughput (the shape of the paper's Table 3)\n\n");
        PaperTables tables = new PaperTables(paths, s.streams());
        md.append(tables.throughput()).append("\n### Round trip of ").append(s.messageSize())
                .append("-byte messages (the shape of the paper's Table 4)\n\n").append(tables.roundTrip()).append('\n')
                .append(tables.anchorNote()).append('\n')
                .append("\"/ (a)\": the figure divided by bare routing's in this run (throughput: below 1 is slower; ")
                .append("round trip: above 1 is slower). The paper's rows are divided by the paper's bare routing; it gives ")
                .append("one round-trip figure per row (its Table 4), shown under UDP median. Earlier rows: measured on this ")
                .append("machine kind (2 vCPU, both ends and iperf3 on the same cores, one TCP stream, medians of 3; ")
                .append("`testbed-notes.md`), **not in this run**, so without ratios.\n\n");
        md.append("## Targets (issues 5 and 7)\n\n").append(Targets.markdown(paths)).append('\n');
        md.append("## CPU during the one-stream TCP runs (medians)\n\n").append(cpuTable(paths, machine.cpus())).append('\n')
                .append("Machine busy: all CPUs together, from /proc/stat (100 % = every CPU busy; includes steal), ")
                .append("split into user, system (system calls: TUN and UDP reads and writes, TCP) and interrupt work. ")
                .append("Client, gateway, relay: the tunnel process on that host (our JVMs, wireguard-go, openvpn), CPU ")
                .append("time over wall time (100 % = one CPU); iperf3's own figures (getrusage over wall time) too. ")
                .append("Rest: machine busy minus all of these, in percent of one CPU: other processes on the ")
                .append("machine, kernel threads (ksoftirqd), interrupt work charged to no process, this benchmark's JVM.\n\n");
        md.append("## Every run\n\n");
        for (PathResult p : paths) md.append(runs(p, s.streams()));
        md.append("\n## Drops and JVM options (tunnel paths, counters after all runs of the path)\n\n");
        for (PathResult p : paths) {
            if (p.drops.isEmpty()) continue;
            md.append("- ").append(p.label).append('\n');
            if (!p.jvmOptions.isEmpty()) md.append("  - JVM options: `").append(p.jvmOptions).append("`\n");
            p.drops.forEach(d -> md.append("  - ").append(d).append('\n'));
        }
        return md.toString();
    }

    private static String setup(Settings s, List<PathResult> paths) {
        StringBuilder md = new StringBuilder("## Set-up\n\n");
        md.append(s.interleaved()
                ? "Each row builds its own namespaces; all rows were open at once (idle but for the one being measured) and "
                        + "run i of each measurement went round the rows in table order (`--interleave`); then each row "
                        + "deleted its namespaces and ended its processes by PID. "
                : "Each row builds its own namespaces and deletes them (with every process it started, ended by PID) "
                        + "before the next row starts. ")
                .append("C (10.1.0.1) - G (10.1.0.2 | 10.2.0.1, forwarding) - S (10.2.0.2), ")
                .append("joined by veth pairs; tunnels give the client 10.9.0.1 and route 10.2.0.0/24 into their TUN.\n\n");
        for (PathCatalog.Spec spec : s.specs()) md.append("- ").append(spec.label()).append(": ").append(spec.setup()).append('\n');
        if (s.specs().stream().anyMatch(spec -> spec.kind() == PathCatalog.Kind.OURS)) {
            md.append("- Our processes start with the flags the `steadfast` launcher passes (`").append(LAUNCHER_FLAGS)
                    .append("`). JVM options beyond those: ").append(extraOptions(paths)).append(".\n");
        }
        md.append("- TCP: `iperf3 -c 10.2.0.2 -t ").append(s.seconds()).append("` from C to S, one stream")
                .append(s.streams() > 0 ? " and `-P " + s.streams() + "`" : "")
                .append(", received Mbit/s, after an unmeasured ").append(s.warmupSeconds())
                .append(" s one-stream test per path (JIT warm-up; its figure is under \"Every run\").\n")
                .append("- Round trips: ").append(s.messageSize()).append("-byte messages from C to an echo in S, one at a time, ")
                .append(s.warmupRoundTrips()).append(" warm-up then ").append(s.roundTrips())
                .append(" measured round trips, over UDP and over one TCP connection (TCP_NODELAY); median and p99 (nearest rank).\n")
                .append("- Each figure is the median of ").append(s.repeat()).append(" runs.\n");
        if (!s.toolVersions().isEmpty()) md.append("- Programs: ").append(String.join("; ", s.toolVersions())).append(".\n");
        return md.append('\n').toString();
    }

    private static String runs(PathResult p, int streams) {
        StringBuilder md = new StringBuilder("- ").append(p.label).append(": warm-up ").append(fmt(p.warmupMbits))
                .append(" Mbit/s (not counted); TCP 1 stream ").append(list(p.single, r -> fmt(r.mbitsPerSecond())))
                .append(" Mbit/s");
        if (!p.parallel.isEmpty()) {
            md.append("; TCP ").append(streams).append(" streams ").append(list(p.parallel, r -> fmt(r.mbitsPerSecond()))).append(" Mbit/s");
        }
        return md.append("; UDP median ").append(list(p.udp, r -> fmt(r.medianMicros())))
                .append(" us, p99 ").append(list(p.udp, r -> fmt(r.p99Micros())))
                .append(" us, lost ").append(list(p.udp, r -> String.valueOf(r.lost())))
                .append("; TCP median ").append(list(p.tcp, r -> fmt(r.medianMicros())))
                .append(" us, p99 ").append(list(p.tcp, r -> fmt(r.p99Micros()))).append(" us\n").toString();
    }

    /** For each path with a JVM, its JVM options beyond the launcher's flags ("none" if there are none). */
    static String extraOptions(List<PathResult> paths) {
        String extra = paths.stream().filter(p -> !p.jvmOptions.isEmpty()).map(p -> {
            String e = Arrays.stream(p.jvmOptions.split(" ")).filter(o -> !LAUNCHER_FLAGS.contains(o))
                    .collect(Collectors.joining(" "));
            return e.isEmpty() ? "none" : "`" + e + "`";
        }).distinct().collect(Collectors.joining("; "));
        return extra.isEmpty() ? "none" : extra;
    }

    private static String cpuTable(List<PathResult> paths, int cpus) {
        MarkdownTable t = new MarkdownTable("path", "machine busy %", "user %", "system %", "irq+softirq %",
                "client % of a CPU", "gateway % of a CPU", "relay % of a CPU", "iperf3 sender % of a CPU",
                "iperf3 receiver % of a CPU", "rest % of a CPU", "TCP retransmits");
        for (PathResult p : paths) {
            t.row(p.label, fmt(PathResult.median(p.singleCpu, CpuMeter.Usage::machinePercent)),
                    fmt(PathResult.median(p.singleCpu, CpuMeter.Usage::userPercent)),
                    fmt(PathResult.median(p.singleCpu, CpuMeter.Usage::systemPercent)),
                    fmt(PathResult.median(p.singleCpu, CpuMeter.Usage::softirqPercent)),
                    fmt(p.processPercent("client")), fmt(p.processPercent("gateway")), fmt(p.processPercent("relay")),
                    fmt(PathResult.median(p.single, Iperf3.Result::senderCpuPercent)),
                    fmt(PathResult.median(p.single, Iperf3.Result::receiverCpuPercent)),
                    fmt(rest(p, cpus)),
                    fmt(PathResult.median(p.single, r -> (double) r.retransmits())));
        }
        return t.toString();
    }

    /** Machine busy (in percent of one CPU) minus what the tunnel processes and both iperf3 took, median over the runs. */
    private static double rest(PathResult p, int cpus) {
        double[] rest = new double[Math.min(p.single.size(), p.singleCpu.size())];
        for (int i = 0; i < rest.length; i++) {
            CpuMeter.Usage u = p.singleCpu.get(i);
            double ours = p.single.get(i).senderCpuPercent() + p.single.get(i).receiverCpuPercent();
            for (double process : u.processPercent()) ours += process;
            rest[i] = u.machinePercent() * cpus - ours;
        }
        return PathResult.median(Arrays.stream(rest).boxed().toList(), Double::doubleValue);
    }

    private static <T> String list(List<T> runs, Function<T, String> f) {
        return runs.stream().map(f).collect(Collectors.joining(", "));
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "–";
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }

    static String ratio(double v, double base) {
        if (Double.isNaN(v) || Double.isNaN(base) || base == 0) return "–";
        double r = v / base;
        return String.format(Locale.ROOT, r >= 10 ? "%.1f" : r >= 0.1 ? "%.2f" : "%.3f", r);
    }
}
