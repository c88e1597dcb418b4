package io.steadfast.benchmarks.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the selected rows: one after another (each row opened, measured and closed before the next: nothing
 * else of the benchmark runs meanwhile), or interleaved (every row open at once, idle but for the one being
 * measured; run i of each measurement goes round the rows, so a drift of the machine's speed hits every row
 * alike, which matters for close comparisons such as (c) against (b)). Every row is closed (processes by PID,
 * namespaces) whatever fails.
 *
 * <pre>{@code
 * List<PathResult> results = new RowRunner(log, settings).interleaved(specs, workDir);
 * }</pre>
 */
final class RowRunner {
    private final PathMeasurement.Log log;
    private final PathMeasurement.Settings settings;

    RowRunner(PathMeasurement.Log log, PathMeasurement.Settings settings) {
        this.log = log;
        this.settings = settings;
    }

    /** Each row opened, measured in full and closed before the next; files under {@code work/KEY}. */
    List<PathResult> oneAfterAnother(List<PathCatalog.Spec> specs, Path work) throws Exception {
        List<PathResult> results = new ArrayList<>();
        for (PathCatalog.Spec spec : specs) {
            Open row = open(spec, work);
            try {
                results.add(guard(spec, () -> row.measurement.all()));
            } finally {
                row.close();
            }
        }
        return results;
    }

    /** Every row opened, then each step's run i taken on every row in turn, then every row closed. */
    List<PathResult> interleaved(List<PathCatalog.Spec> specs, Path work) throws Exception {
        List<Open> rows = new ArrayList<>();
        try {
            for (PathCatalog.Spec spec : specs) rows.add(open(spec, work));
            for (Open row : rows) guard(row.spec, () -> { row.measurement.prepare(); return null; });
            for (int i = 1; i <= settings.repeat(); i++) {
                int run = i;
                for (Open row : rows) guard(row.spec, () -> { row.measurement.single(run); return null; });
            }
            for (int i = 1; i <= settings.repeat(); i++) {
                int run = i;
                for (Open row : rows) guard(row.spec, () -> { row.measurement.parallel(run); return null; });
            }
            for (int i = 1; i <= settings.repeat(); i++) {
                int run = i;
                for (Open row : rows) guard(row.spec, () -> { row.measurement.udp(run); return null; });
                for (Open row : rows) guard(row.spec, () -> { row.measurement.tcp(run); return null; });
            }
            List<PathResult> results = new ArrayList<>();
            for (Open row : rows) results.add(guard(row.spec, row.measurement::finish));
            return results;
        } finally {
            Exception first = null;
            for (Open row : rows.reversed()) {
                try {
                    row.close();
                } catch (Exception e) {
                    if (first == null) first = e; else first.addSuppressed(e);
                }
            }
            if (first != null) throw first;
        }
    }

    /** A row that is open: its network (closed on exit too) and its measurement. */
    private final class Open {
        final PathCatalog.Spec spec;
        final Cleanup.Registration close;
        final PathMeasurement measurement;

        Open(PathCatalog.Spec spec, BenchPath path) {
            this.spec = spec;
            this.close = Cleanup.onExit(path::close);
            this.measurement = new PathMeasurement(log, settings, spec, path);
        }

        void close() throws Exception {
            close.run();
            log.line(spec.label(), "stopped and deleted");
        }
    }

    private Open open(PathCatalog.Spec spec, Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve(spec.key()));
        log.line(spec.label(), "starting");
        try {
            return new Open(spec, spec.open(dir));
        } catch (Exception e) {
            throw new IOException("could not start path " + spec.key() + " (" + spec.label() + "): " + e.getMessage(), e);
        }
    }

    /** A step of a row. */
    private interface Step<T> {
        T run() throws Exception;
    }

    /** Runs a step; a failure names the row. */
    private static <T> T guard(PathCatalog.Spec spec, Step<T> step) throws IOException {
        try {
            return step.run();
        } catch (Exception e) {
            throw new IOException("path " + spec.key() + " (" + spec.label() + ") failed: " + e.getMessage(), e);
        }
    }
}
