package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Measures one open row: checks the path answers, then an unmeasured TCP warm-up, one-stream TCP runs (with
 * CPU use of the machine and of the row's tunnel processes), parallel-stream runs, UDP and TCP round trips,
 * each {@code repeat} times; then the row's drop counters.
 *
 * <pre>{@code
 * PathResult r = new PathMeasurement(log, settings).measure(spec, path);
 * }</pre>
 */
final class PathMeasurement {
    private static final int PATH_CHECK_SECONDS = 15;

    /** Progress lines: the row's label and a message. */
    interface Log {
        void line(String label, String message);
    }

    /** What to measure and how long; see {@link SystemBenchmark}'s options. */
    record Settings(int seconds, int warmupSeconds, int repeat, int streams, int messageSize, int warmupRoundTrips,
                    int roundTrips, int udpPort, int tcpPort) {}

    private final Log log;
    private final Settings s;

    PathMeasurement(Log log, Settings settings) {
        this.log = log;
        this.s = settings;
    }

    PathResult measure(PathCatalog.Spec spec, BenchPath path) throws Exception {
        PathResult r = new PathResult(spec);
        String label = spec.label();
        awaitPath(path);
        long[] pids = path.processes().stream().mapToLong(BenchPath.Tracked::pid).toArray();
        path.processes().forEach(t -> r.roles.add(t.role()));
        log.line(label, "TCP warm-up " + s.warmupSeconds() + " s");
        r.warmupMbits = Iperf3.run(path.server(), path.serverAddress(), path.client(), s.warmupSeconds(), 1).mbitsPerSecond();
        log.line(label, "warm-up " + Report.fmt(r.warmupMbits) + " Mbit/s (not counted)");
        for (int i = 1; i <= s.repeat(); i++) {
            CpuMeter meter = CpuMeter.start(pids);
            Iperf3.Result x = Iperf3.run(path.server(), path.serverAddress(), path.client(), s.seconds(), 1);
            CpuMeter.Usage cpu = meter.stop();
            r.single.add(x);
            r.singleCpu.add(cpu);
            log.line(label, "TCP 1 stream, run " + i + ": " + Report.fmt(x.mbitsPerSecond()) + " Mbit/s, "
                    + x.retransmits() + " retransmits, machine " + Report.fmt(cpu.machinePercent()) + " % busy"
                    + processes(r, cpu));
        }
        for (int i = 1; i <= s.repeat() && s.streams() > 0; i++) {
            Iperf3.Result x = Iperf3.run(path.server(), path.serverAddress(), path.client(), s.seconds(), s.streams());
            r.parallel.add(x);
            log.line(label, "TCP " + s.streams() + " streams, run " + i + ": " + Report.fmt(x.mbitsPerSecond()) + " Mbit/s");
        }
        InetSocketAddress udp = new InetSocketAddress(path.serverAddress(), s.udpPort());
        try (UdpRoundTrip.Echo echo = UdpRoundTrip.Echo.start(path.server().name(), udp)) {
            for (int i = 1; i <= s.repeat(); i++) {
                RoundTrip x = UdpRoundTrip.measure(path.client().name(), echo.address(), s.messageSize(), s.warmupRoundTrips(), s.roundTrips());
                r.udp.add(x);
                log.line(label, "UDP round trip, run " + i + ": median " + Report.fmt(x.medianMicros()) + " us, p99 "
                        + Report.fmt(x.p99Micros()) + " us, lost " + x.lost());
            }
        }
        InetSocketAddress tcp = new InetSocketAddress(path.serverAddress(), s.tcpPort());
        try (TcpRoundTrip.Echo echo = TcpRoundTrip.Echo.start(path.server().name(), tcp)) {
            for (int i = 1; i <= s.repeat(); i++) {
                RoundTrip x = TcpRoundTrip.measure(path.client().name(), echo.address(), s.messageSize(), s.warmupRoundTrips(), s.roundTrips());
                r.tcp.add(x);
                log.line(label, "TCP round trip, run " + i + ": median " + Report.fmt(x.medianMicros()) + " us, p99 "
                        + Report.fmt(x.p99Micros()) + " us");
            }
        }
        r.drops.addAll(path.drops());
        r.jvmOptions = path.jvmOptions();
        r.drops.forEach(d -> log.line(label, d));
        return r;
    }

    /** ", client 67 %, gateway 76 % of a CPU" for the row's tunnel processes, or "" if it has none. */
    private static String processes(PathResult r, CpuMeter.Usage cpu) {
        if (r.roles.isEmpty()) return "";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < r.roles.size(); i++) {
            s.append(", ").append(r.roles.get(i)).append(' ').append(Report.fmt(cpu.processPercent()[i])).append(" %");
        }
        return s.append(" of a CPU").toString();
    }

    /** Pings the server from the client until it answers (a tunnel may need a handshake first); throws if it never does. */
    private static void awaitPath(BenchPath path) throws IOException, InterruptedException {
        Netns client = path.client();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATH_CHECK_SECONDS);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                client.run("ping", "-c", "1", "-W", "1", path.serverAddress());
                return;
            } catch (IOException e) {
                last = e.getMessage();
            }
            Thread.sleep(200);
        }
        throw new IOException("the server " + path.serverAddress() + " does not answer pings from the client within "
                + PATH_CHECK_SECONDS + " s: the path is broken: " + last);
    }
}
