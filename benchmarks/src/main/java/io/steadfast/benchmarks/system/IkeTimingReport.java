package io.steadfast.benchmarks.system;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The Markdown report of {@link IkeTiming}: per initiator, the spread of the handshake time and of its parts (the
 * responder's IKE_SA_INIT, the initiator's turnaround, the responder's IKE_AUTH); our first handshake (cold JVM)
 * on a row of its own, not in our spread.
 *
 * @param ours our handshakes in order, the cold one first
 * @param swan strongSwan's handshakes in order
 */
record IkeTimingReport(List<IkeHandshakes.Handshake> ours, List<IkeHandshakes.Handshake> swan) {

    /** The machine's background load before and after the run: percent busy and load averages. */
    record Background(double busyBefore, String loadBefore, double busyAfter, String loadAfter) {}

    /** Splits the handshakes by the initiator's address. */
    static IkeTimingReport of(List<IkeHandshakes.Handshake> all, String oursAddress, String swanAddress) {
        return new IkeTimingReport(all.stream().filter(h -> h.initiator().equals(oursAddress)).toList(),
                all.stream().filter(h -> h.initiator().equals(swanAddress)).toList());
    }

    /** The table: one row each for our warm handshakes, our cold first one and strongSwan's. */
    String table() {
        MarkdownTable t = new MarkdownTable("initiator", "handshakes", "median ms", "p10 ms", "p90 ms",
                "initiator turnaround ms (median)", "responder IKE_SA_INIT ms (median)", "responder IKE_AUTH ms (median)");
        List<IkeHandshakes.Handshake> warm = ours.subList(Math.min(1, ours.size()), ours.size());
        row(t, "steadfast (ike stage of `steadfast client`)", warm);
        row(t, "steadfast, first handshake (cold JVM)", ours.subList(0, Math.min(1, ours.size())));
        row(t, "strongSwan charon (`swanctl --initiate`)", swan);
        return t.toString();
    }

    private static void row(MarkdownTable t, String name, List<IkeHandshakes.Handshake> hs) {
        Spread total = spread(hs, IkeHandshakes.Handshake::totalMillis);
        t.row(name, Integer.toString(hs.size()), ms(total.median()), ms(total.p10()), ms(total.p90()),
                ms(spread(hs, IkeHandshakes.Handshake::turnaroundMillis).median()),
                ms(spread(hs, IkeHandshakes.Handshake::initMillis).median()),
                ms(spread(hs, IkeHandshakes.Handshake::authMillis).median()));
    }

    private static Spread spread(List<IkeHandshakes.Handshake> hs, ToDoubleFunction<IkeHandshakes.Handshake> f) {
        return Spread.of(hs.stream().map(h -> f.applyAsDouble(h)).toList());
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.2f", v);
    }

    /** The whole report. */
    String markdown(MachineInfo machine, Background background, String proposal, String transport, String strongSwanVersion) {
        return "# IKE handshake time: our initiator and strongSwan's against one strongSwan responder\n\n"
                + "Written by `benchmarks/ike-timing.sh` (`io.steadfast.benchmarks.system.IkeTiming`); every run overwrites this file.\n\n"
                + "## Machine\n\n" + machine.markdown() + "\n"
                + "Other work on the machine (2 s samples while idle): " + Report.fmt(background.busyBefore())
                + " % busy before (load average " + background.loadBefore() + "), " + Report.fmt(background.busyAfter())
                + " % after (load average " + background.loadAfter() + "). Everything (three namespaces, two charons, our "
                + "client's JVM, dumpcap) shares these CPUs.\n\n"
                + "## Set-up\n\n"
                + "- Responder: " + strongSwanVersion + " charon (kernel-libipsec) in its own namespace, two connections that "
                + "differ only in the peer's identity and address pool, each assigning a virtual IP; PSK; IKE proposal `"
                + proposal + "`, ESP `aes128gcm16`, `encap = yes` (both initiators move to UDP 4500 after IKE_SA_INIT).\n"
                + "- Initiators, each in its own namespace joined to the responder's by a veth pair: our `steadfast client` "
                + "process (its `ike` stage, one gateway, transport `" + transport + "`) and a second charon (`swanctl --initiate`), both asking for a "
                + "virtual IP and the responder's cloud subnet.\n"
                + "- They take turns: the responder deletes our IKE SA (`swanctl --terminate`; our client starts a new one "
                + "2 s later), 1 s later strongSwan's initiator connects and deletes its SA, then our client's new SA comes "
                + "up; repeated. Our client's status is polled only after each of its handshakes.\n"
                + "- Measured on the wire, with dumpcap on the responder's host: per IKE SA from the first IKE_SA_INIT request "
                + "to the IKE_AUTH response (which also brings up the Child SA). Initiator turnaround: IKE_SA_INIT response "
                + "to IKE_AUTH request (the initiator's DH, key derivation and AUTH). Percentiles: nearest rank.\n\n"
                + "## Results\n\n" + table() + "\n"
                + "Every handshake, in order (ms):\n\n"
                + "- steadfast: " + totals(ours) + "\n"
                + "- strongSwan: " + totals(swan) + "\n";
    }

    private static String totals(List<IkeHandshakes.Handshake> hs) {
        return hs.stream().map(h -> ms(h.totalMillis())).collect(Collectors.joining(" "));
    }
}
