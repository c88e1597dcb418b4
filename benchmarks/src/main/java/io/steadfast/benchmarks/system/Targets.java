package io.steadfast.benchmarks.system;

import java.util.List;
import java.util.Optional;

/**
 * The targets of issues 5 and 7 checked against a run, one Markdown bullet each: what the relay hop costs,
 * (c) against (b) (less than 10 % of the throughput, less than 20 us of round trip), and (c) against the
 * anchors (3x strongSwan's (b') and 2x OpenVPN's throughput, a UDP round trip no longer than OpenVPN's). An
 * anchor this run did not measure is taken from the earlier figures, and the line says so.
 *
 * <pre>{@code
 * String md = Targets.markdown(paths);
 * }</pre>
 */
final class Targets {
    static final double MAX_RELAY_LOSS_PERCENT = 10;
    static final double MAX_RELAY_ADDED_MICROS = 20;

    private Targets() {}

    /** A value to compare with, and where it comes from. */
    private record Anchor(String name, Figures figures, boolean thisRun) {
        String source() {
            return thisRun ? "this run" : "earlier figure, not this run";
        }
    }

    static String markdown(List<PathResult> run) {
        StringBuilder s = new StringBuilder();
        Optional<Figures> b = find(run, "b");
        Optional<Figures> c = find(run, "c");
        s.append(relayHop(b, c));
        Figures paperB = References.paper("b").figures(), paperC = References.paper("c").figures();
        s.append("- The paper's relay hop: ").append(Report.fmt(paperC.singleMbits())).append(" vs ")
                .append(Report.fmt(paperB.singleMbits())).append(" Mbit/s, ")
                .append(Report.fmt(lossPercent(paperC.singleMbits(), paperB.singleMbits()))).append(" % lost; round trip +")
                .append(Report.fmt((paperC.udpMedianMicros() - paperB.udpMedianMicros()) / 1000)).append(" ms.\n");
        if (c.isEmpty()) return s.append("- (c) is not in this run: no anchor targets to check.\n").toString();
        Figures cf = c.get();
        Anchor strongSwan = anchor(run, "sw", "strongSwan (b')");
        Anchor openVpn = anchor(run, "ovpn", "OpenVPN");
        s.append(times(cf, strongSwan, 3)).append(times(cf, openVpn, 2));
        double udp = openVpn.figures().udpMedianMicros();
        s.append("- (c) UDP round trip ").append(Report.fmt(cf.udpMedianMicros())).append(" us vs ").append(openVpn.name())
                .append("'s ").append(Report.fmt(udp)).append(" us (").append(openVpn.source())
                .append("); target: no longer: ").append(verdict(cf.udpMedianMicros() <= udp, cf.udpMedianMicros(), udp)).append(".\n");
        return s.toString();
    }

    /** Issue 5: (c) against (b) in this run, throughput lost and round trip added. */
    static String relayHop(Optional<Figures> b, Optional<Figures> c) {
        if (b.isEmpty() || c.isEmpty()) return "- Relay hop, (c) vs (b): needs both in the run (`--paths b,c`).\n";
        Figures bf = b.get(), cf = c.get();
        double lost = lossPercent(cf.singleMbits(), bf.singleMbits());
        double lostParallel = lossPercent(cf.parallelMbits(), bf.parallelMbits());
        double udp = cf.udpMedianMicros() - bf.udpMedianMicros();
        double tcp = cf.tcpMedianMicros() - bf.tcpMedianMicros();
        return "- Relay hop, (c) vs (b) AES-128-GCM (issue 5: under " + Report.fmt(MAX_RELAY_LOSS_PERCENT) + " % of the throughput "
                + "and under " + Report.fmt(MAX_RELAY_ADDED_MICROS) + " us of round trip):\n"
                + "  - TCP 1 stream: " + Report.fmt(cf.singleMbits()) + " vs " + Report.fmt(bf.singleMbits()) + " Mbit/s, "
                + signed(-lost) + " %: " + verdict(lost < MAX_RELAY_LOSS_PERCENT, cf.singleMbits(), bf.singleMbits()) + "\n"
                + (Double.isNaN(lostParallel) ? "" : "  - TCP parallel streams: " + Report.fmt(cf.parallelMbits()) + " vs "
                        + Report.fmt(bf.parallelMbits()) + " Mbit/s, " + signed(-lostParallel) + " %\n")
                + "  - UDP round trip median: " + Report.fmt(cf.udpMedianMicros()) + " vs " + Report.fmt(bf.udpMedianMicros())
                + " us, " + signed(udp) + " us: " + verdict(udp < MAX_RELAY_ADDED_MICROS, udp, 0) + "\n"
                + "  - TCP round trip median: " + Report.fmt(cf.tcpMedianMicros()) + " vs " + Report.fmt(bf.tcpMedianMicros())
                + " us, " + signed(tcp) + " us: " + verdict(tcp < MAX_RELAY_ADDED_MICROS, tcp, 0) + "\n";
    }

    private static String times(Figures c, Anchor a, double target) {
        double x = c.singleMbits() / a.figures().singleMbits();
        return "- (c) TCP 1 stream " + Report.fmt(c.singleMbits()) + " Mbit/s vs " + a.name() + "'s "
                + Report.fmt(a.figures().singleMbits()) + " (" + a.source() + "): " + Report.ratio(c.singleMbits(), a.figures().singleMbits())
                + "x; target: at least " + Report.fmt(target) + "x: " + verdict(x >= target, x, target) + ".\n";
    }

    /** Percent of {@code base} that {@code value} falls short of it (negative if it is above). */
    static double lossPercent(double value, double base) {
        return 100 * (base - value) / base;
    }

    private static String signed(double v) {
        if (Double.isNaN(v)) return "–";
        return (v >= 0 ? "+" : "−") + Report.fmt(Math.abs(v));
    }

    private static String verdict(boolean met, double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return "not measured";
        return met ? "met" : "**not met**";
    }

    private static Optional<Figures> find(List<PathResult> run, String key) {
        return run.stream().filter(p -> p.key.equals(key)).findFirst().map(PathResult::figures);
    }

    private static Anchor anchor(List<PathResult> run, String key, String name) {
        return find(run, key).map(f -> new Anchor(name, f, true))
                .orElseGet(() -> new Anchor(name, References.earlier(key).orElseThrow().figures(), false));
    }
}
