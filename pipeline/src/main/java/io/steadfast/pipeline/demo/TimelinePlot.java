package io.steadfast.pipeline.demo;

import java.util.List;
import java.util.Locale;

/** Draws a {@link Timeline} as a self-contained SVG line chart: throughput over time, marks as dashed lines. */
public final class TimelinePlot {
    private static final int WIDTH = 800, HEIGHT = 400;
    private static final int LEFT = 70, RIGHT = 20, TOP = 40, BOTTOM = 50;
    private static final String[] MARK_COLOURS = {"#c0392b", "#27ae60", "#8e44ad", "#d35400"};

    private TimelinePlot() {}

    /** The SVG document for {@code timeline}, titled {@code title}. */
    public static String svg(Timeline timeline, String title) {
        List<Timeline.Point> points = timeline.points();
        double maxX = points.isEmpty() ? 1 : points.getLast().seconds();
        for (Timeline.Mark m : timeline.marks()) maxX = Math.max(maxX, m.seconds());
        double maxY = 1;
        for (Timeline.Point p : points) maxY = Math.max(maxY, p.mbitPerSecond());
        maxY = niceCeiling(maxY * 1.1);
        double plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n", LEFT, escape(title)));
        // axes and grid
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT, HEIGHT - BOTTOM));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
        for (int i = 0; i <= 5; i++) {
            double v = maxY * i / 5;
            double y = TOP + plotH - plotH * i / 5;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y, WIDTH - RIGHT, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, trim(v)));
        }
        double step = maxX <= 20 ? 1 : niceCeiling(maxX / 10);
        for (double s = 0; s <= maxX + 1e-9; s += step) {
            double x = LEFT + plotW * s / maxX;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, HEIGHT - BOTTOM + 18, trim(s)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">time (s)</text>%n", LEFT + plotW / 2, HEIGHT - 10));
        b.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" transform=\"rotate(-90 16 %.1f)\" text-anchor=\"middle\">received (Mbit/s per %d ms)</text>%n",
                TOP + plotH / 2, TOP + plotH / 2, timeline.binMillis()));
        // the throughput
        StringBuilder line = new StringBuilder();
        for (Timeline.Point p : points) {
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotW * p.seconds() / maxX, TOP + plotH - plotH * p.mbitPerSecond() / maxY));
        }
        b.append("<polyline fill=\"none\" stroke=\"#2c3e50\" stroke-width=\"1.5\" points=\"").append(line.toString().strip()).append("\"/>\n");
        // the marks
        int i = 0;
        for (Timeline.Mark m : timeline.marks()) {
            String colour = MARK_COLOURS[i % MARK_COLOURS.length];
            double x = LEFT + plotW * m.seconds() / maxX;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-dasharray=\"5,4\"/>%n",
                    x, TOP, x, HEIGHT - BOTTOM, colour));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"%s\">%s</text>%n", x + 4, TOP + 14 + 14 * i, colour, escape(m.label())));
            i++;
        }
        b.append("</svg>\n");
        return b.toString();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) return m * p;
        }
        return 10 * p;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
