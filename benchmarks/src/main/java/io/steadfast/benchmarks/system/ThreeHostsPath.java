package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;

/** A row on {@link ThreeHosts}: measured from its client to the server behind its gateway. */
abstract class ThreeHostsPath implements BenchPath {
    protected final ThreeHosts hosts;

    ThreeHostsPath(ThreeHosts hosts) {
        this.hosts = hosts;
    }

    /** Starts the row's processes; files go to {@code dir}. */
    abstract void start(java.nio.file.Path dir) throws Exception;

    /** {@code path} started, or closed (processes ended, namespaces deleted) and the failure thrown. */
    static <P extends ThreeHostsPath> P started(P path, java.nio.file.Path dir) throws Exception {
        try {
            path.start(dir);
            return path;
        } catch (Exception e) {
            path.close();
            throw e;
        }
    }

    @Override
    public final Netns client() {
        return hosts.client;
    }

    @Override
    public final Netns server() {
        return hosts.server;
    }

    @Override
    public final String serverAddress() {
        return ThreeHosts.SERVER;
    }
}
