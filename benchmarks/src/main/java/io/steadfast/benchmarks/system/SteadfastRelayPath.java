package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import io.steadfast.pipeline.testbed.RelayNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Row (c): our client (stable address S on its TUN, relay stages on) - our gateway - our relay in the cloud
 * ({@link RelayNetwork}): everything from S goes V -> R in IP-in-IP inside ESP, the relay unwraps it toward
 * the server and wraps the server's replies R -> V back through the gateway.
 */
final class SteadfastRelayPath implements BenchPath {
    private static final int BIND_SECONDS = 20;
    /**
     * The gateway's and the relay's TUN MTU: a client's 1400-byte packet wrapped V -> R in IP-in-IP is 1420 bytes
     * and crosses both TUNs. {@link RelayNetwork}'s profiles leave them at the old default 1400, where full-size
     * TCP segments from the client are dropped; main's profiles now default gateways and relays to 1420, and
     * then this is a no-op. The client stays at 1400, as in (b).
     */
    static final int GATEWAY_RELAY_MTU = 1420;
    private final RelayNetwork net;

    private SteadfastRelayPath(RelayNetwork net) {
        this.net = net;
    }

    /** Builds the namespaces, starts gateway, relay and client, waits until the relay has bound S. */
    static SteadfastRelayPath open(Path dir) throws Exception {
        RelayNetwork net = new RelayNetwork(dir);
        try {
            net.start(true);
            net.gateway.run("ip", "link", "set", "dev", "sf-g", "mtu", String.valueOf(GATEWAY_RELAY_MTU));
            net.relayHost.run("ip", "link", "set", "dev", "sf-r", "mtu", String.valueOf(GATEWAY_RELAY_MTU));
            awaitBound(net);
            return new SteadfastRelayPath(net);
        } catch (Exception e) {
            net.close();
            throw e;
        }
    }

    /** The client's binding update must be acknowledged before traffic from S can pass the relay. */
    private static void awaitBound(RelayNetwork net) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BIND_SECONDS);
        String status = "";
        while (System.nanoTime() < deadline) {
            status = net.clientProcess().status();
            if (status.contains("bound=1")) return;
            Thread.sleep(100);
        }
        throw new IOException("the relay did not bind the client's stable address within " + BIND_SECONDS
                + " s; client status:\n" + status + "\nrelay status:\n" + net.relayProcess().status());
    }

    @Override
    public Netns client() {
        return net.client;
    }

    @Override
    public Netns server() {
        return net.server;
    }

    @Override
    public String serverAddress() {
        return RelayNetwork.SERVER;
    }

    @Override
    public List<Tracked> processes() {
        return List.of(new Tracked("client", net.clientProcess().process().pid()),
                new Tracked("gateway", net.gatewayProcess().process().pid()),
                new Tracked("relay", net.relayProcess().process().pid()));
    }

    /** The warm-up's TCP segments must have crossed the relay both ways. */
    @Override
    public void verify() throws IOException {
        String status = net.relayProcess().status();
        long from = counter(status, "packets.from-clients"), to = counter(status, "packets.to-clients");
        if (from < 100 || to < 100) {
            throw new IOException("the warm-up did not go through the relay (packets.from-clients=" + from
                    + ", packets.to-clients=" + to + "); relay status:\n" + status);
        }
    }

    /** The value of counter {@code name} ("name=123") in a status answer, or -1 if it has none. */
    static long counter(String status, String name) {
        Matcher m = Pattern.compile("(?<![\\w.-])" + Pattern.quote(name) + "=(\\d+)").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Override
    public List<String> drops() throws IOException {
        String relay = net.relayProcess().status();
        return List.of(DropReport.of("client", net.client, "sf-c", net.clientProcess().status()),
                DropReport.of("gateway", net.gateway, "sf-g", net.gatewayProcess().status()),
                DropReport.of("relay", net.relayHost, "sf-r", relay) + "; relayed packets.from-clients="
                        + counter(relay, "packets.from-clients") + ", packets.to-clients=" + counter(relay, "packets.to-clients"));
    }

    @Override
    public String jvmOptions() {
        return JvmOptions.of(net.clientProcess().process().pid());
    }

    /** Stops the three processes (by PID) and deletes the namespaces. */
    @Override
    public void close() throws Exception {
        net.close();
    }
}
