package io.steadfast.handlers.tun;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Configures a network interface with iproute2's {@code ip}, in the network namespace of the calling thread.
 * Nothing needs undoing: closing a non-persistent {@link TunDevice} removes its addresses and routes.
 */
public final class TunInterface {
    private static final long TIMEOUT_SECONDS = 10;

    private TunInterface() {}

    /**
     * Sets the MTU and transmit queue length, caps the kernel's TSO super-packets at the segments
     * {@link io.steadfast.handlers.offload.TcpSegmenter} cuts ({@code gso_max_segs}; matters only with offloads), and
     * brings {@code device} up, then adds each address (CIDR, e.g.
     * "10.9.0.1/24") and a route through the device for each prefix (CIDR, e.g. "10.9.0.0/16").
     *
     * @throws IOException naming the command and quoting ip, e.g.
     *     "ip route add 10.9.0.0/24 dev sf0 failed: RTNETLINK answers: File exists"
     */
    public static void configure(String device, int mtu, int txQueueLen, List<String> cidrAddresses,
                                 List<String> routes) throws IOException {
        if (mtu < 68 || mtu > 65535) throw new IllegalArgumentException("MTU must be 68..65535: " + mtu);
        if (txQueueLen < 0) throw new IllegalArgumentException("txqueuelen must not be negative: " + txQueueLen);
        ip("link", "set", "dev", device, "mtu", Integer.toString(mtu), "txqueuelen", Integer.toString(txQueueLen),
                "gso_max_segs", Integer.toString(io.steadfast.handlers.offload.TcpSegmenter.MAX_SEGMENTS), "up");
        for (String address : cidrAddresses) ip("addr", "add", address, "dev", device);
        for (String route : routes) ip("route", "add", route, "dev", device);
    }

    /** Runs {@code ip ARGS...}; returns its output, or throws with the command line and ip's message. */
    static String ip(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ipBinary());
        command.addAll(List.of(args));
        String shown = "ip " + String.join(" ", args);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close(); // ip reads nothing
        } catch (IOException e) {
            throw new IOException(shown + " failed: cannot run ip (is iproute2 installed?): " + e.getMessage(), e);
        }
        CompletableFuture<String> output = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (InputStream in = process.getInputStream()) {
                output.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                output.complete("(output unreadable: " + e.getMessage() + ")");
            }
        });
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(shown + " failed: no answer within " + TIMEOUT_SECONDS + " s");
            }
            String text = output.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw new IOException(shown + " failed: "
                        + (text.isEmpty() ? "exit status " + process.exitValue() : text));
            }
            return text;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(shown + " interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(shown + " failed: cannot read its output", e);
        }
    }

    private static String ipBinary() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, "ip");
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        return "ip";
    }
}
