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
 * label, the programs it needs, a one-line set-up description and how to open it. strongSwan's row (b') runs
 * charon through the {@code Charon} test bed; its relay row (c') has no opener yet (a relay hop for strongSwan
 * is still to be built), so the report shows its earlier figure.
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
     * @param opener      how to open it, or null if it cannot run in this build
     * @param unavailable why it cannot run (when {@code opener} is null)
     */
    record Spec(String key, String label, Kind kind, List<String> tools, String setup, Opener opener, String unavailable) {
        boolean available() {
            return opener != null;
        }

        /** The program names of {@link #tools}. */
        List<String> programs() {
            return tools.stream().map(PathCatalog::program).toList();
        }

        BenchPath open(Path dir) throws Exception {
            if (opener == null) throw new IllegalStateException(unavailable);
            return opener.open(dir);
        }
    }

    private static final String NO_STRONGSWAN_RELAY = "strongSwan with a relay hop (VXLAN, as measured before) is not built here yet; "
            + "the report shows its earlier figure";

    /** Profile lines that switch every offload lever off (rows "-plain"). */
    static final String[] PLAIN = {"tun.offload = false", "udp.gro = false", "stages.udp-send.gso = false"};

    static final List<Spec> ALL = List.of(
            new Spec("a", "(a) bare veth routing", Kind.BARE, List.of(),
                    "C routes 10.2.0.0/24 via G, S routes 10.1.0.0/24 via G; plain kernel forwarding.",
                    dir -> BarePath.open(), null),
            new Spec("b", "(b) steadfast, AES-128-GCM", Kind.OURS, List.of(),
                    "our client in C (TUN sf-c 10.9.0.1, MTU 1400, route 10.2.0.0/24 into it) and our gateway in G, ESP in UDP 4500 with manual keys (the test bed EspTunnel).",
                    dir -> SteadfastEspPath.open(dir, EspAlgorithm.AES128GCM16), null),
            new Spec("b-plain", "(b) steadfast, AES-128-GCM, no offloads", Kind.OURS, List.of(),
                    "as (b) with TUN offloads, UDP GSO and UDP GRO off (`tun.offload = false`, `udp.gro = false`, "
                            + "`stages.udp-send.gso = false`): one packet per read, write and send, as before those levers.",
                    dir -> SteadfastEspPath.open(dir, EspAlgorithm.AES128GCM16, PLAIN), null),
            new Spec("b-uring", "(b) steadfast, AES-128-GCM, io_uring", Kind.OURS, List.of(),
                    "as (b) on Netty's io_uring transport (`transport = io_uring`; the default is epoll): the same offloads "
                            + "but UDP GRO, which Netty's io_uring datagram channel lacks (16 datagrams per read batch instead).",
                    dir -> SteadfastEspPath.open(dir, EspAlgorithm.AES128GCM16, "transport = io_uring"), null),
            new Spec("b-chacha", "(b) steadfast, ChaCha20-Poly1305", Kind.OURS, List.of(),
                    "as (b) with ChaCha20-Poly1305.",
                    dir -> SteadfastEspPath.open(dir, EspAlgorithm.CHACHA20POLY1305), null),
            new Spec("c", "(c) steadfast + relay, AES-128-GCM", Kind.OURS, List.of(),
                    "our client in C keeps its stable address S = 10.9.0.1 on its TUN and wraps S's traffic V -> R "
                            + "(IP-in-IP, V = 10.100.1.11, R = 10.20.0.2) inside ESP to our gateway in GA; GA routes everything to the "
                            + "cloud router RH (a fourth namespace, 10.3.0.0/24), whose TUN holds R and 10.9.0.0/16: our relay there unwraps "
                            + "toward the server SV and wraps the server's replies back to V (the test bed RoamingNetwork with one client; "
                            + "the binding update is acknowledged before measuring). So (c) has one router hop more than (b): the relay hop. "
                            + "Client TUN MTU 1400 as in (b); the gateway's and the relay's TUN 1420 (their default), so the 1420-byte "
                            + "IP-in-IP packets pass.",
                    SteadfastRelayPath::open, null),
            new Spec("sw", "(b') strongSwan 5.9.8 libipsec, AES-128-GCM", Kind.ANCHOR,
                    List.of("swanctl (strongswan-swanctl)", "unshare (util-linux)"),
                    "strongSwan 5.9.8's charon in C (initiator) and G (responder), kernel-libipsec (user-space ESP in UDP 4500), "
                            + "IKEv2 PSK, AES-128-GCM, the client's virtual IP 10.9.0.1 from G's pool; ipsec0 MTU 1400 (its default).",
                    StrongSwanPath::open, null),
            new Spec("sw-relay", "(c') strongSwan 5.9.8 + relay hop", Kind.ANCHOR,
                    List.of("charon (strongswan-charon, libcharon-extra-plugins)", "swanctl (strongswan-swanctl)"),
                    "as (b') plus a relay hop.", null, NO_STRONGSWAN_RELAY),
            new Spec("wg", "wireguard-go", Kind.ANCHOR,
                    List.of("wireguard-go (wireguard-go)", "wg (wireguard-tools)"),
                    "wireguard-go in C and in G (user space: the kernel has no WireGuard), keyed with `wg set`, UDP 51820; "
                            + "TUN MTU 1400 and txqueuelen 1000 as ours.",
                    WireGuardPath::open, null),
            new Spec("ovpn", "OpenVPN 2.6, AES-128-GCM", Kind.ANCHOR,
                    List.of("openvpn (openvpn)", "openssl (openssl)"),
                    "OpenVPN point to point over UDP 1194 in C and G, TLS with self-signed P-256 certificates pinned by "
                            + "fingerprint, data channel AES-128-GCM in user space (`disable-dco`: no DCO in this kernel); TUN MTU "
                            + "1400, txqueuelen 1000, socket buffers 4 MiB asked, as ours.",
                    OpenVpnPath::open, null));

    /** What {@code --paths} selects when not given: every row that can run (a test keeps it so). */
    static final String DEFAULT_KEYS = "a,b,b-plain,b-uring,b-chacha,c,sw,wg,ovpn";

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
     * The rows named in a comma-separated list, in table order (not list order); throws on an unknown, repeated
     * or unavailable key, or an empty list.
     */
    static List<Spec> select(String csv) {
        Set<String> keys = new LinkedHashSet<>();
        for (String k : csv.split(",", -1)) {
            String key = k.strip();
            if (key.isEmpty()) throw new IllegalArgumentException("--paths has an empty entry: \"" + csv + "\"");
            Spec s = get(key);
            if (!keys.add(key)) throw new IllegalArgumentException("--paths names \"" + key + "\" twice");
            if (!s.available()) throw new IllegalArgumentException("path \"" + key + "\" " + s.label() + " " + s.unavailable());
        }
        List<Spec> out = new ArrayList<>();
        for (Spec s : ALL) if (keys.contains(s.key())) out.add(s);
        return out;
    }

    /** Every key, comma-separated, with the unavailable ones marked. */
    static String keys() {
        return ALL.stream().map(s -> s.available() ? s.key() : s.key() + " (not yet)").collect(Collectors.joining(", "));
    }
}
