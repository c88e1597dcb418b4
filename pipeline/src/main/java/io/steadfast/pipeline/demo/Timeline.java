package io.steadfast.pipeline.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Received throughput over time in fixed bins (the paper's Figure 6 at 100 ms), with the moments that
 * matter marked: when the gateway failed and when the client switched.
 *
 * <pre>{@code
 * Timeline t = new Timeline(100);
 * t.sample(0.1, bytesSoFar);   // once per bin
 * t.mark(4.0, "gateway 1 killed");
 * String csv = t.csv();
 * }</pre>
 */
public final class Timeline {
    /** One bin: its end time in seconds since the start, and the Mbit/s received in it. */
    public record Point(double seconds, double mbitPerSecond) {}

    /** A moment to mark on the plot. */
    public record Mark(double seconds, String label) {}

    private final int binMillis;
    private final List<Point> points = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();
    private long lastBytes;

    public Timeline(int binMillis) {
        this.binMillis = binMillis;
    }

    public int binMillis() {
        return binMillis;
    }

    /** Records the bin ending at {@code seconds}, in which the received total grew to {@code totalBytes}. */
    public void sample(double seconds, long totalBytes) {
        long delta = totalBytes - lastBytes;
        lastBytes = totalBytes;
        points.add(new Point(seconds, delta * 8.0 / (binMillis / 1000.0) / 1e6));
    }

    public void mark(double seconds, String label) {
        marks.add(new Mark(seconds, label));
    }

    public List<Point> points() {
        return List.copyOf(points);
    }

    public List<Mark> marks() {
        return List.copyOf(marks);
    }

    /** The longest run of empty bins, in milliseconds (the outage as the plot shows it). */
    public long longestSilenceMillis() {
        long longest = 0, run = 0;
        for (Point p : points) {
            run = p.mbitPerSecond() == 0 ? run + binMillis : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    /** {@code seconds,mbit_per_s} per bin, then one {@code # mark SECONDS LABEL} comment per mark. */
    public String csv() {
        StringBuilder b = new StringBuilder("seconds,mbit_per_s\n");
        for (Point p : points) b.append(String.format(Locale.ROOT, "%.1f,%.2f%n", p.seconds(), p.mbitPerSecond()));
        for (Mark m : marks) b.append(String.format(Locale.ROOT, "# mark %.3f %s%n", m.seconds(), m.label()));
        return b.toString();
    }
}
