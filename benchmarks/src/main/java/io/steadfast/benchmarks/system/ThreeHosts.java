package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import io.steadfast.pipeline.testbed.Testbed;
import java.io.IOException;

/**
 * The client - gateway - server namespaces of the rows that do not use one of our test beds (bare routing and
 * the anchor VPNs), addressed like {@link io.steadfast.pipeline.testbed.EspTunnel}: no routes between C and S
 * yet, so only a tunnel (or {@link #routeBare()}) joins them.
 *
 * <pre>
 *  C 10.1.0.1 ==veth== 10.1.0.2 G (forwarding) 10.2.0.1 ==veth== 10.2.0.2 S
 *  tunnel addresses: client 10.9.0.1, gateway 10.9.255.1; S routes 10.9.0.0/24 via G
 * </pre>
 */
final class ThreeHosts implements AutoCloseable {
    static final String CLIENT_OUTER = "10.1.0.1";
    static final String GATEWAY_OUTER = "10.1.0.2";
    static final String SERVER = "10.2.0.2";
    static final String CLOUD = "10.2.0.0/24";
    static final String CLIENT_INNER = "10.9.0.1";
    static final String GATEWAY_INNER = "10.9.255.1";
    static final String INNER = "10.9.0.0/24";

    final Testbed bed = new Testbed();
    final Netns client;
    final Netns gateway;
    final Netns server;

    /** Creates the three namespaces and both veth pairs; deletes what it made if a step fails. */
    ThreeHosts() throws IOException {
        try {
            client = bed.host("c");
            gateway = bed.router("g");
            server = bed.host("s");
            bed.link(client, CLIENT_OUTER + "/24", gateway, GATEWAY_OUTER + "/24");
            bed.link(gateway, "10.2.0.1/24", server, SERVER + "/24");
            bed.route(server, INNER, "10.2.0.1");
        } catch (IOException | RuntimeException e) {
            bed.close();
            throw e;
        }
    }

    /** Plain kernel routing between C and S through G. */
    void routeBare() throws IOException {
        bed.route(client, CLOUD, GATEWAY_OUTER);
        bed.route(server, "10.1.0.0/24", "10.2.0.1");
    }

    /** Deletes the namespaces (and every device and route in them). */
    @Override
    public void close() throws IOException {
        bed.close();
    }
}
