package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One iperf3 TCP test between two namespaces: a one-off server ({@code iperf3 -s -1}) in one, the client
 * ({@code iperf3 -c ... -J}) in the other; the result comes from the client's JSON report. The server is
 * ended by PID in any case; both get SIGTERM from the kernel if this JVM dies first ({@code setpriv --pdeathsig}).
 *
 * <pre>{@code
 * Iperf3.Result r = Iperf3.run(server, "10.2.0.2", client, 5, 1);
 * System.out.println(r.mbitsPerSecond());
 * }</pre>
 */
final class Iperf3 {
    static final int PORT = 5201;
    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]*)\"");

    private Iperf3() {}

    /**
     * Received throughput, TCP retransmits and iperf3's own CPU figures (getrusage over wall time: percent of one CPU).
     *
     * @param bitsPerSecond      {@code end.sum_received.bits_per_second}
     * @param retransmits        {@code end.sum_sent.retransmits}
     * @param senderCpuPercent   {@code end.cpu_utilization_percent.host_total} (the client sends)
     * @param receiverCpuPercent {@code end.cpu_utilization_percent.remote_total}
     */
    record Result(double bitsPerSecond, long retransmits, double senderCpuPercent, double receiverCpuPercent) {
        double mbitsPerSecond() {
            return bitsPerSecond / 1e6;
        }
    }

    /** Runs one test of {@code seconds} with {@code streams} parallel TCP streams from {@code client} to the server. */
    static Result run(Netns server, String serverAddress, Netns client, int seconds, int streams) throws Exception {
        Process process = server.start("setpriv", "--pdeathsig", "TERM", "iperf3", "-s", "-1", "-B", serverAddress, "-p", String.valueOf(PORT));
        Cleanup.Registration stop = Cleanup.onExit(() -> stop(process));
        CompletableFuture<String> serverOutput = drain(process);
        try {
            awaitListening(server, process, serverOutput);
            String json = Netns.exec(client.inside("setpriv", "--pdeathsig", "TERM", "iperf3", "-c", serverAddress, "-p", String.valueOf(PORT),
                    "-t", String.valueOf(seconds), "-P", String.valueOf(streams), "-J"), seconds + 30);
            return parse(json);
        } finally {
            stop.run();
        }
    }

    /** The one-off server ends after its test; if it does not within a second, SIGTERM, then SIGKILL. */
    private static void stop(Process process) throws InterruptedException {
        if (!process.waitFor(1, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Parses the client's JSON report (a few regular expressions: the fields needed are flat objects). */
    static Result parse(String json) throws IOException {
        Matcher error = ERROR.matcher(json);
        if (error.find()) throw new IOException("iperf3: " + error.group(1));
        String received = object(json, "sum_received");
        String sent = object(json, "sum_sent");
        String cpu = object(json, "cpu_utilization_percent");
        return new Result(number(received, "bits_per_second"), (long) number(sent, "retransmits"),
                number(cpu, "host_total"), number(cpu, "remote_total"));
    }

    private static String object(String json, String name) throws IOException {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\\{([^{}]*)\\}").matcher(json);
        if (!m.find()) throw new IOException("iperf3 JSON has no \"" + name + "\" object:\n" + json);
        return m.group(1);
    }

    private static double number(String object, String field) throws IOException {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)").matcher(object);
        if (!m.find()) throw new IOException("iperf3 JSON has no \"" + field + "\" in {" + object + "}");
        return Double.parseDouble(m.group(1));
    }

    /** Waits until the server's port is in LISTEN state in its namespace (iperf3 buffers its own output). */
    private static void awaitListening(Netns server, Process process, CompletableFuture<String> output)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("iperf3 server exited " + process.exitValue() + ": " + output.completeOnTimeout("", 1, TimeUnit.SECONDS).join().strip());
            }
            if (server.run("ss", "-Hltn", "sport = :" + PORT).contains(":" + PORT)) return;
            Thread.sleep(20);
        }
        throw new IOException("iperf3 server did not listen on port " + PORT + " within 10 s");
    }

    /** Reads the process's output while it runs, so a full pipe never stalls it. */
    private static CompletableFuture<String> drain(Process process) {
        CompletableFuture<String> out = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                out.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.complete("(output unreadable: " + e.getMessage() + ")");
            }
        });
        return out;
    }
}
