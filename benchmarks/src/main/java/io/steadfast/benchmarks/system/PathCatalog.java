package io.steadfast.benchmarks.system;

import io.steadfast.esp.EspAlgorithm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every row the system benchmark knows, in table order, each with the key {@code --paths} selects it by, its
 * label, the programs it needs, a one-line set-up description and how to open it. strongSwan's rows (b') and
 * (c') run charon through the {@code Charon} test bed; (c') adds a relay hop (a VXLAN tunnel through a fourth
 * namespace, {@link ThreeHosts#withRelayHop()}).
 *
 * <pre>{@code
 * for (PathCatalog.Spec s : PathCatalog.select("a,b,c")) try (BenchPath p = s.open(dir)) { ... }
 * }</pre>
 */
final class PathCatalog {
    /** What a row is: the yardstick, one of ours, or another VPN to compare with. */
    enum Kind { BARE, OURS, ANCHOR }

    /** Opens (builds and starts) a row's network; files go to the directory given. */
    interface Opener {
        BenchPath open(Path dir) throws Exception;
    }

    /**
     * One row.
     *
     * @param key         the name {@code --paths} uses
     * @param label       the table's row label
     * @param tools       programs it needs on the PATH, as "program (Debian package)"
     * @param setup       one line for the report's set-up section
     * @param opener      how to open it
     */
    record Spec(String key, String label, Kind kind, List<String> tools, String setup, Opener opener) {
        /** The program names of {@link #tools}. */
        List<String> programs() {
            return tools.stream().map(PathCatalog::program).toList();
        }

        BenchPath open(Path dir) throws Exception {
            return opener.open(dir);
        }
    }

    /** The programs of both strongSwan rows (charon itself is not on the PATH: {@code Charon} checks for it). */
    private static final List<String> STRONGSWAN_TOOLS = List.of("swanctl (strongswan-swanctl)", "unshare (util-linux)");

    /** Profile lines that switch every offload lever off (rows "-plain"). */
    static final String[] PLAIN = {"tun.offload = false", "udp.gro = false", "stages.udp-send.gso = false"};

    static final List<Spec> ALL = List.of(
            new Spec("a", "(a) bare veth routing", Kind.BARE, List.of(),
                    "C routes 10.2.0.0/24 via G, S routes 10.1.0.0/24 via G; plain kernel forwarding.",
                    dir -> BarePath.open()),
            new Spec("b", "(b) steadfast, AES-128-GCM", Kind.OURS, List.of(),
                    "our client in C (TUN sf-c 10.9.0.1, MTU 1400, route 10.2.0.0/24 into it) and our gateway in G, ESP in UDP 4500 with manual keys (the test bed EspTunnel).",
                    dir -> SteadfastEspPath.open(dir, EspAlgorithm.AES128GCM16)),
            new Spec("b-plain", "(b) steadfast, AES-128-GCM, no offloads", Kind.OURS, List.of(),
                    "as (b) with TUN offloads, UDP GSO and UDP GRO off (`tun.offload = false`, `udp.gro = false`, "
                            + "`stages.udp-send.gso = false`): one packet per read, write and send, as before those levers.",
                    dir -> SteadfastEspPath.open(dir, EspAlgorithm.AES128GCM16, PLAIN)),
            new Spec("b-uring", "(b) steadfast, AES-128-GCM, io_uring", Kind.OURS, List.of(),
                    "as (b) on Netty's io_uring transport (`transport = io_uring`; the default is epoll): the same offloads "
                            + "but UDP GRO, which Netty's io_uring datagram channel lacks (16 datagrams per read batch instead).",
                    dir -> SteadfastEspPath.open(dir, EspAlgorithm.AES128GCM16, "transport = io_uring")),
            new Spec("b-chacha", "(b) steadfast, ChaCha20-Poly1305", Kind.OURS, List.of(),
                    "as (b) with ChaCha20-Poly1305.",
                    dir -> SteadfastEspPath.open(dir, EspAlgorithm.CHACHA20POLY1305)),
            new Spec("c", "(c) steadfast + relay, AES-128-GCM", Kind.OURS, List.of(),
                    "our client in C keeps its stable address S = 10.9.0.1 on its TUN and wraps S's traffic V -> R "
                            + "(IP-in-IP, V = 10.100.1.11, R = 10.20.0.2) inside ESP to our gateway in GA; GA routes everything to the "
                            + "cloud router RH (a fourth namespace, 10.3.0.0/24), whose TUN holds R and 10.9.0.0/16: our relay there unwraps "
                            + "toward the server SV and wraps the server's replies back to V (the test bed RoamingNetwork with one client; "
                            + "the binding update is acknowledged before measuring). So (c) has one router hop more than (b): the relay hop. "
                            + "Client TUN MTU 1400 as in (b); the gateway's and the relay's TUN 1420 (their default), so the 1420-byte "
                            + "IP-in-IP packets pass.",
                    SteadfastRelayPath::open),
            new Spec("sw", "(b') strongSwan 5.9.8 libipsec, AES-128-GCM", Kind.ANCHOR, STRONGSWAN_TOOLS,
                    "strongSwan 5.9.8's charon in C (initiator) and G (responder), kernel-libipsec (user-space ESP in UDP 4500), "
                            + "IKEv2 PSK, AES-128-GCM, the client's virtual IP 10.9.0.1 from G's pool; ipsec0 MTU 1400 (its default).",
                    StrongSwanPath::open),
            new Spec("sw-relay", "(c') strongSwan 5.9.8 libipsec + relay hop (VXLAN), AES-128-GCM", Kind.ANCHOR, STRONGSWAN_TOOLS,
                    "as (b') with a relay hop as in (c): the cloud router RH (a fourth namespace) between G and S, "
                            + "C 10.1.0.1 - 10.1.0.2 G as in (b'), G 10.3.0.1 - 10.3.0.2 RH 10.2.0.1 - 10.2.0.2 S as GA, RH and SV in (c), and everything between G and RH "
                            + "inside a kernel VXLAN tunnel (VNI 1, UDP 4789 over the 10.3.0.0/24 veth; vx-hop 10.20.0.1 in G and "
                            + "10.20.0.2 = (c)'s R in RH; this kernel has no IP-in-IP): G routes 10.2.0.0/24 via 10.20.0.2, RH routes "
                            + "10.9.0.0/24 via 10.20.0.1 and S via 10.2.0.1, so every packet both ways crosses one hop more and is encapsulated and "
                            + "decapsulated once more (by the kernels of G and RH, not by the client as in (c)). G also holds 10.2.0.254/32 "
                            + "on its loopback (kernel-libipsec needs an address of the gateway's in its traffic selector 10.2.0.0/24 "
                            + "as the source of its route to the client; in (b') that is 10.2.0.1). ipsec0 MTU 1400, "
                            + "vx-hop MTU 1450 (veth 1500 less 50 bytes of VXLAN headers), so no packet is fragmented.",
                    StrongSwanPath::openWithRelayHop),
            new Spec("wg", "wireguard-go", Kind.ANCHOR,
                    List.of("wireguard-go (wireguard-go)", "wg (wireguard-tools)"),
                    "wireguard-go in C and in G (user space: the kernel has no WireGuard), keyed with `wg set`, UDP 51820; "
                            + "TUN MTU 1400 and txqueuelen 1000 as ours.",
                    WireGuardPath::open),
            new Spec("ovpn", "OpenVPN 2.6, AES-128-GCM", Kind.ANCHOR,
                    List.of("openvpn (openvpn)", "openssl (openssl)"),
                    "OpenVPN point to point over UDP 1194 in C and G, TLS with self-signed P-256 certificates pinned by "
                            + "fingerprint, data channel AES-128-GCM in user space (`disable-dco`: no DCO in this kernel); TUN MTU "
                            + "1400, txqueuelen 1000, socket buffers 4 MiB asked, as ours.",
                    OpenVpnPath::open));

    /** What {@code --paths} selects when not given: every row (a test keeps it so). */
    static final String DEFAULT_KEYS = "a,b,b-plain,b-uring,b-chacha,c,sw,sw-relay,wg,ovpn";

    private PathCatalog() {}

    /** The program of a tool entry "program (Debian package)": the part before " (". */
    static String program(String tool) {
        int paren = tool.indexOf(" (");
        return paren < 0 ? tool : tool.substring(0, paren);
    }

    static Spec get(String key) {
        return ALL.stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown path \"" + key + "\"; known: " + keys()));
    }

    /**
     * The rows named in a comma-separated list, in table order (not list order); throws on an unknown or
     * repeated key, or an empty list.
     */
    static List<Spec> select(String csv) {
        Set<String> keys = new LinkedHashSet<>();
        for (String k : csv.split(",", -1)) {
            String key = k.strip();
            if (key.isEmpty()) throw new IllegalArgumentException("--paths has an empty entry: \"" + csv + "\"");
            get(key); // throws if unknown
            if (!keys.add(key)) throw new IllegalArgumentException("--paths names \"" + key + "\" twice");
        }
        List<Spec> out = new ArrayList<>();
        for (Spec s : ALL) if (keys.contains(s.key())) out.add(s);
        return out;
    }

    /** Every key, comma-separated. */
    static String keys() {
        return ALL.stream().map(Spec::key).collect(Collectors.joining(", "));
    }
}
