package io.steadfast.benchmarks.system;

import io.steadfast.pipeline.testbed.Charon;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Anchor row (b'): strongSwan 5.9.8 in C (initiator) and in G (responder) on {@link ThreeHosts}, each charon in
 * its namespace with kernel-libipsec (user-space ESP in UDP 4500: this kernel has no ESP), IKEv2 with a PSK,
 * AES-128-GCM for IKE and ESP, the client's virtual IP 10.9.0.1 from G's pool of one. The tunnel is up before
 * the measurements; both daemons are ended by PID. Row (c') is the same on {@link ThreeHosts#withRelayHop()}:
 * G sends the decrypted traffic to S through the VXLAN hop RH and gets the replies back the same way.
 */
final class StrongSwanPath extends ThreeHostsPath {
    private static final String IPSEC0 = "ipsec0";
    /**
     * G's address in the cloud net behind the relay hop, on its loopback (a /32, so the cloud net stays routed
     * through the hop). kernel-libipsec refuses a CHILD_SA ("error installing route with policy") when no address
     * of the gateway's lies in its local traffic selector 10.2.0.0/24: it is the source of the route to the client.
     */
    static final String GATEWAY_CLOUD_SOURCE = "10.2.0.254";
    private Charon clientCharon;
    private Charon gatewayCharon;

    private StrongSwanPath(ThreeHosts hosts) {
        super(hosts);
    }

    /** Builds the namespaces, starts both charons and brings the tunnel up. */
    static StrongSwanPath open(Path dir) throws Exception {
        return started(new StrongSwanPath(new ThreeHosts()), dir);
    }

    /** As {@link #open} with the VXLAN relay hop between G and S (row (c')). */
    static StrongSwanPath openWithRelayHop(Path dir) throws Exception {
        return started(new StrongSwanPath(ThreeHosts.withRelayHop()), dir);
    }

    @Override
    void start(Path dir) throws Exception {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        String secret = HexFormat.of().formatHex(key);
        if (hosts.relay != null) hosts.gateway.run("ip", "addr", "add", GATEWAY_CLOUD_SOURCE + "/32", "dev", "lo");
        gatewayCharon = Charon.start(hosts.gateway, """
                connections {
                  rw {
                    version = 2
                    local_addrs = %s
                    proposals = aes128gcm16-prfsha256-x25519
                    encap = yes
                    pools = pool
                    local { auth = psk
                      id = gw.example }
                    remote { auth = psk
                      id = client.example }
                    children { net { local_ts = %s
                      esp_proposals = aes128gcm16 } }
                  }
                }
                pools { pool { addrs = %s-%s } }
                %s
                """.formatted(ThreeHosts.GATEWAY_OUTER, ThreeHosts.CLOUD, ThreeHosts.CLIENT_INNER, ThreeHosts.CLIENT_INNER, secrets(secret)),
                Map.of());
        gatewayCharon.loadAll();
        clientCharon = Charon.start(hosts.client, SwanctlInitiator.conf(ThreeHosts.CLIENT_OUTER, ThreeHosts.GATEWAY_OUTER,
                "aes128gcm16-prfsha256-x25519", "client.example", "gw.example", ThreeHosts.CLOUD, secret),
                Map.of("install_virtual_ip", "yes"));
        clientCharon.loadAll();
        String up;
        try {
            up = clientCharon.swanctl("--initiate", "--child", "net", "--timeout", "15");
        } catch (IOException e) {
            up = e.getMessage();
        }
        if (!up.contains("initiate completed successfully")) {
            throw new IOException("strongSwan's tunnel did not come up:\n" + up + "\nclient charon:\n" + clientCharon.log()
                    + "\ngateway charon:\n" + gatewayCharon.log());
        }
    }

    private static String secrets(String secret) {
        return """
                secrets { ike-psk { id-1 = client.example
                  id-2 = gw.example
                  secret = "%s" } }
                """.formatted(secret);
    }

    @Override
    public List<Tracked> processes() {
        return List.of(new Tracked("client", clientCharon.pid()), new Tracked("gateway", gatewayCharon.pid()));
    }

    /** With the relay hop: the warm-up's packets must have crossed the VXLAN tunnel both ways. */
    @Override
    public void verify() throws IOException {
        if (hosts.relay == null) return;
        long rx = hopPackets("rx_packets"), tx = hopPackets("tx_packets");
        if (rx < 100 || tx < 100) {
            throw new IOException("the warm-up did not go through the relay hop (" + ThreeHosts.HOP_DEVICE
                    + " in RH: rx_packets=" + rx + ", tx_packets=" + tx + ")");
        }
    }

    private long hopPackets(String counter) throws IOException {
        return Long.parseLong(hosts.relay.run("cat", "/sys/class/net/" + ThreeHosts.HOP_DEVICE + "/statistics/" + counter).strip());
    }

    @Override
    public List<String> drops() throws IOException {
        List<String> drops = new ArrayList<>(List.of(
                "client: charon (kernel-libipsec); kernel " + DropReport.kernelCounters(hosts.client, IPSEC0),
                "gateway: charon (kernel-libipsec); kernel " + DropReport.kernelCounters(hosts.gateway, IPSEC0)));
        if (hosts.relay != null) {
            drops.add("relay hop: kernel VXLAN; kernel " + DropReport.kernelCounters(hosts.relay, ThreeHosts.HOP_DEVICE)
                    + "; " + ThreeHosts.HOP_DEVICE + ".rx_packets=" + hopPackets("rx_packets") + ", tx_packets=" + hopPackets("tx_packets"));
        }
        return drops;
    }

    /** Ends both charons by PID and deletes the namespaces. */
    @Override
    public void close() throws Exception {
        try {
            if (clientCharon != null) clientCharon.close();
            if (gatewayCharon != null) gatewayCharon.close();
        } finally {
            hosts.close();
        }
    }
}
