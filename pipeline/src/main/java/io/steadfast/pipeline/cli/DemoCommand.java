package io.steadfast.pipeline.cli;

import io.steadfast.pipeline.demo.FailoverDemo;
import io.steadfast.pipeline.demo.PingDemo;
import io.steadfast.pipeline.profile.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steadfast demo}: the paper's failover experiment in network namespaces of its own (needs root). */
@Command(name = "demo", description = {
        "Run the paper's experiment (its Figure 6) in fresh network namespaces (root): a TCP transfer from a server",
        "to the client's stable address; gateway 1 fails mid-transfer; the client moves to gateway 2 by itself and the",
        "relay keeps the stream alive. Writes failover.csv and failover.svg (throughput per 100 ms, failure and switch",
        "marked) and prints the outage. --ping runs the small first demo instead."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--ping", description = "Run the ping demo: a profile-built TUN pipeline answers the kernel's pings.")
    boolean ping;

    @Option(names = {"-c", "--config"}, description = "Ping demo profile (default: examples/demo-ping.conf under STEADFAST_HOME or the working directory).")
    Path file;

    @Option(names = "--count", defaultValue = "5", description = "Ping demo: pings to send (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--out", defaultValue = "demo-output", description = "Where the CSV, the plot, profiles and logs go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seconds", defaultValue = "10", description = "Length of the transfer in seconds (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--fail-at", defaultValue = "4", description = "When gateway 1 fails, seconds after the start (default: ${DEFAULT-VALUE}).")
    double failAt;

    @Option(names = "--failure", defaultValue = "kill", description = "kill (its process dies: the VPN layer) or cut (its path goes down: the network layer); default: ${DEFAULT-VALUE}.")
    String failure;

    @Option(names = "--strongswan", description = "Gateways 1 and 2 are strongSwan's charon (IKEv2 with our client, kernel-libipsec) instead of ours.")
    boolean strongSwan;

    @Option(names = "--cold", description = "With --strongswan: cold standby (IKE with gateway 2 only when the client fails over).")
    boolean cold;

    @Option(names = "--mbit", defaultValue = "100", description = "The server's sending rate in Mbit/s (the paper's LAN: 100; default: ${DEFAULT-VALUE}).")
    double mbit;

    @Override
    public Integer call() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("the demo creates network namespaces and TUN devices: run it as root");
            return 2;
        }
        if (ping) {
            Profile profile = Profiles.loadOrReport(file != null ? file : defaultProfile(), System.err);
            if (profile == null) return 2;
            return new PingDemo(profile, System.out, count).run() ? 0 : 1;
        }
        FailoverDemo.Failure kind = switch (failure) {
            case "kill" -> FailoverDemo.Failure.KILL;
            case "cut" -> FailoverDemo.Failure.CUT;
            default -> null;
        };
        if (kind == null) {
            System.err.println("--failure takes kill or cut, not \"" + failure + "\"");
            return 2;
        }
        if (cold && !strongSwan) {
            System.err.println("--cold needs --strongswan: our own gateways use manual keys, always up");
            return 2;
        }
        if (mbit <= 0 || seconds <= 0 || failAt <= 0 || failAt >= seconds) {
            System.err.println("need --mbit > 0 and 0 < --fail-at < --seconds");
            return 2;
        }
        try {
            FailoverDemo.Result r = new FailoverDemo(new FailoverDemo.Options(out, seconds, failAt, kind, mbit, strongSwan, cold), System.out).run();
            return r.completed() && r.checksumMatched() ? 0 : 1;
        } catch (java.io.IOException e) {
            System.err.println("demo: failed: " + e.getMessage());
            return 1;
        }
    }

    private static Path defaultProfile() {
        String home = System.getenv("STEADFAST_HOME");
        Path p = Path.of(home != null ? home : ".", "examples", "demo-ping.conf");
        return Files.exists(p) ? p : Path.of("examples", "demo-ping.conf");
    }
}
