package io.steadfast.pipeline.testbed;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The relay test network: the client keeps its stable address S on its TUN and reaches the cloud through
 * our gateway; everything S sends is wrapped V -> R and unwrapped by our relay, and the cloud routes S's
 * replies to the relay, which wraps them R -> V back to the gateway that owns V.
 *
 * <pre>
 *  C [sf-c S=10.9.0.1] 10.1.0.1 == 10.1.0.2 G (gateway, router, V pool 10.100.1.0/24 in sf-g)
 *                                           G 10.3.0.1 == 10.3.0.2 RH (relay host; R=10.20.0.2 and 10.9.0.0/16 in sf-r)
 *                                           G 10.2.0.1 == 10.2.0.2 SV (server)
 * </pre>
 */
public final class RelayNetwork implements AutoCloseable {
    public static final String SERVER = "10.2.0.2";
    public static final String STABLE = "10.9.0.1";
    public static final String CARE_OF = "10.100.1.5";
    public static final String RELAY = "10.20.0.2";
    public static final int CLIENT_ID = 7;

    public final Testbed bed = new Testbed();
    public final Netns client;
    public final Netns gateway;
    public final Netns relayHost;
    public final Netns server;
    private final Path dir;
    private String[] jvmOptions = {};
    private SteadfastProcess clientProcess;
    private SteadfastProcess gatewayProcess;
    private SteadfastProcess relayProcess;

    /** Builds the four hosts and their routes; nothing runs yet. Files go to {@code dir}. */
    public RelayNetwork(Path dir) throws IOException {
        this.dir = dir;
        try {
            client = bed.host("c");
            gateway = bed.router("g");
            relayHost = bed.router("rh");
            server = bed.host("sv");
            bed.link(client, "10.1.0.1/24", gateway, "10.1.0.2/24");
            bed.link(gateway, "10.3.0.1/24", relayHost, "10.3.0.2/24");
            bed.link(gateway, "10.2.0.1/24", server, "10.2.0.2/24");
            bed.route(gateway, RELAY + "/32", "10.3.0.2");      // the cloud routes R to the relay host
            bed.route(gateway, "10.9.0.0/16", "10.3.0.2");      // ... and the stable prefix too
            relayHost.run("ip", "route", "add", "default", "via", "10.3.0.1");
            bed.route(server, "10.9.0.0/16", "10.2.0.1");
        } catch (IOException | RuntimeException e) {
            bed.close();
            throw e;
        }
    }

    /** Extra JVM options for the three processes (tests: the paranoid leak detector). */
    public RelayNetwork jvmOptions(String... options) {
        this.jvmOptions = options.clone();
        return this;
    }

    /**
     * Writes keys and profiles and starts gateway, relay and client; waits until all answer. If anything fails
     * to start, stops what did and deletes the namespaces before throwing.
     *
     * @param withRelay false leaves the relay stages out of the client's pipelines: S then goes straight
     *                  through the tunnel, and replies to S reach the relay, which has no binding for S
     */
    public RelayNetwork start(boolean withRelay) throws IOException, InterruptedException {
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
    private RelayNetwork startAll(boolean withRelay) throws IOException, InterruptedException {
        SecureRandom random = new SecureRandom();
        byte[] up = new byte[20], down = new byte[20], relayKey = new byte[32];
        random.nextBytes(up);
        random.nextBytes(down);
        random.nextBytes(relayKey);
        HexFormat hex = HexFormat.of();
        Path espKeys = Testbed.writeSecret(dir.resolve("esp.keys"), "0x00001001 0x" + hex.formatHex(up) + "\n0x00002001 0x" + hex.formatHex(down) + "\n");
        Path relayKeys = Testbed.writeSecret(dir.resolve("relay.keys"), "# CLIENT-ID STABLE-ADDRESS KEY\n" + CLIENT_ID + " " + STABLE + " 0x" + hex.formatHex(relayKey) + "\n");
        Path gatewayProfile = Files.writeString(dir.resolve("gateway.conf"), """
                steadfast {
                  kind = gateway
                  name = relay-test-gw
                  control.socket = "%1$s/gateway.sock"
                  tun { name = sf-g, addresses = ["10.100.1.1/32"], routes = ["10.100.1.0/24"] }
                  udp { address = "10.1.0.2", port = 4500 }
                  esp {
                    key-file = "%2$s"
                    security-associations = [
                      { name = to-client, direction = out, spi = "0x00002001", algorithm = aes128gcm16, peer = "10.1.0.1:4500", traffic-selector = "10.100.1.0/24" }
                      { name = from-client, direction = in, spi = "0x00001001", algorithm = aes128gcm16 }
                    ]
                  }
                  pipelines {
                    to-clients { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
                    from-clients { source = udp, stages = [udp-recv, esp-decrypt, tun-write] }
                  }
                }
                """.formatted(dir, espKeys));
        Path relayProfile = Files.writeString(dir.resolve("relay.conf"), """
                steadfast {
                  kind = relay
                  name = relay-test-relay
                  control.socket = "%1$s/relay.sock"
                  tun { name = sf-r, routes = ["%2$s/32", "10.9.0.0/16"] }
                  relay { address = "%2$s", serves = ["10.9.0.0/16"], key-file = "%3$s" }
                  pipelines { cloud { source = tun, stages = [tun-read, relay-server, tun-write] } }
                }
                """.formatted(dir, RELAY, relayKeys));
        String outbound = withRelay ? "tun-read, ipip-encap, relay-client, esp-encrypt, udp-send" : "tun-read, esp-encrypt, udp-send";
        String inbound = withRelay ? "udp-recv, esp-decrypt, ipip-decap, tun-write" : "udp-recv, esp-decrypt, tun-write";
        Path clientProfile = Files.writeString(dir.resolve("client.conf"), """
                steadfast {
                  kind = client
                  name = relay-test-client
                  control.socket = "%1$s/client.sock"
                  tun { name = sf-c, addresses = ["%2$s/32"], routes = ["10.2.0.0/24"] }
                  udp { address = "10.1.0.1", port = 4500 }
                  esp {
                    key-file = "%3$s"
                    security-associations = [
                      { name = to-gw, direction = out, spi = "0x00001001", algorithm = aes128gcm16, peer = "10.1.0.2:4500" }
                      { name = from-gw, direction = in, spi = "0x00002001", algorithm = aes128gcm16 }
                    ]
                  }
                  relay { address = "%4$s", client-id = %5$d, key-file = "%6$s", care-of = "%7$s", lifetime = 60s }
                  pipelines {
                    outbound { source = tun, stages = [%8$s] }
                    inbound { source = udp, stages = [%9$s] }
                  }
                }
                """.formatted(dir, STABLE, espKeys, RELAY, CLIENT_ID, relayKeys, CARE_OF, outbound, inbound));
        gatewayProcess = SteadfastProcess.start(gateway, "gateway", gatewayProfile, dir.resolve("gateway.sock"), dir.resolve("gateway.log"), jvmOptions);
        relayProcess = SteadfastProcess.start(relayHost, "relay", relayProfile, dir.resolve("relay.sock"), dir.resolve("relay.log"), jvmOptions);
        gatewayProcess.awaitReady();
        relayProcess.awaitReady();
        clientProcess = SteadfastProcess.start(client, "client", clientProfile, dir.resolve("client.sock"), dir.resolve("client.log"), jvmOptions);
        clientProcess.awaitReady();
        return this;
    }


    public SteadfastProcess clientProcess() {
        return clientProcess;
    }

    public SteadfastProcess gatewayProcess() {
        return gatewayProcess;
    }

    public SteadfastProcess relayProcess() {
        return relayProcess;
    }

    /** Stops the processes and deletes the namespaces. */
    @Override
    public void close() throws Exception {
        try {
            for (SteadfastProcess p : new SteadfastProcess[] {clientProcess, relayProcess, gatewayProcess}) {
                if (p != null) p.stop();
            }
        } finally {
            bed.close();
        }
    }
}
