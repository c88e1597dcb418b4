package io.steadfast.pipeline.demo;

import io.steadfast.pipeline.testbed.RoamingNetwork;
import io.steadfast.pipeline.testbed.TcpTransfer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The paper's experiment (its Figure 6) in network namespaces: a client with two gateways on separate
 * paths, the cloud with our relay and a server, a TCP transfer from the server to the client's stable
 * address, gateway 1 failing at a set time, and the client failing over to gateway 2 by itself. Writes the
 * received throughput at 100 ms resolution as CSV and as an SVG plot with the failure and the switch
 * marked, and ends with one summary line.
 *
 * <pre>{@code
 * boolean ok = new FailoverDemo(FailoverDemo.Options.defaults(Path.of("demo-output")), System.out).run();
 * }</pre>
 */
public final class FailoverDemo {
    private static final int BIN_MILLIS = 100;
    private static final Pattern SWITCH = Pattern.compile("switched gw-a -> gw-b: (.*?), (\\d+) ms ago");

    /** How gateway 1 fails. */
    public enum Failure {
        /** Its steadfast process is killed (SIGKILL): a VPN-layer failure, the host still routes. */
        KILL,
        /** The client's link to it goes down: a network-layer failure. */
        CUT
    }

    /**
     * @param out      where the CSV, the SVG, the profiles and the logs go
     * @param seconds  how long the transfer runs
     * @param failAt   when gateway 1 fails, in seconds after the start
     * @param failure  how it fails
     * @param mbit     the server's sending rate in Mbit/s (the paper's LAN was 100)
     * @param strongSwan the two gateways are strongSwan's charon (IKEv2 with our client) instead of ours
     * @param cold       with strongSwan: IKE with gateway 2 only when the client fails over (cold standby)
     */
    public record Options(Path out, double seconds, double failAt, Failure failure, double mbit, boolean strongSwan, boolean cold) {
        public static Options defaults(Path out) {
            return new Options(out, 10, 4, Failure.KILL, 100, false, false);
        }
    }

    /** What the run showed. */
    public record Result(boolean completed, boolean checksumMatched, long outageMillis, double switchedAtSeconds, String summary) {}

    private final Options options;
    private final PrintStream out;

    public FailoverDemo(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the experiment; throws if the test bed cannot be built. */
    public Result run() throws Exception {
        if (options.failAt() <= 0 || options.failAt() >= options.seconds()) {
            throw new IllegalArgumentException("the failure must come during the transfer: 0 < fail-at (" + options.failAt()
                    + " s) < seconds (" + options.seconds() + " s)");
        }
        Path runDir = Files.createDirectories(options.out().toAbsolutePath().resolve("run"));
        long rate = (long) (options.mbit() * 1e6 / 8);
        long bytes = (long) (rate * options.seconds());
        Timeline timeline = new Timeline(BIN_MILLIS);
        out.printf("demo: building the paper's network in namespaces (client, %s gateways 1 and 2, cloud router with the relay, server)%n",
                options.strongSwan() ? "strongSwan" : "our");
        RoamingNetwork bed = new RoamingNetwork(runDir, 1).withFailover();
        if (options.strongSwan()) bed.withStrongSwanGateways();
        if (options.cold()) bed.withColdStandby();
        try (RoamingNetwork net = bed.start(true)) {
            net.awaitBound(1, RoamingNetwork.careOfA(1));
            out.printf("demo: the client is up on gateway 1, its stable address %s bound at the relay to %s%n",
                    RoamingNetwork.stable(1), RoamingNetwork.careOfA(1));
            out.printf("demo: %s of TCP from the server %s to %s at %.0f Mbit/s; gateway 1 %s at %.1f s%n", mib(bytes),
                    RoamingNetwork.SERVER, RoamingNetwork.stable(1), options.mbit(),
                    options.failure() == Failure.KILL ? (options.strongSwan() ? "(its charon) is killed" : "is killed") : "loses its path",
                    options.failAt());
            out.println("demo: warming up (a 64 MiB transfer first, so that the JIT has compiled the data path)");
            try (TcpTransfer warmUp = TcpTransfer.start(net.server, RoamingNetwork.SERVER, 5000, net.client(1), RoamingNetwork.stable(1),
                    64L << 20, 5)) {
                TcpTransfer.Result w = warmUp.await(Duration.ofSeconds(60));
                if (!w.intact()) throw new IOException("the warm-up transfer failed: " + w);
            }
            TcpTransfer.Result transfer;
            String status;
            try (TcpTransfer t = TcpTransfer.start(net.server, RoamingNetwork.SERVER, 5001, net.client(1), RoamingNetwork.stable(1),
                    bytes, 6, rate)) {
                long start = System.nanoTime();
                boolean failed = false;
                long bin = 0;
                while (true) {
                    bin++;
                    long due = start + bin * BIN_MILLIS * 1_000_000L;
                    long wait = due - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    double now = bin * BIN_MILLIS / 1000.0;
                    timeline.sample(now, t.received());
                    if (!failed && now >= options.failAt()) {
                        fail(net);
                        timeline.mark(secondsSince(start), options.failure() == Failure.KILL ? "gateway 1 killed" : "path to gateway 1 cut");
                        failed = true;
                    }
                    boolean done = t.received() >= bytes;
                    if (done || now > options.seconds() + 30) break;
                }
                transfer = t.await(Duration.ofSeconds(5));
                status = net.clientProcess(1).status();
                double statusAt = secondsSince(start);
                Matcher m = SWITCH.matcher(status);
                if (m.find()) {
                    timeline.mark(statusAt - Long.parseLong(m.group(2)) / 1000.0, "switched to gateway 2 (" + m.group(1) + ")");
                }
            }
            Files.writeString(options.out().resolve("failover.csv"), timeline.csv());
            Files.writeString(options.out().resolve("failover.svg"), TimelinePlot.svg(timeline, String.format(Locale.ROOT,
                    "Steadfast: TCP server -> client across a gateway failure (%.0f Mbit/s, %d ms bins)", options.mbit(), BIN_MILLIS)));
            out.println("demo: client status at the end");
            status.lines().forEach(l -> out.println("  | " + l));
            double switchedAt = timeline.marks().size() > 1 ? timeline.marks().get(1).seconds() : Double.NaN;
            boolean completed = transfer.finished() && transfer.received() == bytes && transfer.clientError() == null;
            boolean matched = transfer.intact();
            long outage = transfer.largestGap().toMillis();
            String summary = String.format(Locale.ROOT, "outage %d ms (the paper's: about 5300 ms), transfer completed: %s, checksum matched: %s",
                    outage, completed ? "yes" : "NO", matched ? "yes" : "NO");
            out.printf("demo: wrote %s and %s (profiles and logs in %s)%n", options.out().resolve("failover.csv"),
                    options.out().resolve("failover.svg"), runDir);
            out.println("demo: " + summary);
            return new Result(completed, matched, outage, switchedAt, summary);
        }
    }

    private void fail(RoamingNetwork net) throws IOException, InterruptedException {
        if (options.failure() == Failure.KILL) net.killGatewayA();
        else net.cutPathToA(1);
    }

    private static double secondsSince(long start) {
        return (System.nanoTime() - start) / 1e9;
    }


    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
