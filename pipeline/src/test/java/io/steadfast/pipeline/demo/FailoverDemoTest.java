package io.steadfast.pipeline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.testing.RootTests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's demo, shortened: the paper's Figure 6 with gateway 1 killed mid-transfer. Root. */
class FailoverDemoTest {

    @TempDir
    Path dir;

    @BeforeEach
    void needsRoot() {
        RootTests.requireRootAndNetns();
    }

    @Test
    void theTransferSurvivesGateway1sDeathAndThePlotShowsTheFailureAndTheSwitch() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // A relative output directory, as the README's command uses (demo-output): key files must still be found.
        Path relative = Path.of("").toAbsolutePath().relativize(dir);
        assertThat(relative.isAbsolute()).isFalse();
        FailoverDemo.Result r = new FailoverDemo(new FailoverDemo.Options(relative, 5, 2, FailoverDemo.Failure.KILL, 80, false, false),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String printed = log.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(r.completed()).as(printed).isTrue();
        assertThat(r.checksumMatched()).isTrue();
        assertThat(r.outageMillis()).isLessThan(1000);
        assertThat(r.switchedAtSeconds()).isBetween(2.0, 3.0);
        assertThat(printed).contains("demo: outage ").contains("transfer completed: yes, checksum matched: yes");

        String csv = Files.readString(dir.resolve("failover.csv"));
        assertThat(csv.lines().filter(l -> l.matches("\\d+\\.\\d,\\d+\\.\\d\\d"))).hasSizeGreaterThanOrEqualTo(48);
        assertThat(csv).contains("# mark 2.").contains("gateway 1 killed").contains("switched to gateway 2");
        // Before the failure the bins carry the sending rate; it is the plot's point that they do again after.
        double early = csv.lines().filter(l -> l.startsWith("1.")).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).average().orElse(0);
        double late = csv.lines().filter(l -> l.startsWith("4.")).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).average().orElse(0);
        assertThat(early).isBetween(60.0, 100.0);
        assertThat(late).isGreaterThan(40.0);
        assertThat(Files.readString(dir.resolve("failover.svg"))).contains("<polyline").contains("gateway 1 killed");
        assertThat(dir.resolve("run/client-1.log")).exists();
    }
}
