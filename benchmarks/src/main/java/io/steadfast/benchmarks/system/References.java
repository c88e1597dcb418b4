package io.steadfast.benchmarks.system;

import java.util.List;
import java.util.Optional;

/**
 * Figures measured elsewhere, shown beside this run's and never mixed into its ratios: the paper's Tables 3
 * and 4 (bare, VPN, VPN + relay; its own hardware and method), and the user-space VPNs measured earlier on this
 * machine kind ({@code testbed-notes.md}: 2 vCPU, everything on the same cores, one TCP stream, medians of 3).
 *
 * <pre>{@code
 * References.earlier("ovpn").map(r -> r.figures().singleMbits()); // 377
 * }</pre>
 */
final class References {
    /** One reference row; {@code key} is the {@link PathCatalog} key of the row it stands for. */
    record Row(String key, String label, Figures figures) {}

    /** The paper's Table 3 (throughput) and Table 4 (round trip, put in the UDP median column). */
    static final List<Row> PAPER = List.of(
            new Row("a", "paper (a) bare", Figures.of(91.44, 155)),
            new Row("b", "paper (b) VPN", Figures.of(4.00, 4900)),
            new Row("c", "paper (c) VPN + relay", Figures.of(1.76, 11800)));

    /** Earlier figures on this machine kind: one-stream Mbit/s and the UDP round trip of 64-byte messages. */
    static final List<Row> EARLIER = List.of(
            new Row("sw", "strongSwan 5.9.8 libipsec, ESP-in-UDP, AES-128-GCM (b')", Figures.of(341, 268)),
            new Row("wg", "wireguard-go (Debian, 2022)", Figures.of(376, 222)),
            new Row("ovpn", "OpenVPN 2.6, AES-128-GCM", Figures.of(377, 122)));

    private References() {}

    static Optional<Row> earlier(String key) {
        return EARLIER.stream().filter(r -> r.key().equals(key)).findFirst();
    }

    static Row paper(String key) {
        return PAPER.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }
}
