package io.steadfast.pipeline.testbed;

import io.steadfast.handlers.tun.Netns;
import io.steadfast.pipeline.control.ControlClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code steadfast client|gateway|relay -c PROFILE} process inside a namespace, started with this JVM's
 * class path, its output in a log file. {@link #close()} stops it with SIGTERM (by PID) and waits.
 *
 * <pre>{@code
 * try (SteadfastProcess gw = SteadfastProcess.start(ns, "gateway", profile, socket, log)) {
 *     gw.awaitReady();
 *     System.out.print(gw.status());
 * }
 * }</pre>
 */
public final class SteadfastProcess implements AutoCloseable {
    private final Process process;
    private final Path socket;
    private final Path log;

    private SteadfastProcess(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /** Starts {@code steadfast KIND -c PROFILE} in {@code ns}; {@code socket} is the profile's control socket. */
    public static SteadfastProcess start(Netns ns, String kind, Path profile, Path socket, Path log, String... jvmOptions)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.steadfast.pipeline.cli.Main",
                kind, "-c", profile.toAbsolutePath().toString()));
        Process p = new ProcessBuilder(ns.inside(cmd.toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new SteadfastProcess(p, socket, log);
    }

    /** Waits until the control socket answers; throws with the log if the process dies or 30 s pass. */
    public SteadfastProcess awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("steadfast exited " + process.exitValue() + ":\n" + log());
            if (ControlClient.answers(socket)) return this;
            Thread.sleep(50);
        }
        throw new IOException("steadfast opened no control socket in 30 s:\n" + log());
    }

    /**
     * Waits until the {@code status} answer contains {@code text} and returns it; throws with the last status
     * and the log if {@code timeout} passes.
     */
    public String awaitStatus(String text, java.time.Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = status();
            if (status.contains(text)) return status;
            Thread.sleep(20);
        }
        throw new IOException("no \"" + text + "\" in the status within " + timeout.toMillis() + " ms:\n" + status + log());
    }

    /** Sends {@code command} to stage {@code stage} of pipeline {@code pipeline}; returns the stage's answer. */
    public String control(String pipeline, String stage, String command) throws IOException {
        return ControlClient.request(socket, "control " + pipeline + " " + stage + " " + command);
    }

    /** The instance's {@code status} answer. */
    public String status() throws IOException {
        return ControlClient.request(socket, "status");
    }

    /** Everything it has logged so far. */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public Process process() {
        return process;
    }

    /** SIGTERM, then waits up to 20 s (then SIGKILL); returns the exit code. */
    public int stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
