package io.steadfast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.pipeline.TestProfiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit codes and what it prints. */
class CommandLineTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void checkPrintsThePipelinesOfEveryExample() {
        Path ex = TestProfiles.examples();
        Result r = run("check", "-c", ex.resolve("client.conf").toString(), "-c", ex.resolve("gateway.conf").toString(),
                "-c", ex.resolve("relay.conf").toString(), "-c", ex.resolve("demo-ping.conf").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("client.conf: ok: client 'client'")
                .contains("gateway.conf: ok: gateway 'gw1'")
                .contains("relay.conf: ok: relay 'relay'")
                .contains("pipeline outbound (source tun): tun-read -> loss -> esp-encrypt -> udp-send")
                .contains("pipeline inbound (source udp): udp-recv -> esp-decrypt -> pcap -> tun-write")
                .contains("pipeline tun-in (source tun): tun-read -> icmp-echo -> tun-write");
    }

    @Test
    void checkOfABadProfileExitsNonZeroAndNamesFileLineAndKeyOfEachProblem() {
        Path bad = TestProfiles.resource("bad-three.conf");
        Result r = run("check", "-c", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(bad + ":1: steadfast.kind: missing")
                .contains(bad + ":5: steadfast.tun.addresses[0]: ")
                .contains(bad + ":10: steadfast.pipelines.tun-in.stages[1]: unknown stage \"lossy\"")
                .contains(bad + ": 3 problems");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void checkReportsGoodAndBadFilesInOneRun() {
        Result r = run("check", "-c", TestProfiles.resource("echo.conf").toString(),
                "-c", TestProfiles.resource("syntax-error.conf").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("echo.conf: ok");
        assertThat(r.err()).contains("syntax-error.conf:");
    }

    @Test
    void runningAProfileAsTheWrongKindIsRefusedBeforeAnythingStarts() {
        Result r = run("client", "-c", TestProfiles.resource("echo.conf").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("this is a gateway profile; run it with 'steadfast gateway");
    }

    @Test
    void runningABadProfileExitsWithItsProblems() {
        Result r = run("gateway", "-c", TestProfiles.resource("bad-three.conf").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown stage \"lossy\"");
    }

    @Test
    void stagesListsEveryRegisteredStageWithItsOptions() {
        Result r = run("stages");
        assertThat(r.code()).isZero();
        for (String stage : new String[] {"tun-read", "tun-write", "icmp-echo", "pass", "discard", "pcap", "loss", "delay", "esp-encrypt", "esp-decrypt", "udp-send", "udp-recv", "ipip-encap", "ipip-decap", "relay-client", "relay-server"}) {
            assertThat(r.out()).containsPattern("(?m)^" + stage + " ");
        }
        assertThat(r.out()).contains("options: blackhole, probability, seed");
    }

    @Test
    void versionAndHelp() {
        Result v = run("--version");
        assertThat(v.code()).isZero();
        assertThat(v.out()).startsWith("steadfast ");
        Result h = run("--help");
        assertThat(h.code()).isZero();
        assertThat(h.out()).contains("client", "gateway", "relay", "check", "status", "demo");
    }

    @Test
    void statusWithoutARunningInstanceSaysSo() {
        Result r = run("status", "-s", dir.resolve("none.sock").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no answer");
    }
}
