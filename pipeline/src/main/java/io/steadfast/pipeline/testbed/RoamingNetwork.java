package io.steadfast.pipeline.testbed;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The paper's world with two gateways: N clients, each with a path to gateway A and a separate path to
 * gateway B, and a cloud whose router hosts our relay and leads to a server. Each gateway gives client i its
 * own tunnel address (V_A = 10.100.1.(10+i), V_B = 10.100.2.(10+i)); the cloud routes each pool to its
 * gateway, and S = 10.9.0.i (the stable prefix) to the relay.
 *
 * <pre>
 *  Ci 10.1.i.1 == 10.1.i.2 GA (pool 10.100.1.0/24 in sf-ga) 10.3.0.1 == 10.3.0.2 \
 *  Ci 10.4.i.1 == 10.4.i.2 GB (pool 10.100.2.0/24 in sf-gb) 10.5.0.1 == 10.5.0.2  RH (router; relay R=10.20.0.2,
 *                                                                                     10.9.0.0/16 in sf-r)
 *                                                                   SV 10.2.0.2 == 10.2.0.1 /
 * </pre>
 *
 * With the relay, client i keeps S on its TUN and registers S -> V with the relay; without, its TUN holds V_A
 * and the server answers V_A, which the cloud routes to gateway A whatever the client does. Client i moves
 * to gateway B with {@code control outbound esp-encrypt use to-b}.
 *
 * <pre>{@code
 * try (RoamingNetwork net = new RoamingNetwork(dir, 1).start(true)) {
 *     net.cutPathToA(1);
 *     net.moveToB(1);
 * }
 * }</pre>
 */
public final class RoamingNetwork implements AutoCloseable {
    public static final String SERVER = "10.2.0.2";
    public static final String RELAY = "10.20.0.2";
    /** The clients' outbound pipeline, as named in their profiles. */
    public static final String OUTBOUND = "outbound";

    public final Testbed bed = new Testbed();
    public final Netns gatewayA;
    public final Netns gatewayB;
    public final Netns cloud;
    public final Netns server;
    private final List<Netns> clients = new ArrayList<>();
    private final List<SteadfastProcess> clientProcesses = new ArrayList<>();
    private final Path dir;
    private final int count;
    private String[] jvmOptions = {};
    private boolean withRelay;
    private boolean withFailover;
    private boolean strongSwan;
    private boolean coldStandby;
    private Charon charonA;
    private Charon charonB;
    private String failoverSettings = "";
    private SteadfastProcess gatewayAProcess;
    private SteadfastProcess gatewayBProcess;
    private SteadfastProcess relayProcess;

    /** Builds the hosts, links and routes for {@code count} clients (1 to 99); nothing runs yet. Files go to {@code dir}. */
    public RoamingNetwork(Path dir, int count) throws IOException {
        if (count < 1 || count > 99) throw new IllegalArgumentException("1 to 99 clients, not " + count);
        this.dir = dir.toAbsolutePath(); // profiles name their key files by absolute path
        this.count = count;
        try {
            gatewayA = bed.router("ga");
            gatewayB = bed.router("gb");
            cloud = bed.router("rh");
            server = bed.host("sv");
            bed.link(gatewayA, "10.3.0.1/24", cloud, "10.3.0.2/24");
            bed.link(gatewayB, "10.5.0.1/24", cloud, "10.5.0.2/24");
            bed.link(cloud, "10.2.0.1/24", server, "10.2.0.2/24");
            gatewayA.run("ip", "route", "add", "default", "via", "10.3.0.2");
            gatewayB.run("ip", "route", "add", "default", "via", "10.5.0.2");
            bed.route(cloud, "10.100.1.0/24", "10.3.0.1");
            bed.route(cloud, "10.100.2.0/24", "10.5.0.1");
            server.run("ip", "route", "add", "default", "via", "10.2.0.1");
            for (int i = 1; i <= count; i++) {
                Netns c = bed.host("c" + i);
                bed.link(c, "10.1." + i + ".1/24", gatewayA, "10.1." + i + ".2/24");
                bed.link(c, "10.4." + i + ".1/24", gatewayB, "10.4." + i + ".2/24");
                clients.add(c);
            }
        } catch (IOException | RuntimeException e) {
            bed.close();
            throw e;
        }
    }

    /** S of client {@code i} (1-based). */
    public static String stable(int i) {
        return "10.9.0." + i;
    }

    /** V of client {@code i} through gateway A. */
    public static String careOfA(int i) {
        return "10.100.1." + (10 + i);
    }

    /** V of client {@code i} through gateway B. */
    public static String careOfB(int i) {
        return "10.100.2." + (10 + i);
    }

    /** The address client {@code i}'s applications use: S with the relay, V_A without. */
    public String appAddress(int i) {
        return withRelay ? stable(i) : careOfA(i);
    }

    /**
     * Gives the clients the failover stages (probes to the server, default timers unless {@code settings}
     * such as {@code "failback-after = 2s"} say otherwise): they leave a dead gateway by themselves. Call
     * before {@link #start}.
     */
    public RoamingNetwork withFailover(String... settings) {
        this.withFailover = true;
        this.failoverSettings = String.join(", ", settings);
        return this;
    }

    /**
     * Gateways A and B are strongSwan 5.9.8 (charon with kernel-libipsec, PSK, each handing out V_A or V_B),
     * and the client negotiates its SAs with both (stage {@code ike}) instead of using manual keys. One
     * client only. Call before {@link #start}.
     */
    public RoamingNetwork withStrongSwanGateways() {
        if (count != 1) throw new IllegalStateException("the strongSwan gateways serve one client");
        this.strongSwan = true;
        return this;
    }

    /** With strongSwan gateways: IKE with gateway B only when failover wants it (stage option ike.standby = cold). */
    public RoamingNetwork withColdStandby() {
        this.coldStandby = true;
        return this;
    }

    /** Extra JVM options for every process (tests: the paranoid leak detector). */
    public RoamingNetwork jvmOptions(String... options) {
        this.jvmOptions = options.clone();
        return this;
    }

    /**
     * Writes keys and profiles and starts both gateways, the relay and every client; waits until all answer.
     * If anything fails to start, stops what did and deletes the namespaces before throwing.
     *
     * @param withRelay false leaves the relay stages out of the clients' pipelines (the relay still runs)
     */
    public RoamingNetwork start(boolean withRelay) throws IOException, InterruptedException {
        try {
            return startAll(withRelay);
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** {@link #start}, without the clean-up on failure. */
    private RoamingNetwork startAll(boolean withRelay) throws IOException, InterruptedException {
        this.withRelay = withRelay;
        SecureRandom random = new SecureRandom();
        HexFormat hex = HexFormat.of();
        StringBuilder espKeys = new StringBuilder("# SPI KEY: 0x1i/0x2i client i <-> A, 0x3i/0x4i client i <-> B\n");
        StringBuilder relayKeys = new StringBuilder("# CLIENT-ID STABLE-ADDRESS KEY\n");
        for (int i = 1; i <= count; i++) {
            for (int base : new int[] {0x1000, 0x2000, 0x3000, 0x4000}) {
                byte[] key = new byte[20];
                random.nextBytes(key);
                espKeys.append(spi(base, i)).append(" 0x").append(hex.formatHex(key)).append('\n');
            }
            byte[] key = new byte[32];
            random.nextBytes(key);
            relayKeys.append(i).append(' ').append(stable(i)).append(" 0x").append(hex.formatHex(key)).append('\n');
        }
        Path espKeyFile = Testbed.writeSecret(dir.resolve("esp.keys"), espKeys.toString());
        Path relayKeyFile = Testbed.writeSecret(dir.resolve("relay.keys"), relayKeys.toString());

        Path pskFile = null;
        if (strongSwan) {
            byte[] psk = new byte[24];
            random.nextBytes(psk);
            String secret = hex.formatHex(psk);
            pskFile = Testbed.writeSecret(dir.resolve("ike.psk"), secret + "\n");
            charonA = Charon.start(gatewayA, charonConf("a", "10.1.1.2", careOfA(1), secret), Map.of());
            charonB = Charon.start(gatewayB, charonConf("b", "10.4.1.2", careOfB(1), secret), Map.of());
            charonA.loadAll();
            charonB.loadAll();
        } else {
            gatewayAProcess = startGateway("a", gatewayA, 1, 0x1000, 0x2000, "10.1.%d.1", espKeyFile);
            gatewayBProcess = startGateway("b", gatewayB, 2, 0x3000, 0x4000, "10.4.%d.1", espKeyFile);
        }
        Path relayProfile = Files.writeString(dir.resolve("relay.conf"), """
                steadfast {
                  kind = relay
                  name = roaming-relay
                  control.socket = "%1$s/relay.sock"
                  tun { name = sf-r, routes = ["%2$s/32", "10.9.0.0/16"] }
                  relay { address = "%2$s", serves = ["10.9.0.0/16"], key-file = "%3$s" }
                  pipelines { cloud { source = tun, stages = [tun-read, relay-server, tun-write] } }
                }
                """.formatted(dir, RELAY, relayKeyFile));
        relayProcess = SteadfastProcess.start(cloud, "relay", relayProfile, dir.resolve("relay.sock"), dir.resolve("relay.log"), jvmOptions);
        if (!strongSwan) {
            gatewayAProcess.awaitReady();
            gatewayBProcess.awaitReady();
        }
        relayProcess.awaitReady();
        // Two at a time: a JVM's start-up takes a core for a second or two, and this machine kind has two.
        for (int i = 1; i <= count; i++) {
            clientProcesses.add(startClient(i, espKeyFile, relayKeyFile, pskFile));
            if (i % 2 == 0 || i == count) {
                for (int j = Math.max(0, i - 2); j < i; j++) clientProcesses.get(j).awaitReady();
            }
        }
        return this;
    }

    private static String spi(int base, int client) {
        return String.format("0x%08x", base + client);
    }

    /** A gateway with one SA pair per client; pool 10.100.{pool}.0/24 routed into its TUN. */
    private SteadfastProcess startGateway(String label, Netns ns, int pool, int inBase, int outBase, String clientAddress,
                                          Path keyFile) throws IOException {
        StringBuilder sas = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            String v = pool == 1 ? careOfA(i) : careOfB(i);
            sas.append("      { name = to-c").append(i).append(", direction = out, spi = \"").append(spi(outBase, i))
                    .append("\", algorithm = aes128gcm16, peer = \"").append(clientAddress.formatted(i)).append(":4500\", traffic-selector = \"")
                    .append(v).append("/32\" }\n");
            sas.append("      { name = from-c").append(i).append(", direction = in, spi = \"").append(spi(inBase, i))
                    .append("\", algorithm = aes128gcm16 }\n");
        }
        Path profile = Files.writeString(dir.resolve("gateway-" + label + ".conf"), """
                steadfast {
                  kind = gateway
                  name = roaming-gw-%1$s
                  control.socket = "%2$s/gateway-%1$s.sock"
                  tun { name = sf-g%1$s, addresses = ["10.100.%3$d.1/32"], routes = ["10.100.%3$d.0/24"] }
                  udp { address = "0.0.0.0", port = 4500 }
                  esp {
                    key-file = "%4$s"
                    security-associations = [
                %5$s    ]
                  }
                  pipelines {
                    to-clients { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
                    from-clients { source = udp, stages = [udp-recv, esp-decrypt, tun-write] }
                  }
                }
                """.formatted(label, dir, pool, keyFile, sas));
        return SteadfastProcess.start(ns, "gateway", profile, dir.resolve("gateway-" + label + ".sock"),
                dir.resolve("gateway-" + label + ".log"), jvmOptions);
    }

    /** A strongSwan responder for client 1, handing out {@code careOf}, everything behind it reachable. */
    private static String charonConf(String label, String address, String careOf, String secret) {
        return """
                connections {
                  rw {
                    version = 2
                    local_addrs = %2$s
                    proposals = aes128gcm16-prfsha256-x25519
                    encap = yes
                    pools = pool
                    local { auth = psk
                      id = gw-%1$s.example }
                    remote { auth = psk
                      id = client-1.example }
                    children { net { local_ts = 0.0.0.0/0
                      esp_proposals = aes128gcm16 } }
                  }
                }
                pools { pool { addrs = %3$s-%3$s } }
                secrets { ike-client { id-1 = client-1.example
                  id-2 = gw-%1$s.example
                  secret = "%4$s" } }
                """.formatted(label, address, careOf, secret);
    }

    private SteadfastProcess startClient(int i, Path espKeys, Path relayKeys, Path pskFile) throws IOException {
        String failoverOut = withFailover ? "probe-injector, failover-controller, " : "";
        String failoverIn = withFailover ? "inbound-monitor, " : "";
        String outbound = (withRelay ? "tun-read, ipip-encap, relay-client, " : "tun-read, ") + failoverOut + "esp-encrypt, udp-send";
        String inbound = "udp-recv, " + (strongSwan ? "ike, " : "") + "esp-decrypt, " + failoverIn + (withRelay ? "ipip-decap, tun-write" : "tun-write");
        String failover = !withFailover ? "" : "failover { probe-target = \"" + SERVER + "\", "
                + (failoverSettings.isEmpty() ? "" : failoverSettings + ", ") + "gateways = ["
                + (strongSwan ? "{ name = gw-a, ike-gateway = gw-a }, { name = gw-b, ike-gateway = gw-b }] }"
                        : "{ name = gw-a, outbound-sa = to-a, inbound-sa = from-a }, { name = gw-b, outbound-sa = to-b, inbound-sa = from-b }] }");
        String sas = strongSwan ? """
                  ike.gateways = [
                    { name = gw-a, address = "10.1.%1$d.2", local-id = client-%1$d.example, remote-id = gw-a.example, psk-file = "%2$s" }
                    { name = gw-b, address = "10.4.%1$d.2", local-id = client-%1$d.example, remote-id = gw-b.example, psk-file = "%2$s" }
                  ]
                """.formatted(i, pskFile) : """
                  esp {
                    key-file = "%4$s"
                    security-associations = [
                      { name = to-a, direction = out, spi = "%5$s", algorithm = aes128gcm16, peer = "10.1.%1$d.2:4500", care-of = "%6$s" }
                      { name = to-b, direction = out, spi = "%7$s", algorithm = aes128gcm16, peer = "10.4.%1$d.2:4500", care-of = "%8$s" }
                      { name = from-a, direction = in, spi = "%9$s", algorithm = aes128gcm16 }
                      { name = from-b, direction = in, spi = "%10$s", algorithm = aes128gcm16 }
                    ]
                  }
                """.formatted(i, null, null, espKeys, spi(0x1000, i), careOfA(i), spi(0x3000, i), careOfB(i), spi(0x2000, i), spi(0x4000, i));
        String relay = withRelay
                ? "relay { address = \"%s\", client-id = %d, key-file = \"%s\", lifetime = 60s }".formatted(RELAY, i, relayKeys)
                : "";
        Path profile = Files.writeString(dir.resolve("client-" + i + ".conf"), """
                steadfast {
                  kind = client
                  name = roaming-client-%1$d
                  control.socket = "%2$s/client-%1$d.sock"
                  tun { name = sf-c, addresses = ["%3$s/32"], routes = ["10.2.0.0/24"]%10$s }
                  udp { address = "0.0.0.0", port = 4500 }
                %4$s
                  %5$s
                  %6$s
                  %11$s
                  pipelines {
                    %7$s { source = tun, stages = [%8$s] }
                    inbound { source = udp, stages = [%9$s] }
                  }
                }
                """.formatted(i, dir, appAddress(i), sas, relay, failover, OUTBOUND, outbound, inbound,
                // strongSwan's kernel-libipsec TUN has an MTU of 1400 (not configurable in 5.9.8): with the relay's
                // 20-byte IP-in-IP header, the client's packets must stay at 1380
                strongSwan && withRelay ? ", mtu = 1380" : "", coldStandby ? "stages.ike.standby = cold" : ""));
        return SteadfastProcess.start(clients.get(i - 1), "client", profile, dir.resolve("client-" + i + ".sock"),
                dir.resolve("client-" + i + ".log"), jvmOptions);
    }

    /** Client {@code i}'s namespace (1-based). */
    public Netns client(int i) {
        return clients.get(i - 1);
    }

    public SteadfastProcess clientProcess(int i) {
        return clientProcesses.get(i - 1);
    }

    public SteadfastProcess gatewayAProcess() {
        return gatewayAProcess;
    }

    public SteadfastProcess gatewayBProcess() {
        return gatewayBProcess;
    }

    public SteadfastProcess relayProcess() {
        return relayProcess;
    }

    /**
     * Waits until the relay binds client {@code i}'s S to {@code careOf} (its binding update was accepted);
     * throws with the client's log and the relay's status if 20 s pass.
     */
    public void awaitBound(int i, String careOf) throws IOException, InterruptedException {
        try {
            relayProcess.awaitStatus(stable(i) + " -> " + careOf + " ", java.time.Duration.ofSeconds(20));
        } catch (IOException e) {
            throw new IOException("the relay did not bind " + stable(i) + " to " + careOf + ": " + e.getMessage()
                    + "\nclient " + i + ":\n" + clientProcess(i).status() + clientProcess(i).log(), e);
        }
    }

    /** A network-layer failure: client {@code i}'s link to gateway A goes down. */
    public void cutPathToA(int i) throws IOException {
        client(i).run("ip", "link", "set", Testbed.ifName("ga"), "down");
    }

    /** Client {@code i}'s link to gateway A comes back up. */
    public void restorePathToA(int i) throws IOException {
        client(i).run("ip", "link", "set", Testbed.ifName("ga"), "up");
    }

    /** A network-layer failure: client {@code i}'s link to gateway B goes down. */
    public void cutPathToB(int i) throws IOException {
        client(i).run("ip", "link", "set", Testbed.ifName("gb"), "down");
    }

    /** Client {@code i}'s link to gateway B comes back up. */
    public void restorePathToB(int i) throws IOException {
        client(i).run("ip", "link", "set", Testbed.ifName("gb"), "up");
    }

    /** A VPN-layer failure: gateway A's process dies at once (SIGKILL); its host still routes. */
    public void killGatewayA() throws InterruptedException {
        if (charonA != null) {
            ProcessHandle.of(charonA.pid()).ifPresent(ProcessHandle::destroyForcibly);
            return;
        }
        gatewayAProcess.process().destroyForcibly().waitFor();
    }

    /** Gateway A's charon, with strongSwan gateways (else null). */
    public Charon charonA() {
        return charonA;
    }

    /** Gateway B's charon, with strongSwan gateways (else null). */
    public Charon charonB() {
        return charonB;
    }

    /** Client {@code i} sends through gateway B from now on (and re-registers V_B with the relay, if it has one). */
    public String moveToB(int i) throws IOException {
        return clientProcess(i).control(OUTBOUND, "esp-encrypt", "use to-b");
    }

    /** Stops every process (clients first) and deletes the namespaces. */
    @Override
    public void close() throws Exception {
        try {
            List<SteadfastProcess> all = new ArrayList<>(clientProcesses);
            all.add(relayProcess);
            all.add(gatewayBProcess);
            all.add(gatewayAProcess);
            for (SteadfastProcess p : all) {
                if (p != null) p.stop();
            }
            for (Charon c : new Charon[] {charonA, charonB}) {
                if (c != null) c.close();
            }
        } finally {
            bed.close();
        }
    }
}
