package io.steadfast.pipeline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimelineTest {

    @Test
    void binsTurnByteCountsIntoMegabitsPerSecond() {
        Timeline t = new Timeline(100);
        t.sample(0.1, 1_250_000);          // 1.25 MB in 100 ms = 100 Mbit/s
        t.sample(0.2, 1_250_000);          // nothing
        t.sample(0.3, 1_250_000);
        t.sample(0.4, 1_875_000);          // 0.625 MB = 50 Mbit/s
        assertThat(t.points()).extracting(Timeline.Point::mbitPerSecond).containsExactly(100.0, 0.0, 0.0, 50.0);
        assertThat(t.longestSilenceMillis()).isEqualTo(200);
    }

    @Test
    void theCsvHasOneRowPerBinAndTheMarksAsComments() {
        Timeline t = new Timeline(100);
        t.sample(0.1, 125_000);
        t.sample(0.2, 250_000);
        t.mark(0.15, "gateway 1 killed");
        assertThat(t.csv()).isEqualTo("seconds,mbit_per_s\n0.1,10.00\n0.2,10.00\n# mark 0.150 gateway 1 killed\n");
    }

    @Test
    void thePlotDrawsTheLineTheMarksAndEscapesLabels() {
        Timeline t = new Timeline(100);
        for (int i = 1; i <= 50; i++) t.sample(i / 10.0, i < 20 || i > 25 ? i * 1_000_000L : 19_000_000L);
        t.mark(2.0, "gateway 1 killed");
        t.mark(2.3, "switched to gateway 2 (no inbound for 205 ms <F>)");
        String svg = TimelinePlot.svg(t, "Steadfast & the paper");
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n");
        assertThat(svg).contains("Steadfast &amp; the paper").contains("&lt;F&gt;");
        assertThat(svg).contains("<polyline").contains("stroke-dasharray").contains("gateway 1 killed");
        String points = svg.substring(svg.indexOf("points=\"") + 8, svg.indexOf("\"/>", svg.indexOf("points=\"")));
        assertThat(points.split(" ")).hasSize(50);
        assertThat(svg.chars().filter(c -> c == '<').count()).isEqualTo(svg.chars().filter(c -> c == '>').count());
    }

    @Test
    void axisMaximaAreRound() {
        assertThat(TimelinePlot.niceCeiling(87)).isEqualTo(100);
        assertThat(TimelinePlot.niceCeiling(101)).isEqualTo(200);
        assertThat(TimelinePlot.niceCeiling(3.2)).isEqualTo(5);
        assertThat(TimelinePlot.niceCeiling(1)).isEqualTo(1);
    }
}
