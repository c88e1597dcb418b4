package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import io.steadfast.pipeline.testbed.RoamingNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Row (c): our client (stable address S on its TUN, relay stages on) - our gateway A - the cloud router with
 * our relay - the server ({@link RoamingNetwork} with one client): everything from S goes V -> R in IP-in-IP
 * inside ESP, the relay unwraps it toward the server and wraps the server's replies R -> V back through the
 * gateway. Gateway B is there but idle.
 */
final class SteadfastRelayPath implements BenchPath {
    private final RoamingNetwork net;

    private SteadfastRelayPath(RoamingNetwork net) {
        this.net = net;
    }

    /** Builds the namespaces, starts gateway, relay and client, waits until the relay has bound S. */
    static SteadfastRelayPath open(Path dir) throws Exception {
        RoamingNetwork net = new RoamingNetwork(dir, 1);
        try {
            net.start(true);
            net.awaitBound(1, RoamingNetwork.careOfA(1)); // the binding must be acknowledged before S's traffic passes
            return new SteadfastRelayPath(net);
        } catch (Exception e) {
            net.close();
            throw e;
        }
    }


    @Override
    public Netns client() {
        return net.client(1);
    }

    @Override
    public Netns server() {
        return net.server;
    }

    @Override
    public String serverAddress() {
        return RoamingNetwork.SERVER;
    }

    @Override
    public List<Tracked> processes() {
        return List.of(new Tracked("client", net.clientProcess(1).process().pid()),
                new Tracked("gateway", net.gatewayAProcess().process().pid()),
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
        return List.of(DropReport.of("client", net.client(1), "sf-c", net.clientProcess(1).status()),
                DropReport.of("gateway", net.gatewayA, "sf-ga", net.gatewayAProcess().status()),
                DropReport.of("relay", net.cloud, "sf-r", relay) + "; relayed packets.from-clients="
                        + counter(relay, "packets.from-clients") + ", packets.to-clients=" + counter(relay, "packets.to-clients"));
    }

    @Override
    public String jvmOptions() {
        return JvmOptions.of(net.clientProcess(1).process().pid());
    }

    /** Stops the three processes (by PID) and deletes the namespaces. */
    @Override
    public void close() throws Exception {
        net.close();
    }
}
