package io.steadfast.handlers.tun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace that a test, the demo or a benchmark creates and deletes, with a name unique to this
 * run ({@code sft-<pid>-<random>-<label>}). Use in try-with-resources: closing deletes the namespace,
 * which also removes every veth and TUN device that lives only in it.
 *
 * <pre>{@code
 * try (Netns ns = Netns.create("ping")) {
 *     ns.run("ip", "link", "set", "lo", "up");
 *     Process p = ns.start("ping", "-c", "1", "10.0.0.1");
 * }
 * }</pre>
 */
public final class Netns implements AutoCloseable {
    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /**
     * Deletes namespaces this class made in processes that no longer exist (a test run killed by SIGKILL
     * cannot clean up after itself), so they do not pile up. Returns how many it deleted.
     */
    public static int sweepStale() {
        int deleted = 0;
        java.io.File[] entries = new java.io.File("/var/run/netns").listFiles();
        if (entries == null) return 0;
        for (java.io.File f : entries) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("sft-(\\d+)-.*").matcher(f.getName());
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                try {
                    exec(List.of("ip", "netns", "delete", f.getName()), 10);
                    deleted++;
                } catch (IOException e) {
                    // someone else is deleting it, or it is busy: leave it
                }
            }
        }
        return deleted;
    }

    /** Creates a fresh namespace with its loopback up (after sweeping up stale ones of dead processes). */
    public static Netns create(String label) throws IOException {
        sweepStale();
        String name = "sft-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000)) + "-" + label;
        if (name.length() > 60) name = name.substring(0, 60);
        exec(List.of("ip", "netns", "add", name), 10);
        Netns ns = new Netns(name);
        try {
            ns.run("ip", "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** Runs a command inside the namespace and returns its output; throws with the output if it fails. */
    public String run(String... command) throws IOException {
        return exec(inside(command), 30);
    }

    /** Starts a command inside the namespace (output merged into its stdout); the caller ends it by PID. */
    public Process start(String... command) throws IOException {
        return new ProcessBuilder(inside(command)).redirectErrorStream(true).start();
    }

    /** The command line that runs {@code command} inside this namespace. */
    public List<String> inside(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return cmd;
    }

    @Override
    public void close() throws IOException {
        exec(List.of("ip", "netns", "delete", name), 10);
    }

    /** Runs a host command, waiting at most {@code seconds}; returns stdout+stderr or throws with it. */
    public static String exec(List<String> command, int seconds) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read while it runs (a full pipe would stall it); a watchdog ends it by PID after the timeout.
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                    timedOut.set(true);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // the command finished in time
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor();
            watchdog.interrupt();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        if (timedOut.get()) {
            throw new IOException("timed out after " + seconds + " s: " + String.join(" ", command) + ": " + out.strip());
        }
        if (p.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", command) + "' exited " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }
}
