package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A foreground program (wireguard-go, openvpn) started inside a namespace by {@code ip netns exec} and
 * {@code setpriv --pdeathsig TERM} (both exec it: the PID is the program's), its output in a log file.
 * {@link #stop()} ends it by that PID: SIGTERM, then SIGKILL after 10 s. If this JVM dies without cleaning up
 * (SIGKILL), the kernel sends the program SIGTERM when the thread that started it is gone, so start daemons
 * from a thread that lives as long as they should (the benchmark's main thread).
 *
 * <pre>{@code
 * Daemon d = Daemon.start(ns, dir.resolve("openvpn-c.log"), "openvpn", "--config", "c.conf");
 * d.awaitLog("Initialization Sequence Completed", 20);
 * d.stop();
 * }</pre>
 */
final class Daemon {
    private final String name;
    private final Process process;
    private final Path log;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code ns}, stdout and stderr to {@code log}. */
    static Daemon start(Netns ns, Path log, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--pdeathsig", "TERM"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(ns.inside(cmd.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new Daemon(command[0], p, log);
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the log contains {@code text}; throws with the log if the program exits or time runs out. */
    void awaitLog(String text, int seconds) throws IOException, InterruptedException {
        await(() -> log().contains(text), "wrote no \"" + text + "\"", seconds);
    }

    /** Waits until {@code condition} holds while the program runs; throws with the log otherwise. */
    void await(BooleanSupplier condition, String failure, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            if (!process.isAlive()) throw new IOException(name + " exited " + process.exitValue() + ":\n" + log());
            Thread.sleep(50);
        }
        throw new IOException(name + " " + failure + " within " + seconds + " s:\n" + log());
    }

    /** Everything it has written so far ("" if unreadable). */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM by PID, wait up to 10 s, then SIGKILL; returns the exit code. */
    int stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }
}
