package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.util.List;

/**
 * One row's network, running: namespaces it created with a client host and a server host and, between them,
 * the path under test (bare routing, our tunnel, an anchor VPN). The measurements run from {@link #client()}
 * to {@link #serverAddress()} in {@link #server()}. {@link #close()} ends every process it started (by PID)
 * and deletes its namespaces.
 *
 * <pre>{@code
 * try (BenchPath p = PathCatalog.get("wg").open(dir)) {
 *     Iperf3.run(p.server(), p.serverAddress(), p.client(), 5, 1);
 * }
 * }</pre>
 */
interface BenchPath extends AutoCloseable {

    /** A tunnel process on the path whose CPU use is measured, e.g. ("client", pid of wireguard-go in C). */
    record Tracked(String role, long pid) {}

    Netns client();

    Netns server();

    /** The server's address as the client reaches it (through the tunnel, if there is one). */
    String serverAddress();

    /** The tunnel processes in the order client, gateway, relay (those that exist); empty for bare routing. */
    List<Tracked> processes();

    /** After the runs: one line per tunnel host on drops and errors (its own counters and the kernel's). */
    List<String> drops() throws IOException;

    /** After the warm-up: throws if the traffic did not take the path under test (e.g. it bypassed a relay). */
    default void verify() throws IOException {}

    /** The JVM options of our processes, or "" if the path has no JVM. */
    default String jvmOptions() {
        return "";
    }

    @Override
    void close() throws Exception;
}
