package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;

/**
 * Brings an anchor VPN's TUN device up the way our profiles do (MTU 1400, transmit queue 1000), with one
 * address and one route into it, so every tunnel row carries the same segment size.
 *
 * <pre>{@code
 * TunnelDevices.up(client, "wgc42", "10.9.0.1", "10.2.0.0/24");
 * }</pre>
 */
final class TunnelDevices {
    static final int MTU = 1400;
    static final int TX_QUEUE = 1000;

    private TunnelDevices() {}

    /** Sets MTU and queue, adds {@code address}/32, brings the device up and routes {@code route} into it. */
    static void up(Netns ns, String device, String address, String route) throws IOException {
        ns.run("ip", "addr", "add", address + "/32", "dev", device);
        ns.run("ip", "link", "set", "dev", device, "mtu", String.valueOf(MTU), "txqueuelen", String.valueOf(TX_QUEUE), "up");
        ns.run("ip", "route", "add", route, "dev", device);
    }
}
