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
 *
 * {@link #withRelayHop()} puts a fourth namespace, the cloud router RH, between G and S, addressed like
 * {@link io.steadfast.pipeline.testbed.RoamingNetwork}'s gateway A, cloud router and server, and carries all
 * traffic between G and RH in a kernel VXLAN tunnel (this kernel has no IP-in-IP), so that every packet crosses
 * one hop more and is encapsulated and decapsulated once more, as through our relay:
 *
 * <pre>
 *  C 10.1.0.1 ==veth== 10.1.0.2 G 10.3.0.1 ==veth== 10.3.0.2 RH (forwarding) 10.2.0.1 ==veth== 10.2.0.2 S
 *                       G vx-hop 10.20.0.1 ==VXLAN (VNI 1, UDP 4789 over 10.3.0.0/24)== 10.20.0.2 vx-hop RH
 *  G routes 10.2.0.0/24 via 10.20.0.2, RH routes 10.9.0.0/24 via 10.20.0.1, S routes 10.9.0.0/24 via RH;
 *  veth MTU 1500, vx-hop MTU 1450 (1500 less the 50 bytes of outer IPv4, UDP, VXLAN and Ethernet headers)
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
    /** The VXLAN device of the relay hop, in G and in RH. */
    static final String HOP_DEVICE = "vx-hop";
    static final int HOP_MTU = 1450;
    private static final String HOP_GATEWAY = "10.20.0.1";
    private static final String HOP_RELAY = "10.20.0.2";

    final Testbed bed = new Testbed();
    final Netns client;
    final Netns gateway;
    /** The cloud router RH of {@link #withRelayHop()}, or null. */
    final Netns relay;
    final Netns server;

    /** Creates the three namespaces and both veth pairs; deletes what it made if a step fails. */
    ThreeHosts() throws IOException {
        this(false);
    }

    /** The four namespaces with the VXLAN relay hop RH between G and S (see the class comment). */
    static ThreeHosts withRelayHop() throws IOException {
        return new ThreeHosts(true);
    }

    private ThreeHosts(boolean relayHop) throws IOException {
        try {
            client = bed.host("c");
            gateway = bed.router("g");
            relay = relayHop ? bed.router("rh") : null;
            server = bed.host("s");
            bed.link(client, CLIENT_OUTER + "/24", gateway, GATEWAY_OUTER + "/24");
            if (relay == null) {
                bed.link(gateway, "10.2.0.1/24", server, SERVER + "/24");
            } else {
                bed.link(gateway, "10.3.0.1/24", relay, "10.3.0.2/24");
                bed.link(relay, "10.2.0.1/24", server, SERVER + "/24");
                vxlan(gateway, "10.3.0.1", "10.3.0.2", Testbed.ifName("rh"), HOP_GATEWAY);
                vxlan(relay, "10.3.0.2", "10.3.0.1", Testbed.ifName("g"), HOP_RELAY);
                bed.route(gateway, CLOUD, HOP_RELAY);
                bed.route(relay, INNER, HOP_GATEWAY);
            }
            bed.route(server, INNER, "10.2.0.1");
        } catch (IOException | RuntimeException e) {
            bed.close();
            throw e;
        }
    }

    /** A VXLAN device in {@code ns} from {@code local} to {@code remote} over {@code underlay}, holding {@code address}/24. */
    private static void vxlan(Netns ns, String local, String remote, String underlay, String address) throws IOException {
        ns.run("ip", "link", "add", HOP_DEVICE, "type", "vxlan", "id", "1", "local", local, "remote", remote,
                "dstport", "4789", "dev", underlay);
        ns.run("ip", "link", "set", HOP_DEVICE, "mtu", Integer.toString(HOP_MTU), "up");
        ns.run("ip", "addr", "add", address + "/24", "dev", HOP_DEVICE);
    }

    /** Plain kernel routing between C and S through G (and RH). */
    void routeBare() throws IOException {
        bed.route(client, CLOUD, GATEWAY_OUTER);
        if (relay != null) bed.route(relay, "10.1.0.0/24", HOP_GATEWAY);
        bed.route(server, "10.1.0.0/24", "10.2.0.1");
    }

    /** Deletes the namespaces (and every device and route in them). */
    @Override
    public void close() throws IOException {
        bed.close();
    }
}
