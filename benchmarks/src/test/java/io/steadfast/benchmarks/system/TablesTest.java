package io.steadfast.benchmarks.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rendering: the Markdown table, the paper-shaped tables with their ratios, and the targets. */
class TablesTest {

    /** A row of this run with one run of each measurement. */
    private static PathResult row(String key, double mbits, double parallel, double udpMicros, double tcpMicros) {
        PathResult r = new PathResult(PathCatalog.get(key));
        r.single.add(new Iperf3.Result(mbits * 1e6, 0, 1, 1));
        r.parallel.add(new Iperf3.Result(parallel * 1e6, 0, 1, 1));
        r.udp.add(new RoundTrip(udpMicros, 2 * udpMicros, 0));
        r.tcp.add(new RoundTrip(tcpMicros, 2 * tcpMicros, 0));
        return r;
    }

    /** The cells of the first table line whose label is {@code label}. */
    private static List<String> line(String table, String label) {
        String l = table.lines().filter(x -> x.startsWith("| " + label + " |")).findFirst().orElseThrow();
        return List.of(l.substring(2, l.length() - 2).split(" \\| "));
    }

    @Test
    void markdownTableAlignsEscapesAndChecksCellCount() {
        MarkdownTable t = new MarkdownTable("path", "Mbit/s").row("a|b", "1");
        assertThat(t.toString()).isEqualTo("| path | Mbit/s |\n|---|---:|\n| a\\|b | 1 |\n");
        assertThatThrownBy(() -> t.row("only one")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numbersAndRatiosKeepThreeSignificantFigures() {
        assertThat(Report.fmt(15189.4)).isEqualTo("15189");
        assertThat(Report.fmt(21.04)).isEqualTo("21.0");
        assertThat(Report.fmt(4.0)).isEqualTo("4.00");
        assertThat(Report.fmt(Double.NaN)).isEqualTo("–");
        assertThat(Report.ratio(564, 15200)).isEqualTo("0.037");
        assertThat(Report.ratio(182, 21)).isEqualTo("8.67");
        assertThat(Report.ratio(1, 0)).isEqualTo("–");
    }

    @Test
    void everyFigureIsDividedByBareRoutingAndByTheBestAnchorOfItsColumn() {
        List<PathResult> run = List.of(row("a", 15000, 30000, 20, 25), row("b", 600, 640, 180, 190),
                row("c", 570, 600, 195, 205), row("wg", 380, 400, 220, 230), row("ovpn", 377, 360, 120, 300));
        PaperTables t = new PaperTables(run, 4);
        assertThat(t.anchor(Figures.Metric.SINGLE).key).isEqualTo("wg");
        assertThat(t.anchor(Figures.Metric.PARALLEL).key).isEqualTo("wg");
        assertThat(t.anchor(Figures.Metric.UDP_MEDIAN).key).isEqualTo("ovpn"); // lower is better
        assertThat(t.anchor(Figures.Metric.TCP_MEDIAN).key).isEqualTo("wg");

        String throughput = t.throughput();
        assertThat(line(throughput, "(b) steadfast, AES-128-GCM")).containsExactly("(b) steadfast, AES-128-GCM",
                "600", "0.040", "1.58", "640", "0.021", "1.60");
        assertThat(line(throughput, "paper (c) VPN + relay")).containsExactly("paper (c) VPN + relay", "1.76", "0.019", "–", "–", "–", "–");
        String roundTrip = t.roundTrip();
        assertThat(line(roundTrip, "(c) steadfast + relay, AES-128-GCM").subList(1, 7))
                .containsExactly("195", "9.75", "1.63", "390", "9.75", "1.63");
        assertThat(line(roundTrip, "paper (b) VPN").subList(1, 3)).containsExactly("4900", "31.6");
        assertThat(t.anchorNote()).contains("UDP RTT median us: OpenVPN 2.6, AES-128-GCM (120)");
    }

    @Test
    void earlierFiguresStandInOnlyForAnchorsThisRunLeftOut() {
        String table = new PaperTables(List.of(row("a", 15000, 30000, 20, 25), row("ovpn", 377, 360, 120, 300)), 4).throughput();
        assertThat(table).contains("earlier on this machine kind").contains("| wireguard-go (Debian, 2022) | 376 | – | – |")
                .contains("strongSwan 5.9.8 libipsec").doesNotContain("| OpenVPN 2.6, AES-128-GCM | 377 | – |");
        assertThat(table.indexOf("**the paper")).isLessThan(table.indexOf("**this run**"));
    }

    @Test
    void withoutBareRoutingOrAnchorsTheRatioColumnsAreEmpty() {
        PaperTables t = new PaperTables(List.of(row("b", 600, 640, 180, 190)), 0);
        assertThat(line(t.throughput(), "(b) steadfast, AES-128-GCM")).containsExactly("(b) steadfast, AES-128-GCM", "600", "–", "–");
        assertThat(t.anchorNote()).contains("No anchor VPN ran");
    }

    @Test
    void relayHopIsReportedAsThroughputLostAndRoundTripAdded() {
        Figures b = new Figures(600, 640, 180, 400, 190, 380);
        Figures c = new Figures(570, 600, 195, 410, 215, 400);
        String s = Targets.relayHop(Optional.of(b), Optional.of(c));
        assertThat(s).contains("TCP 1 stream: 570 vs 600 Mbit/s, −5.00 %: met")
                .contains("TCP parallel streams: 600 vs 640 Mbit/s, −6.25 %")
                .contains("UDP round trip median: 195 vs 180 us, +15.0 us: met")
                .contains("TCP round trip median: 215 vs 190 us, +25.0 us: **not met**");
        assertThat(Targets.relayHop(Optional.of(b), Optional.empty())).contains("--paths b,c");
        assertThat(Targets.lossPercent(1.76, 4.00)).isCloseTo(56.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void anchorTargetsUseThisRunsAnchorOrSayTheFigureIsEarlier() {
        List<PathResult> run = List.of(row("b", 600, 640, 180, 190), row("c", 1200, 1300, 110, 120), row("ovpn", 400, 380, 122, 130));
        String s = Targets.markdown(run);
        assertThat(s).contains("vs strongSwan (b')'s 341 (earlier figure, not this run): 3.52x; target: at least 3.00x: met")
                .contains("vs OpenVPN's 400 (this run): 3.00x; target: at least 2.00x: met")
                .contains("(c) UDP round trip 110 us vs OpenVPN's 122 us (this run); target: no longer: met");
        assertThat(Targets.markdown(List.of(row("b", 600, 640, 180, 190)))).contains("(c) is not in this run");
    }

    @Test
    void wholeReportHasEverySectionAndPerRoleCpuColumns() {
        PathResult bare = row("a", 15000, 30000, 20, 25);
        bare.singleCpu.add(new CpuMeter.Usage(70, 1, 44, 25, new double[0]));
        PathResult relay = row("c", 570, 600, 195, 205);
        relay.roles.addAll(List.of("client", "gateway", "relay"));
        relay.singleCpu.add(new CpuMeter.Usage(90, 20, 50, 20, new double[] {67, 76, 30}));
        relay.drops.add("relay: steadfast [no drops]; kernel []");
        relay.jvmOptions = Report.LAUNCHER_FLAGS;
        MachineInfo machine = new MachineInfo(2, "AMD EPYC", "6.18", "JDK 25", "2026-11-26T04:00:00Z");
        Report.Settings settings = new Report.Settings(5, 20, 3, 4, 64, 200, 2000,
                List.of(PathCatalog.get("a"), PathCatalog.get("c")), false, List.of("iperf3: iperf 3.12"));
        String md = Report.markdown(machine, new Report.Background(0.5, "0.1 0.1 0.1", 0.5, "0.2 0.2 0.2"), settings, List.of(bare, relay));
        assertThat(md).contains("`--paths a,c`", "## Machine", "- CPUs (nproc): 2", "## Set-up", "the test bed RoamingNetwork",
                "JVM options beyond those: none", "the shape of the paper's Table 3", "the shape of the paper's Table 4",
                "## Targets", "## CPU during", "## Every run", "TCP median 205 us", "relay: steadfast [no drops]",
                "before the next row starts");
        assertThat(line(md.substring(md.indexOf("## CPU during")), "(c) steadfast + relay, AES-128-GCM").subList(5, 8))
                .containsExactly("67.0", "76.0", "30.0");
        assertThat(line(md.substring(md.indexOf("## CPU during")), "(a) bare veth routing").subList(5, 8))
                .containsExactly("–", "–", "–");
    }
}
