package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Measures one open row, in steps that {@link SystemBenchmark} runs either row after row or interleaved with
 * other rows: {@link #prepare()} (the path answers, then an unmeasured TCP warm-up), each run of one-stream TCP
 * (with CPU use of the machine and of the row's tunnel processes), of parallel-stream TCP, of the UDP and of the
 * TCP round trip; then {@link #finish()} (the row's drop counters).
 *
 * <pre>{@code
 * PathMeasurement m = new PathMeasurement(log, settings, spec, path);
 * PathResult r = m.all(); // or: m.prepare(); m.single(1); ...; m.finish()
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
    private final BenchPath path;
    private final String label;
    private final PathResult r;
    private long[] pids = new long[0];

    PathMeasurement(Log log, Settings settings, PathCatalog.Spec spec, BenchPath path) {
        this.log = log;
        this.s = settings;
        this.path = path;
        this.label = spec.label();
        this.r = new PathResult(spec);
    }

    /** Every step, run after run: what a row does when rows are not interleaved. */
    PathResult all() throws Exception {
        prepare();
        for (int i = 1; i <= s.repeat(); i++) single(i);
        for (int i = 1; i <= s.repeat(); i++) parallel(i);
        for (int i = 1; i <= s.repeat(); i++) udp(i);
        for (int i = 1; i <= s.repeat(); i++) tcp(i);
        return finish();
    }

    /** Checks the server answers, notes the tunnel processes, runs the unmeasured warm-up, checks it took the path. */
    void prepare() throws Exception {
        awaitPath(path);
        pids = path.processes().stream().mapToLong(BenchPath.Tracked::pid).toArray();
        path.processes().forEach(t -> r.roles.add(t.role()));
        log.line(label, "TCP warm-up " + s.warmupSeconds() + " s");
        r.warmupMbits = Iperf3.run(path.server(), path.serverAddress(), path.client(), s.warmupSeconds(), 1).mbitsPerSecond();
        log.line(label, "warm-up " + Report.fmt(r.warmupMbits) + " Mbit/s (not counted)");
        path.verify();
    }

    /** Run {@code i} of one TCP stream, with CPU use. */
    void single(int i) throws Exception {
        CpuMeter meter = CpuMeter.start(pids);
        Iperf3.Result x = Iperf3.run(path.server(), path.serverAddress(), path.client(), s.seconds(), 1);
        CpuMeter.Usage cpu = meter.stop();
        r.single.add(x);
        r.singleCpu.add(cpu);
        log.line(label, "TCP 1 stream, run " + i + ": " + Report.fmt(x.mbitsPerSecond()) + " Mbit/s, "
                + x.retransmits() + " retransmits, machine " + Report.fmt(cpu.machinePercent()) + " % busy" + processes(cpu));
    }

    /** Run {@code i} of parallel TCP streams (nothing if {@code streams} is 0). */
    void parallel(int i) throws Exception {
        if (s.streams() == 0) return;
        Iperf3.Result x = Iperf3.run(path.server(), path.serverAddress(), path.client(), s.seconds(), s.streams());
        r.parallel.add(x);
        log.line(label, "TCP " + s.streams() + " streams, run " + i + ": " + Report.fmt(x.mbitsPerSecond()) + " Mbit/s");
    }

    /** Run {@code i} of UDP round trips. */
    void udp(int i) throws Exception {
        try (UdpRoundTrip.Echo echo = UdpRoundTrip.Echo.start(path.server().name(), new InetSocketAddress(path.serverAddress(), s.udpPort()))) {
            RoundTrip x = UdpRoundTrip.measure(path.client().name(), echo.address(), s.messageSize(), s.warmupRoundTrips(), s.roundTrips());
            r.udp.add(x);
            log.line(label, "UDP round trip, run " + i + ": median " + Report.fmt(x.medianMicros()) + " us, p99 "
                    + Report.fmt(x.p99Micros()) + " us, lost " + x.lost());
        }
    }

    /** Run {@code i} of TCP round trips (a new connection each run). */
    void tcp(int i) throws Exception {
        try (TcpRoundTrip.Echo echo = TcpRoundTrip.Echo.start(path.server().name(), new InetSocketAddress(path.serverAddress(), s.tcpPort()))) {
            RoundTrip x = TcpRoundTrip.measure(path.client().name(), echo.address(), s.messageSize(), s.warmupRoundTrips(), s.roundTrips());
            r.tcp.add(x);
            log.line(label, "TCP round trip, run " + i + ": median " + Report.fmt(x.medianMicros()) + " us, p99 "
                    + Report.fmt(x.p99Micros()) + " us");
        }
    }

    /** Collects drop counters and JVM options; returns everything measured. */
    PathResult finish() throws IOException {
        r.drops.addAll(path.drops());
        r.jvmOptions = path.jvmOptions();
        r.drops.forEach(d -> log.line(label, d));
        return r;
    }

    /** ", client 67 %, gateway 76 % of a CPU" for the row's tunnel processes, or "" if it has none. */
    private String processes(CpuMeter.Usage cpu) {
        if (r.roles.isEmpty()) return "";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.roles.size(); i++) {
            b.append(", ").append(r.roles.get(i)).append(' ').append(Report.fmt(cpu.processPercent()[i])).append(" %");
        }
        return b.append(" of a CPU").toString();
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
