package io.steadfast.benchmarks.system;

import io.steadfast.esp.EspAlgorithm;
import io.steadfast.handlers.tun.Netns;
import io.steadfast.pipeline.testbed.EspTunnel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Row (b): our client in C and our gateway in G ({@link EspTunnel}), ESP in UDP 4500 with manual keys. */
final class SteadfastEspPath implements BenchPath {
    private final EspTunnel tunnel;

    private SteadfastEspPath(EspTunnel tunnel) {
        this.tunnel = tunnel;
    }

    /** Builds the namespaces, starts gateway and client with the launcher's JVM options, waits until both answer. */
    static SteadfastEspPath open(Path dir, EspAlgorithm algorithm, String... settings) throws Exception {
        EspTunnel t = new EspTunnel(dir, algorithm).settings(settings);
        try {
            t.start();
            return new SteadfastEspPath(t);
        } catch (Exception e) {
            t.close();
            throw e;
        }
    }

    @Override
    public Netns client() {
        return tunnel.client;
    }

    @Override
    public Netns server() {
        return tunnel.server;
    }

    @Override
    public String serverAddress() {
        return EspTunnel.SERVER;
    }

    @Override
    public List<Tracked> processes() {
        return List.of(new Tracked("client", tunnel.clientProcess().process().pid()),
                new Tracked("gateway", tunnel.gatewayProcess().process().pid()));
    }

    @Override
    public List<String> drops() throws IOException {
        return List.of(DropReport.of("client", tunnel.client, "sf-c", tunnel.clientProcess().status()),
                DropReport.of("gateway", tunnel.gateway, "sf-g", tunnel.gatewayProcess().status()));
    }

    @Override
    public String jvmOptions() {
        return JvmOptions.of(tunnel.clientProcess().process().pid());
    }

    /** Stops both processes (by PID) and deletes the namespaces. */
    @Override
    public void close() throws Exception {
        tunnel.close();
    }
}
