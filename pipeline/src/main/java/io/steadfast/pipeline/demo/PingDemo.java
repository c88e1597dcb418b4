package io.steadfast.pipeline.demo;

import io.steadfast.pipeline.config.Ipv4Prefix;
import io.steadfast.pipeline.control.ControlClient;
import io.steadfast.pipeline.profile.Profile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo: a network namespace of its own, a Steadfast instance inside it running a profile whose TUN
 * pipeline answers pings, the kernel's {@code ping} against it, the instance's status, and a clean stop
 * that leaves nothing behind. Later issues grow this into the paper's failover experiment.
 */
public final class PingDemo {
    private final Profile profile;
    private final PrintStream out;
    private final int count;

    public PingDemo(Profile profile, PrintStream out, int count) {
        this.profile = profile;
        this.out = out;
        this.count = count;
    }

    /** Runs the demo; returns true if every ping was answered and everything was cleaned up. */
    public boolean run() throws IOException, InterruptedException {
        if (profile.tun().addresses().isEmpty()) {
            throw new IllegalArgumentException(profile.file() + ": the demo needs a TUN address to ping next to");
        }
        String ns = "sfdemo-" + ProcessHandle.current().pid();
        Ipv4Prefix own = profile.tun().addresses().get(0);
        String target = new Ipv4Prefix(own.address() + 1, 32).addressText();
        exec("ip", "netns", "add", ns);
        Process child = null;
        boolean ok = false;
        try {
            exec("ip", "-n", ns, "link", "set", "lo", "up");
            out.printf("demo: namespace %s; starting steadfast %s -c %s inside it%n", ns, profile.kind().label(), profile.file());
            child = new ProcessBuilder(childCommand(ns)).inheritIO().start();
            waitUntilReady(child);
            out.printf("demo: %s is up; the kernel pings %s, routed into %s, where stage icmp-echo answers%n",
                    profile.tun().name(), target, profile.tun().name());
            Process ping = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-c", String.valueOf(count),
                    "-i", "0.2", "-W", "1", target).redirectErrorStream(true).start();
            String pingOut = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean pinged = ping.waitFor(30, TimeUnit.SECONDS) && ping.exitValue() == 0;
            out.print(pingOut);
            out.println("demo: steadfast status");
            out.print(ControlClient.request(profile.controlSocket(), "status"));
            child.destroy(); // SIGTERM: the instance removes its TUN and control socket
            boolean stopped = child.waitFor(15, TimeUnit.SECONDS) && child.exitValue() == 0;
            boolean tunGone = !succeeds("ip", "-n", ns, "link", "show", "dev", profile.tun().name());
            ok = pinged && stopped && tunGone;
            out.printf("demo: ping %s, instance stopped %s, TUN removed %s%n",
                    pinged ? "answered" : "FAILED", stopped ? "cleanly" : "BADLY", tunGone ? "yes" : "NO");
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
            }
            exec("ip", "netns", "delete", ns);
            out.printf("demo: namespace %s deleted; %s%n", ns, ok ? "PASS" : "FAIL");
        }
        return ok;
    }

    private List<String> childCommand(String ns) {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java,
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), "io.steadfast.pipeline.cli.Main",
                profile.kind().label(), "-c", profile.file().toAbsolutePath().toString()));
        return cmd;
    }

    private void waitUntilReady(Process child) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) throw new IOException("steadfast exited with " + child.exitValue() + " before it was ready");
            if (ControlClient.answers(profile.controlSocket())) return;
            Thread.sleep(100);
        }
        throw new IOException("steadfast did not open its control socket " + profile.controlSocket() + " within 30 s");
    }

    private static boolean succeeds(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static void exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", cmd) + "' failed: " + output.strip());
        }
    }
}
