package io.steadfast.pipeline.demo;

import io.steadfast.pipeline.config.Ipv4Prefix;
import io.steadfast.handlers.tun.Netns;
import io.steadfast.pipeline.profile.Profile;
import io.steadfast.pipeline.testbed.SteadfastProcess;
import io.steadfast.pipeline.testbed.Testbed;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

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
        Ipv4Prefix own = profile.tun().addresses().get(0);
        String target = new Ipv4Prefix(own.address() + 1, 32).addressText();
        Path log = Files.createTempFile("steadfast-demo", ".log");
        boolean ok = false;
        try (Testbed bed = new Testbed()) {
            Netns ns = bed.host("demo");
            out.printf("demo: namespace %s; starting steadfast %s -c %s inside it%n", ns.name(), profile.kind().label(), profile.file());
            SteadfastProcess steadfast = SteadfastProcess.start(ns, profile.kind().label(), profile.file(), profile.controlSocket(), log);
            try {
                steadfast.awaitReady();
                out.printf("demo: %s is up; the kernel pings %s, routed into %s, where stage icmp-echo answers%n",
                        profile.tun().name(), target, profile.tun().name());
                boolean pinged = true;
                try {
                    out.print(ns.run("ping", "-c", String.valueOf(count), "-i", "0.2", "-W", "1", target));
                } catch (IOException e) {
                    out.println(e.getMessage());
                    pinged = false;
                }
                out.println("demo: steadfast status");
                out.print(steadfast.status());
                boolean stopped = steadfast.stop() == 0; // SIGTERM: the instance removes its TUN and control socket
                boolean tunGone = !succeeds(ns, "ip", "link", "show", "dev", profile.tun().name());
                ok = pinged && stopped && tunGone;
                out.printf("demo: ping %s, instance stopped %s, TUN removed %s%n",
                        pinged ? "answered" : "FAILED", stopped ? "cleanly" : "BADLY", tunGone ? "yes" : "NO");
            } finally {
                steadfast.stop();
                out.print(steadfast.log().lines().map(l -> "  | " + l + "\n").reduce("", String::concat));
            }
        } finally {
            Files.deleteIfExists(log);
        }
        out.printf("demo: namespaces deleted; %s%n", ok ? "PASS" : "FAIL");
        return ok;
    }

    private static boolean succeeds(Netns ns, String... cmd) {
        try {
            ns.run(cmd);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
