package io.steadfast.benchmarks.system;

import io.steadfast.benchmarks.system.Figures.Metric;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The results in the paper's shape: its Table 3 (throughput) and Table 4 (round trip), each in three row groups:
 * the paper's own figures, this run, and figures measured earlier on this machine kind for the rows this run
 * left out. Every figure of this run comes with its ratio to (a) and to the strongest anchor of this run: for
 * each column, the anchor VPN measured in this run with the best value in it. The paper's rows are divided by
 * the paper's (a); earlier figures get no ratios (another run).
 *
 * <pre>{@code
 * PaperTables t = new PaperTables(paths, 4);
 * String md = t.throughput() + t.roundTrip() + t.anchorNote();
 * }</pre>
 */
final class PaperTables {
    private final List<PathResult> run;
    private final int streams;
    private final Figures bare;
    private final Map<Metric, PathResult> anchors = new EnumMap<>(Metric.class);

    /** {@code run}: this run's rows in table order; {@code streams}: the parallel stream count (0: no such column). */
    PaperTables(List<PathResult> run, int streams) {
        this.run = run;
        this.streams = streams;
        this.bare = run.stream().filter(p -> p.kind == PathCatalog.Kind.BARE).findFirst().map(PathResult::figures).orElse(null);
        for (Metric m : Metric.values()) {
            for (PathResult p : run) {
                if (p.kind != PathCatalog.Kind.ANCHOR || Double.isNaN(m.of(p.figures()))) continue;
                PathResult best = anchors.get(m);
                if (best == null || m.better(m.of(p.figures()), m.of(best.figures()))) anchors.put(m, p);
            }
        }
    }

    /** The anchor of this run with the best value of {@code m}, or null if no anchor ran. */
    PathResult anchor(Metric m) {
        return anchors.get(m);
    }

    /** Table 3's shape: TCP throughput. */
    String throughput() {
        return table(streams > 0 ? List.of(Metric.SINGLE, Metric.PARALLEL) : List.of(Metric.SINGLE));
    }

    /** Table 4's shape: round trips of 64-byte messages. */
    String roundTrip() {
        return table(List.of(Metric.UDP_MEDIAN, Metric.UDP_P99, Metric.TCP_MEDIAN, Metric.TCP_P99));
    }

    /** Which anchor each "/ anchor" column divides by. */
    String anchorNote() {
        if (anchors.isEmpty()) return "No anchor VPN ran in this run: the \"/ anchor\" columns are empty.\n";
        List<Metric> shown = new ArrayList<>(List.of(Metric.values()));
        if (streams == 0) shown.remove(Metric.PARALLEL);
        return "\"/ anchor\" divides by the anchor VPN of this run with the best value in that column: "
                + shown.stream().filter(anchors::containsKey).map(m -> m.header(streams) + ": " + anchors.get(m).label
                        + " (" + Report.fmt(m.of(anchors.get(m).figures())) + ")").collect(Collectors.joining("; ")) + ".\n";
    }

    private String table(List<Metric> metrics) {
        List<String> header = new ArrayList<>(List.of("path"));
        for (Metric m : metrics) header.addAll(List.of(m.header(streams), "/ (a)", "/ anchor"));
        MarkdownTable t = new MarkdownTable(header.toArray(String[]::new));
        group(t, header.size(), "**the paper (its Tables 3 and 4)**");
        Figures paperBare = References.paper("a").figures();
        for (References.Row r : References.PAPER) t.row(cells(r.label(), r.figures(), paperBare, null, metrics));
        group(t, header.size(), "**this run**");
        for (PathResult p : run) t.row(cells(p.label, p.figures(), bare, p, metrics));
        List<References.Row> earlier = References.EARLIER.stream()
                .filter(r -> run.stream().noneMatch(p -> p.key.equals(r.key()))).toList();
        if (!earlier.isEmpty()) {
            group(t, header.size(), "**earlier on this machine kind, not this run**");
            for (References.Row r : earlier) t.row(cells(r.label(), r.figures(), null, null, metrics));
        }
        return t.toString();
    }

    /** A row: per metric the figure, its ratio to {@code base} and (rows of this run) to that metric's anchor. */
    private String[] cells(String label, Figures f, Figures base, PathResult ofThisRun, List<Metric> metrics) {
        List<String> c = new ArrayList<>(List.of(label));
        for (Metric m : metrics) {
            double v = m.of(f);
            c.add(Report.fmt(v));
            c.add(base == null ? "–" : Report.ratio(v, m.of(base)));
            PathResult anchor = ofThisRun == null ? null : anchors.get(m);
            c.add(anchor == null ? "–" : Report.ratio(v, m.of(anchor.figures())));
        }
        return c.toArray(String[]::new);
    }

    private static void group(MarkdownTable t, int columns, String title) {
        String[] c = new String[columns];
        java.util.Arrays.fill(c, "");
        c[0] = title;
        t.row(c);
    }
}
