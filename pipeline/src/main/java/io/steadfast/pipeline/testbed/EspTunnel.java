package io.steadfast.pipeline.testbed;

import io.steadfast.esp.EspAlgorithm;
import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The ESP test network, for the integration tests and the system benchmark: client host C (apps use 10.9.0.1 on its TUN) - gateway host G - server host S,
 * our client in C and our gateway in G, manually keyed with fresh random keys.
 *
 * <pre>
 *  C [sf-c 10.9.0.1] 10.1.0.1 ==veth== 10.1.0.2 G [sf-g] 10.2.0.1 ==veth== 10.2.0.2 S
 *     client: tun -> esp -> udp 4500          gateway: udp 4500 -> esp -> tun -> forward
 * </pre>
 */
public final class EspTunnel implements AutoCloseable {
    public static final int CLIENT_TO_GATEWAY_SPI = 0x1001;
    public static final int GATEWAY_TO_CLIENT_SPI = 0x2001;
    /** The server's address, behind the gateway. */
    public static final String SERVER = "10.2.0.2";
    /** The client's address on its TUN: what the server sees. */
    public static final String CLIENT_INNER = "10.9.0.1";

    public final Testbed bed = new Testbed();
    public final Netns client;
    public final Netns gateway;
    public final Netns server;
    public final EspAlgorithm algorithm;
    public final byte[] clientToGatewayKey;
    public final byte[] gatewayToClientKey;
    private final Path dir;
    private SteadfastProcess clientProcess;
    private SteadfastProcess gatewayProcess;
    private String[] jvmOptions = {};
    private String settings = "";

    /** Builds the three hosts in namespaces; nothing runs yet. Files (profiles, keys, logs) go to {@code dir}. */
    public EspTunnel(Path dir, EspAlgorithm algorithm) throws IOException {
        this.dir = dir.toAbsolutePath(); // profiles name their key files by absolute path
        this.algorithm = algorithm;
        SecureRandom random = new SecureRandom();
        clientToGatewayKey = new byte[algorithm.keyMaterialLength()];
        gatewayToClientKey = new byte[algorithm.keyMaterialLength()];
        random.nextBytes(clientToGatewayKey);
        random.nextBytes(gatewayToClientKey);
        try {
            client = bed.host("c");
            gateway = bed.router("g");
            server = bed.host("s");
            bed.link(client, "10.1.0.1/24", gateway, "10.1.0.2/24");
            bed.link(gateway, "10.2.0.1/24", server, "10.2.0.2/24");
            bed.route(server, "10.9.0.0/24", "10.2.0.1");
        } catch (IOException | RuntimeException e) {
            bed.close();
            throw e;
        }
    }

    /**
     * Extra JVM options for the client and gateway processes, e.g. {@code -Dio.netty.leakDetection.level=paranoid}
     * in tests (it costs about 5x throughput, so benchmarks leave it out). Call before {@link #start}.
     */
    public EspTunnel jvmOptions(String... options) {
        this.jvmOptions = options.clone();
        return this;
    }

    /**
     * Profile lines added to both client and gateway, e.g. {@code "tun.offload = false"} or {@code "transport =
     * epoll"} (later keys win in HOCON). Call before {@link #start}.
     */
    public EspTunnel settings(String... lines) {
        this.settings = String.join("\n", lines);
        return this;
    }

    /**
     * Writes the key file and both profiles, starts client and gateway, waits until both answer. If either
     * fails to start, stops the other and deletes the namespaces before throwing.
     */
    public EspTunnel start(String... extraClientStages) throws IOException, InterruptedException {
        try {
            return startAll(extraClientStages);
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
    private EspTunnel startAll(String... extraClientStages) throws IOException, InterruptedException {
        Path keys = dir.resolve("tunnel.keys");
        Testbed.writeSecret(keys, "# test keys\n" + hex(CLIENT_TO_GATEWAY_SPI) + " 0x" + HexFormat.of().formatHex(clientToGatewayKey) + "\n"
                + hex(GATEWAY_TO_CLIENT_SPI) + " 0x" + HexFormat.of().formatHex(gatewayToClientKey) + "\n");
        String alg = algorithm.keyword();
        Path clientProfile = Files.writeString(dir.resolve("client.conf"), """
                steadfast {
                  kind = client
                  name = esp-client
                  control.socket = "%s/client.sock"
                  tun { name = sf-c, addresses = ["10.9.0.1/32"], routes = ["10.2.0.0/24"] }
                  udp { address = "10.1.0.1", port = 4500 }
                  esp {
                    key-file = "%s"
                    security-associations = [
                      { name = to-gw, direction = out, spi = "%s", algorithm = %s, peer = "10.1.0.2:4500" }
                      { name = from-gw, direction = in, spi = "%s", algorithm = %s }
                    ]
                  }
                  pipelines {
                    outbound { source = tun, stages = [tun-read, %sesp-encrypt, udp-send] }
                    inbound { source = udp, stages = [udp-recv, esp-decrypt, tun-write] }
                  }
                %s
                }
                """.formatted(dir, keys, hex(CLIENT_TO_GATEWAY_SPI), alg, hex(GATEWAY_TO_CLIENT_SPI), alg,
                String.join("", java.util.Arrays.stream(extraClientStages).map(s -> s + ", ").toList()), settings));
        Path gatewayProfile = Files.writeString(dir.resolve("gateway.conf"), """
                steadfast {
                  kind = gateway
                  name = esp-gateway
                  control.socket = "%s/gateway.sock"
                  tun { name = sf-g, addresses = ["10.9.255.1/32"], routes = ["10.9.0.0/24"] }
                  udp { address = "10.1.0.2", port = 4500 }
                  esp {
                    key-file = "%s"
                    security-associations = [
                      { name = to-client, direction = out, spi = "%s", algorithm = %s, peer = "10.1.0.1:4500", traffic-selector = "10.9.0.0/24" }
                      { name = from-client, direction = in, spi = "%s", algorithm = %s }
                    ]
                  }
                  pipelines {
                    to-clients { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
                    from-clients { source = udp, stages = [udp-recv, esp-decrypt, tun-write] }
                  }
                %s
                }
                """.formatted(dir, keys, hex(GATEWAY_TO_CLIENT_SPI), alg, hex(CLIENT_TO_GATEWAY_SPI), alg, settings));
        gatewayProcess = SteadfastProcess.start(gateway, "gateway", gatewayProfile, dir.resolve("gateway.sock"),
                dir.resolve("gateway.log"), jvmOptions);
        clientProcess = SteadfastProcess.start(client, "client", clientProfile, dir.resolve("client.sock"),
                dir.resolve("client.log"), jvmOptions);
        gatewayProcess.awaitReady();
        clientProcess.awaitReady();
        return this;
    }

    public SteadfastProcess clientProcess() {
        return clientProcess;
    }

    public SteadfastProcess gatewayProcess() {
        return gatewayProcess;
    }

    /** An SPI as key files and tshark write it. */
    public static String hex(int spi) {
        return String.format("0x%08x", spi);
    }

    /** Stops both processes and deletes the namespaces. */
    @Override
    public void close() throws Exception {
        try {
            if (clientProcess != null) clientProcess.stop();
            if (gatewayProcess != null) gatewayProcess.stop();
        } finally {
            bed.close();
        }
    }
}
