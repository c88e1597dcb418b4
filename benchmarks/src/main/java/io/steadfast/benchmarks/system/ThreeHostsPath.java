package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;

/** A row on {@link ThreeHosts}: measured from its client to the server behind its gateway. */
abstract class ThreeHostsPath implements BenchPath {
    protected final ThreeHosts hosts;

    ThreeHostsPath(ThreeHosts hosts) {
        this.hosts = hosts;
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
