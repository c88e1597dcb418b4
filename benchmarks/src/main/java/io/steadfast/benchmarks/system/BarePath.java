package io.steadfast.benchmarks.system;

import java.io.IOException;
import java.util.List;

/** Row (a): bare kernel routing C - G - S over veth pairs, the yardstick of every ratio. */
final class BarePath extends ThreeHostsPath {

    private BarePath(ThreeHosts hosts) {
        super(hosts);
    }

    /** Builds the namespaces and the routes between C and S. */
    static BarePath open() throws Exception {
        return started(new BarePath(new ThreeHosts()), null);
    }

    @Override
    void start(java.nio.file.Path dir) throws IOException {
        hosts.routeBare();
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
