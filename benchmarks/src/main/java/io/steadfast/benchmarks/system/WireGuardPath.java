package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import io.steadfast.pipeline.testbed.Testbed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Anchor row: wireguard-go (Debian package, user space; the kernel has no WireGuard) in C and in G, configured
 * with {@code wg} from wireguard-tools, on {@link ThreeHosts}. Same tunnel MTU (1400) and TUN queue (1000) as
 * our client and gateway. Each wireguard-go runs in the foreground and is ended by PID; its control socket
 * ({@code /var/run/wireguard/NAME.sock}, shared by all namespaces) carries this JVM's PID in its name.
 */
final class WireGuardPath extends ThreeHostsPath {
    static final int PORT = 51820;
    private static final Path SOCKETS = Path.of("/var/run/wireguard");
    private Daemon clientDaemon;
    private Daemon gatewayDaemon;
    private final String clientIf = "wgc" + ProcessHandle.current().pid();
    private final String gatewayIf = "wgg" + ProcessHandle.current().pid();

    private WireGuardPath(ThreeHosts hosts) {
        super(hosts);
    }

    /** Builds the namespaces, starts both wireguard-go processes and configures them; keys go to {@code dir}. */
    static WireGuardPath open(Path dir) throws Exception {
        return started(new WireGuardPath(new ThreeHosts()), dir);
    }

    @Override
    void start(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path clientKey = Testbed.writeSecret(dir.resolve("wg-client.key"), Commands.run(null, "wg", "genkey"));
        Path gatewayKey = Testbed.writeSecret(dir.resolve("wg-gateway.key"), Commands.run(null, "wg", "genkey"));
        String clientPub = Commands.run(clientKey, "wg", "pubkey").strip();
        String gatewayPub = Commands.run(gatewayKey, "wg", "pubkey").strip();
        gatewayDaemon = launch(hosts.gateway, gatewayIf, dir.resolve("wireguard-go-gateway.log"));
        clientDaemon = launch(hosts.client, clientIf, dir.resolve("wireguard-go-client.log"));
        hosts.gateway.run("wg", "set", gatewayIf, "listen-port", String.valueOf(PORT), "private-key", gatewayKey.toString(),
                "peer", clientPub, "allowed-ips", ThreeHosts.INNER);
        hosts.client.run("wg", "set", clientIf, "listen-port", String.valueOf(PORT), "private-key", clientKey.toString(),
                "peer", gatewayPub, "endpoint", ThreeHosts.GATEWAY_OUTER + ":" + PORT, "allowed-ips", ThreeHosts.CLOUD);
        TunnelDevices.up(hosts.gateway, gatewayIf, ThreeHosts.GATEWAY_INNER, ThreeHosts.INNER);
        TunnelDevices.up(hosts.client, clientIf, ThreeHosts.CLIENT_INNER, ThreeHosts.CLOUD);
    }

    /** Starts {@code wireguard-go -f IF} in {@code ns} and waits for its control socket. */
    private static Daemon launch(Netns ns, String device, Path log) throws Exception {
        Daemon d = Daemon.start(ns, log, "wireguard-go", "-f", device);
        try {
            d.await(() -> Files.exists(socket(device)), "opened no control socket " + socket(device), 10);
            return d;
        } catch (Exception e) {
            d.stop();
            throw e;
        }
    }

    private static Path socket(String device) {
        return SOCKETS.resolve(device + ".sock");
    }

    @Override
    public List<Tracked> processes() {
        return List.of(new Tracked("client", clientDaemon.pid()), new Tracked("gateway", gatewayDaemon.pid()));
    }

    @Override
    public List<String> drops() {
        return List.of("client: wireguard-go; kernel " + DropReport.kernelCounters(hosts.client, clientIf),
                "gateway: wireguard-go; kernel " + DropReport.kernelCounters(hosts.gateway, gatewayIf));
    }

    /** Ends both wireguard-go processes by PID, removes their sockets if they left them, deletes the namespaces. */
    @Override
    public void close() throws Exception {
        try {
            if (clientDaemon != null) clientDaemon.stop();
            if (gatewayDaemon != null) gatewayDaemon.stop();
            Files.deleteIfExists(socket(clientIf));
            Files.deleteIfExists(socket(gatewayIf));
        } finally {
            hosts.close();
        }
    }
}
