package io.steadfast.pipeline.testbed;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small network of namespaces joined by veth pairs, for tests, the demo and the system benchmark. Every
 * host is a fresh namespace with a unique name; {@link #close()} deletes them all, and with them every
 * veth, TUN device and route inside. Addresses are only ever inside these namespaces.
 *
 * <pre>{@code
 * try (Testbed bed = new Testbed()) {
 *     Netns client = bed.host("client"), gateway = bed.router("gw");
 *     bed.link(client, "10.1.0.1/24", gateway, "10.1.0.2/24");
 *     client.run("ping", "-c", "1", "10.1.0.2");
 * }
 * }</pre>
 */
public final class Testbed implements AutoCloseable {
    private final Map<String, Netns> hosts = new LinkedHashMap<>();

    /** A new host (namespace, loopback up) named {@code label} within this bed. */
    public Netns host(String label) throws IOException {
        if (hosts.containsKey(label)) throw new IllegalArgumentException("host " + label + " exists");
        Netns ns = Netns.create(label);
        hosts.put(label, ns);
        return ns;
    }

    /** A new host that forwards IPv4 between its interfaces. */
    public Netns router(String label) throws IOException {
        Netns ns = host(label);
        ns.run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        // Tunnels make asymmetric paths on purpose; reverse-path filtering would drop them.
        ns.run("sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=0");
        ns.run("sysctl", "-q", "-w", "net.ipv4.conf.default.rp_filter=0");
        return ns;
    }

    /** The host named {@code label}. */
    public Netns get(String label) {
        Netns ns = hosts.get(label);
        if (ns == null) throw new IllegalArgumentException("no host " + label);
        return ns;
    }

    /**
     * Joins two hosts with a veth pair, each end with an address (CIDR) and up. The interface in {@code a}
     * is named after {@code b}'s label ({@code to-LABEL}, at most 15 characters) and the other way round.
     */
    public void link(Netns a, String aAddress, Netns b, String bAddress) throws IOException {
        String aIf = ifName(labelOf(b));
        String bIf = ifName(labelOf(a));
        Netns.exec(List.of("ip", "link", "add", aIf, "netns", a.name(), "type", "veth", "peer", "name", bIf, "netns", b.name()), 10);
        a.run("ip", "addr", "add", aAddress, "dev", aIf);
        b.run("ip", "addr", "add", bAddress, "dev", bIf);
        a.run("ip", "link", "set", aIf, "up");
        b.run("ip", "link", "set", bIf, "up");
    }

    /** The name of the interface in a host that leads to the host labelled {@code peerLabel}. */
    public static String ifName(String peerLabel) {
        String n = "to-" + peerLabel;
        return n.length() > 15 ? n.substring(0, 15) : n;
    }

    /** Writes a key file readable by its owner only (mode 0600), as Steadfast expects key files to be. */
    public static Path writeSecret(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Adds a route in {@code host}: {@code prefix} via {@code gateway}. */
    public void route(Netns host, String prefix, String gateway) throws IOException {
        host.run("ip", "route", "add", prefix, "via", gateway);
    }

    private String labelOf(Netns ns) {
        return hosts.entrySet().stream().filter(e -> e.getValue() == ns).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(ns.name() + " is not a host of this bed"));
    }

    /** Deletes every namespace; tries them all and reports the first failure. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        List<Netns> all = new ArrayList<>(hosts.values());
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (IOException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        hosts.clear();
        if (first != null) throw first;
    }
}
