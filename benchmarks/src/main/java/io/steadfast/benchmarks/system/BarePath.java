package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.util.List;

/** Row (a): bare kernel routing C - G - S over veth pairs, the yardstick of every ratio. */
final class BarePath implements BenchPath {
    private final ThreeHosts hosts;

    private BarePath(ThreeHosts hosts) {
        this.hosts = hosts;
    }

    /** Builds the namespaces and the routes between C and S. */
    static BarePath open() throws IOException {
        ThreeHosts hosts = new ThreeHosts();
        try {
            hosts.routeBare();
            return new BarePath(hosts);
        } catch (IOException | RuntimeException e) {
            hosts.close();
            throw e;
        }
    }

    @Override
    public Netns client() {
        return hosts.client;
    }

    @Override
    public Netns server() {
        return hosts.server;
    }

    @Override
    public String serverAddress() {
        return ThreeHosts.SERVER;
    }

    @Override
    public List<Tracked> processes() {
        return List.of();
    }

    @Override
    public List<String> drops() {
        return List.of();
    }

    @Override
    public void close() throws IOException {
        hosts.close();
    }
}
