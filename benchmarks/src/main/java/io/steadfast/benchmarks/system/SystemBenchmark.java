package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The system benchmark: for each selected row ({@link PathCatalog}: bare routing, our client + gateway, our
 * client + gateway + relay, strongSwan without and with a relay hop, wireguard-go, OpenVPN), in network namespaces
 * it creates and deletes, TCP throughput (iperf3, one stream and several) and the UDP and TCP round trips of
 * 64-byte messages. Prints a Markdown report in the paper's shape (ratios to (a) and to the strongest anchor)
 * and writes it to {@code --out}. Needs root and the rows' programs; about 7 minutes with every row.
 *
 * <pre>
 * sudo benchmarks/system-benchmark.sh [--paths a,b,b-plain,b-uring,b-chacha,c,sw,sw-relay,wg,ovpn] [--interleave] [--seconds 5] [--warmup-seconds 20] [--repeat 3] [--streams 4] [--out FILE]
 * # which runs, from the repository root:
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *     -cp benchmarks/target/benchmarks.jar io.steadfast.benchmarks.system.SystemBenchmark
 * </pre>
 */
@Command(name = "system-benchmark",
        description = "TCP throughput and UDP/TCP round trips: bare routing, steadfast (with and without relay) and other VPNs, in network namespaces.")
public final class SystemBenchmark implements Callable<Integer> {
    static final int UDP_ECHO_PORT = 7007;
    static final int TCP_ECHO_PORT = 7008;
    static final int MESSAGE_SIZE = 64;
    /** Programs every run needs, as "program (Debian package)". */
    static final List<String> BASE_TOOLS = List.of("iperf3 (iperf3)", "ping (iputils-ping)", "ip (iproute2)", "setpriv (util-linux)");

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--paths", defaultValue = PathCatalog.DEFAULT_KEYS,
            description = "rows to run, comma-separated, shown in table order; known: a (bare), b, b-plain (no offloads), b-uring, b-chacha, c (relay), sw (strongSwan), "
                    + "sw-relay (strongSwan + relay hop), wg, ovpn (default ${DEFAULT-VALUE})")
    String paths;

    @Option(names = "--interleave",
            description = "open every row at once and take run i of each measurement on every row in turn (a drift of the "
                    + "machine's speed then hits all rows alike); default: one row after another, each closed before the next")
    boolean interleave;

    @Option(names = "--seconds", defaultValue = "5", description = "iperf3 test duration in seconds (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "20",
            description = "unmeasured iperf3 test before each path's runs, so the JIT has compiled the data path (default ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--repeat", defaultValue = "3", description = "runs per figure; the table shows the median (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--streams", defaultValue = "4", description = "TCP streams of the parallel column; 0 leaves it out (default ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--round-trips", defaultValue = "2000", description = "measured UDP and TCP round trips per run (default ${DEFAULT-VALUE})")
    int roundTrips;

    @Option(names = "--warmup-round-trips", defaultValue = "200", description = "unmeasured round trips first (default ${DEFAULT-VALUE})")
    int warmupRoundTrips;

    @Option(names = "--out", defaultValue = "benchmarks/results/system.md", description = "Markdown file to (over)write (default ${DEFAULT-VALUE})")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SystemBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<PathCatalog.Spec> specs;
        try {
            specs = checkedOptions();
        } catch (IllegalArgumentException e) {
            System.err.println("system-benchmark: " + e.getMessage());
            return 2;
        }
        if (!"0".equals(Netns.exec(List.of("id", "-u"), 10).strip())) {
            System.err.println("system-benchmark: must run as root (it creates network namespaces)");
            return 2;
        }
        List<String> missing = missingTools(specs);
        if (!missing.isEmpty()) {
            System.err.println("system-benchmark: missing programs for the selected paths: " + String.join(", ", missing)
                    + "; install the packages named, or leave those paths out with --paths");
            return 2;
        }
        MachineInfo machine = MachineInfo.collect();
        log("machine: " + machine.cpus() + " CPUs, " + machine.cpuModel() + ", kernel " + machine.kernel() + ", " + machine.jdk());
        log("paths: " + specs.stream().map(PathCatalog.Spec::key).collect(Collectors.joining(",")));
        double busyBefore = CpuMeter.machineBusy(2000);
        String loadBefore = loadAverage();
        log("machine busy before the run: " + Report.fmt(busyBefore) + " % (load average " + loadBefore + ")");
        List<PathResult> results = new ArrayList<>();
        Path work = Files.createTempDirectory("steadfast-system-benchmark-"); // profiles, keys, logs
        Cleanup.Registration deleteWork = Cleanup.onExit(() -> deleteTree(work));
        try {
            RowRunner rows = new RowRunner(SystemBenchmark::log, settings());
            results.addAll(interleave ? rows.interleaved(specs, work) : rows.oneAfterAnother(specs, work));
        } finally {
            deleteWork.run();
        }
        double busyAfter = CpuMeter.machineBusy(2000);
        Report.Background background = new Report.Background(busyBefore, loadBefore, busyAfter, loadAverage());
        log("machine busy after the run: " + Report.fmt(busyAfter) + " % (load average " + background.loadAfter() + ")");
        String report = Report.markdown(machine, background, new Report.Settings(seconds, warmupSeconds, repeat, streams,
                MESSAGE_SIZE, warmupRoundTrips, roundTrips, specs, interleave, toolVersions(specs)), results);
        System.out.println();
        System.out.print(report);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        log("written to " + out.toAbsolutePath());
        return leftoverNamespaces() ? 1 : 0;
    }

    /** Checks the numeric options and returns the selected rows; throws with a message for the user. */
    List<PathCatalog.Spec> checkedOptions() {
        if (seconds < 1 || warmupSeconds < 1 || repeat < 1 || streams < 0 || roundTrips < 1 || warmupRoundTrips < 0) {
            throw new IllegalArgumentException("--seconds, --warmup-seconds, --repeat and --round-trips must be at least 1, "
                    + "--streams and --warmup-round-trips at least 0");
        }
        return PathCatalog.select(paths);
    }

    /** The programs the rows need that are not installed, as "program (Debian package)". */
    static List<String> missingTools(List<PathCatalog.Spec> specs) {
        Set<String> tools = new LinkedHashSet<>(BASE_TOOLS);
        specs.forEach(s -> tools.addAll(s.tools()));
        Set<String> missing = new LinkedHashSet<>(Commands.missing(tools.stream().map(PathCatalog::program).toList()));
        return tools.stream().filter(t -> missing.contains(PathCatalog.program(t))).toList();
    }

    /** The first line of {@code --version} of iperf3 and of each anchor's program. */
    private static List<String> toolVersions(List<PathCatalog.Spec> specs) {
        List<String> v = new ArrayList<>(List.of("iperf3: " + Commands.firstLine("iperf3", "--version")));
        if (specs.stream().anyMatch(s -> s.key().equals("wg"))) v.add("wireguard-go: " + Commands.firstLine("wireguard-go", "--version"));
        if (specs.stream().anyMatch(s -> s.key().equals("ovpn"))) v.add("openvpn: " + Commands.firstLine("openvpn", "--version"));
        if (specs.stream().anyMatch(s -> s.key().startsWith("sw"))) {
            v.add("strongSwan: " + Commands.firstLine(io.steadfast.pipeline.testbed.Charon.CHARON.toString(), "--version"));
        }
        return v;
    }

    private PathMeasurement.Settings settings() {
        return new PathMeasurement.Settings(seconds, warmupSeconds, repeat, streams, MESSAGE_SIZE, warmupRoundTrips,
                roundTrips, UDP_ECHO_PORT, TCP_ECHO_PORT);
    }

    /** True (and says so) if a namespace of this run is still there. */
    private static boolean leftoverNamespaces() throws IOException {
        String prefix = "sft-" + ProcessHandle.current().pid() + "-";
        List<String> left = Netns.exec(List.of("ip", "netns", "list"), 10).lines()
                .filter(l -> l.startsWith(prefix)).toList();
        if (left.isEmpty()) {
            log("namespaces of this run: all deleted");
            return false;
        }
        System.err.println("system-benchmark: namespaces left behind: " + left);
        return true;
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    static void log(String message) {
        System.out.println("[system-benchmark] " + message);
    }

    static void log(String label, String message) {
        log(label + ": " + message);
    }
}
