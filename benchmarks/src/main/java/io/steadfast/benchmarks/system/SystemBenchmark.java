package io.steadfast.benchmarks.system;

import io.steadfast.esp.EspAlgorithm;
import io.steadfast.handlers.tun.Netns;
import io.steadfast.pipeline.testbed.EspTunnel;
import io.steadfast.pipeline.testbed.SteadfastProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ESP system benchmark: in network namespaces it creates (client C - gateway G - server S, see
 * {@link EspTunnel}), TCP throughput (iperf3) and the UDP round trip of 64-byte messages, first over bare
 * kernel routing, then through our client and gateway (ESP in UDP 4500, AES-128-GCM, then ChaCha20-Poly1305).
 * Our client and gateway run with the JVM options the {@code steadfast} launcher passes, nothing else. Prints a
 * Markdown table with ratios to bare routing and writes it to {@code --out}. Needs root and iperf3; about 5 minutes.
 *
 * <pre>
 * sudo benchmarks/system-benchmark.sh [--seconds 5] [--warmup-seconds 20] [--repeat 3] [--streams 4] [--out benchmarks/results/esp-system.md]
 * # which runs, from the repository root:
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *     -cp benchmarks/target/benchmarks.jar io.steadfast.benchmarks.system.SystemBenchmark
 * </pre>
 */
@Command(name = "system-benchmark",
        description = "TCP throughput and UDP round trip: bare routing vs. steadfast client + gateway (ESP in UDP), in network namespaces.")
public final class SystemBenchmark implements Callable<Integer> {
    static final int ECHO_PORT = 7007;
    static final int MESSAGE_SIZE = 64;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--seconds", defaultValue = "5", description = "iperf3 test duration in seconds (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "20",
            description = "unmeasured iperf3 test before each path's runs, so the JIT has compiled the data path (default ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--repeat", defaultValue = "3", description = "runs per figure; the table shows the median (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--streams", defaultValue = "4", description = "TCP streams of the parallel row; 0 leaves it out (default ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--round-trips", defaultValue = "2000", description = "measured UDP round trips per run (default ${DEFAULT-VALUE})")
    int roundTrips;

    @Option(names = "--warmup-round-trips", defaultValue = "200", description = "unmeasured UDP round trips first (default ${DEFAULT-VALUE})")
    int warmupRoundTrips;

    @Option(names = "--out", defaultValue = "benchmarks/results/esp-system.md", description = "Markdown file to (over)write (default ${DEFAULT-VALUE})")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SystemBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || warmupSeconds < 1 || repeat < 1 || streams < 0 || roundTrips < 1 || warmupRoundTrips < 0) {
            System.err.println("system-benchmark: --seconds, --warmup-seconds, --repeat and --round-trips must be at least 1, the others at least 0");
            return 2;
        }
        if (!"0".equals(Netns.exec(List.of("id", "-u"), 10).strip())) {
            System.err.println("system-benchmark: must run as root (it creates network namespaces)");
            return 2;
        }
        MachineInfo machine = MachineInfo.collect();
        log("machine: " + machine.cpus() + " CPUs, " + machine.cpuModel() + ", kernel " + machine.kernel() + ", " + machine.jdk());
        double busyBefore = CpuMeter.machineBusy(2000);
        String loadBefore = loadAverage();
        log("machine busy before the run: " + Report.fmt(busyBefore) + " % (load average " + loadBefore + ")");
        List<PathResult> paths = new ArrayList<>();
        Path work = Files.createTempDirectory("steadfast-system-benchmark-"); // profiles, keys, logs
        Cleanup.Registration deleteWork = Cleanup.onExit(() -> deleteTree(work));
        try {
            paths.addAll(bareThenTunnel(work.resolve("aes"), EspAlgorithm.AES128GCM16));
            paths.addAll(tunnelOnly(work.resolve("chacha"), EspAlgorithm.CHACHA20POLY1305));
        } finally {
            deleteWork.run();
        }
        double busyAfter = CpuMeter.machineBusy(2000);
        Report.Background background = new Report.Background(busyBefore, loadBefore, busyAfter, loadAverage());
        log("machine busy after the run: " + Report.fmt(busyAfter) + " % (load average " + background.loadAfter() + ")");
        String report = Report.markdown(machine, background, new Report.Settings(seconds, warmupSeconds, repeat, streams, MESSAGE_SIZE,
                warmupRoundTrips, roundTrips), paths);
        System.out.println();
        System.out.print(report);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        log("written to " + out.toAbsolutePath());
        return leftoverNamespaces() ? 1 : 0;
    }

    /** (a) bare routing in a fresh topology, then (b) our tunnel in the same namespaces. */
    private List<PathResult> bareThenTunnel(Path dir, EspAlgorithm algorithm) throws Exception {
        Files.createDirectories(dir);
        EspTunnel t = new EspTunnel(dir, algorithm);
        Cleanup.Registration closeTunnel = Cleanup.onExit(t::close);
        try {
            t.bed.route(t.client, "10.2.0.0/24", "10.1.0.2");
            t.bed.route(t.server, "10.1.0.0/24", "10.2.0.1"); // the way back; S only knows 10.9.0.0/24 via G
            PathResult bare = measure("(a) bare veth routing", t, null, null);
            t.client.run("ip", "route", "del", "10.2.0.0/24", "via", "10.1.0.2");
            t.server.run("ip", "route", "del", "10.1.0.0/24", "via", "10.2.0.1");
            List<PathResult> paths = new ArrayList<>(List.of(bare));
            paths.addAll(tunnel(t, dir, algorithm));
            return paths;
        } finally {
            closeTunnel.run();
        }
    }

    private List<PathResult> tunnelOnly(Path dir, EspAlgorithm algorithm) throws Exception {
        Files.createDirectories(dir);
        EspTunnel t = new EspTunnel(dir, algorithm);
        Cleanup.Registration closeTunnel = Cleanup.onExit(t::close);
        try {
            return tunnel(t, dir, algorithm);
        } finally {
            closeTunnel.run();
        }
    }

    /** Our client and gateway, with the launcher's JVM options only. */
    private List<PathResult> tunnel(EspTunnel t, Path dir, EspAlgorithm algorithm) throws Exception {
        String name = switch (algorithm) {
            case AES128GCM16 -> "AES-128-GCM";
            case CHACHA20POLY1305 -> "ChaCha20-Poly1305";
            default -> algorithm.keyword();
        };
        log("starting steadfast client and gateway (" + algorithm.keyword() + ")");
        t.start();
        return List.of(measure("(b) steadfast client + gateway, ESP-in-UDP, " + name, t, t.clientProcess(), t.gatewayProcess()));
    }

    /**
     * All figures of one path: TCP one stream, TCP parallel streams, UDP round trip, each {@code repeat} times.
     * {@code client} and {@code gateway} are our processes on the path, or null for bare routing.
     */
    private PathResult measure(String label, EspTunnel t, SteadfastProcess client, SteadfastProcess gateway)
            throws Exception {
        boolean tunnel = client != null;
        PathResult r = new PathResult(label);
        long[] pids = tunnel ? new long[] {client.process().pid(), gateway.process().pid()} : new long[0];
        log(label + ": TCP warm-up " + warmupSeconds + " s");
        r.warmupMbits = Iperf3.run(t.server, EspTunnel.SERVER, t.client, warmupSeconds, 1).mbitsPerSecond();
        log(label + ": warm-up " + Report.fmt(r.warmupMbits) + " Mbit/s (not counted)");
        for (int i = 1; i <= repeat; i++) {
            CpuMeter meter = CpuMeter.start(pids);
            Iperf3.Result x = Iperf3.run(t.server, EspTunnel.SERVER, t.client, seconds, 1);
            CpuMeter.Usage cpu = meter.stop();
            r.single.add(x);
            r.singleCpu.add(cpu);
            log(label + ": TCP 1 stream, run " + i + ": " + Report.fmt(x.mbitsPerSecond()) + " Mbit/s, "
                    + x.retransmits() + " retransmits, machine " + Report.fmt(cpu.machinePercent()) + " % busy (user "
                    + Report.fmt(cpu.userPercent()) + ", system " + Report.fmt(cpu.systemPercent()) + ", irq "
                    + Report.fmt(cpu.softirqPercent()) + ")"
                    + (tunnel ? ", client JVM " + Report.fmt(cpu.processPercent()[0]) + " %, gateway JVM "
                            + Report.fmt(cpu.processPercent()[1]) + " % of a CPU" : ""));
        }
        for (int i = 1; i <= repeat && streams > 0; i++) {
            Iperf3.Result x = Iperf3.run(t.server, EspTunnel.SERVER, t.client, seconds, streams);
            r.parallel.add(x);
            log(label + ": TCP " + streams + " streams, run " + i + ": " + Report.fmt(x.mbitsPerSecond()) + " Mbit/s");
        }
        try (UdpRoundTrip.Echo echo = UdpRoundTrip.Echo.start(t.server.name(), new InetSocketAddress(EspTunnel.SERVER, ECHO_PORT))) {
            for (int i = 1; i <= repeat; i++) {
                UdpRoundTrip.Result x = UdpRoundTrip.measure(t.client.name(), echo.address(), MESSAGE_SIZE,
                        warmupRoundTrips, roundTrips);
                r.udp.add(x);
                log(label + ": UDP round trip, run " + i + ": median " + Report.fmt(x.medianMicros()) + " us, p99 "
                        + Report.fmt(x.p99Micros()) + " us, lost " + x.lost());
            }
        }
        if (tunnel) collectTunnelState(r, t, client, gateway);
        return r;
    }

    /** Status, drop counters and JVM options of client and gateway after the runs. */
    private static void collectTunnelState(PathResult r, EspTunnel t, SteadfastProcess client, SteadfastProcess gateway)
            throws IOException {
        String clientStatus = client.status();
        String gatewayStatus = gateway.status();
        log("client status:\n" + clientStatus.stripTrailing());
        log("gateway status:\n" + gatewayStatus.stripTrailing());
        r.drops.add(DropReport.of("client", t.client, "sf-c", clientStatus));
        r.drops.add(DropReport.of("gateway", t.gateway, "sf-g", gatewayStatus));
        r.jvmOptions = jvmOptions(client.process().pid());
    }

    /** The -D/-X/-- options on a process's command line, up to its class path. */
    private static String jvmOptions(long pid) {
        try {
            String[] args = Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0");
            return Arrays.stream(args).takeWhile(a -> !a.equals("-cp"))
                    .filter(a -> a.startsWith("-")).collect(Collectors.joining(" "));
        } catch (IOException e) {
            return "?";
        }
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
    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static void log(String message) {
        System.out.println("[system-benchmark] " + message);
    }
}
