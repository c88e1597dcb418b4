package io.steadfast.pipeline.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.pipeline.TestProfiles;
import io.steadfast.pipeline.config.Ipv4Prefix;
import io.steadfast.pipeline.config.Problem;
import io.steadfast.pipeline.config.ProfileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileLoaderTest {

    @TempDir
    Path dir;

    private static List<Problem> problemsOf(Path file) {
        try {
            TestProfiles.load(file);
        } catch (ProfileException e) {
            return e.problems();
        }
        throw new AssertionError(file + " loaded without problems");
    }

    private static Problem problemAt(List<Problem> problems, String key) {
        return problems.stream().filter(p -> key.equals(p.key())).findFirst()
                .orElseThrow(() -> new AssertionError("no problem for " + key + " in " + problems));
    }

    @Test
    void everyExampleProfileLoads() throws Exception {
        List<Path> examples;
        try (Stream<Path> s = Files.list(TestProfiles.examples())) {
            examples = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertThat(examples).extracting(p -> p.getFileName().toString())
                .contains("client.conf", "gateway.conf", "relay.conf", "demo-ping.conf");
        for (Path example : examples) {
            Profile p = TestProfiles.load(example);
            assertThat(p.pipelines()).as(example.toString()).isNotEmpty();
        }
        assertThat(TestProfiles.load(TestProfiles.examples().resolve("client.conf")).kind()).isEqualTo(Kind.CLIENT);
        assertThat(TestProfiles.load(TestProfiles.examples().resolve("gateway.conf")).kind()).isEqualTo(Kind.GATEWAY);
        Profile relay = TestProfiles.load(TestProfiles.examples().resolve("relay.conf"));
        assertThat(relay.kind()).isEqualTo(Kind.RELAY);
        assertThat(relay.tun().txQueueLength()).as("a relay's default queue: IP-in-IP comes one packet at a time").isEqualTo(5000);
        assertThat(TestProfiles.load(TestProfiles.examples().resolve("gateway.conf")).tun().txQueueLength()).isEqualTo(1000);
    }

    @Test
    void readsTheModelWithDefaultsFromReferenceConf() throws Exception {
        Profile p = TestProfiles.load(TestProfiles.resource("echo.conf"));
        assertThat(p.kind()).isEqualTo(Kind.GATEWAY);
        assertThat(p.name()).isEqualTo("echo-test");
        assertThat(p.transport()).isEqualTo(Transport.AUTO);
        assertThat(p.tun().name()).isEqualTo("sf-echo");
        assertThat(p.tun().mtu()).as("a gateway's default: room for the relay's IP-in-IP").isEqualTo(1420);
        assertThat(p.tun().txQueueLength()).isEqualTo(1000);
        assertThat(p.tun().offload()).as("TSO/GRO offloads on by default").isTrue();
        assertThat(p.udp().gro()).isTrue();
        assertThat(p.tun().addresses()).containsExactly(Ipv4Prefix.parse("10.77.0.1/24"));
        assertThat(p.controlSocket()).isEqualTo(Path.of("/run/steadfast/echo-test.sock"));
        assertThat(p.pipelines()).hasSize(1);
        PipelineSpec tunIn = p.pipelines().get(0);
        assertThat(tunIn.name()).isEqualTo("tun-in");
        assertThat(tunIn.source()).isEqualTo("tun");
        assertThat(tunIn.describe()).isEqualTo("tun-read -> icmp-echo -> tun-write");
    }

    @Test
    void theThreeClassicMistakesAreEachReportedWithFileLineAndKey() {
        Path file = TestProfiles.resource("bad-three.conf");
        List<Problem> problems = problemsOf(file);
        assertThat(problems).hasSize(3);
        assertThat(problems).allSatisfy(p -> assertThat(p.file()).isEqualTo(file.toString()));

        Problem kind = problemAt(problems, "steadfast.kind");
        assertThat(kind.line()).isEqualTo(1);
        assertThat(kind.message()).contains("missing").contains("client, gateway, relay");

        Problem address = problemAt(problems, "steadfast.tun.addresses[0]");
        assertThat(address.line()).isEqualTo(5);
        assertThat(address.message()).contains("10.0.0.300");

        Problem stage = problemAt(problems, "steadfast.pipelines.tun-in.stages[1]");
        assertThat(stage.line()).isEqualTo(10);
        assertThat(stage.message()).contains("unknown stage \"lossy\"").contains("tun-read").contains("loss");
        assertThat(stage.toString()).startsWith(file + ":10: steadfast.pipelines.tun-in.stages[1]: unknown stage");
    }

    @Test
    void reportsEveryProblemOfAProfileAtOnce() {
        List<Problem> problems = problemsOf(TestProfiles.resource("many-problems.conf"));
        assertThat(problems).extracting(Problem::key).containsExactlyInAnyOrder(
                "steadfast.colour",
                "steadfast.kind",
                "steadfast.transport",
                "steadfast.tun.name",
                "steadfast.tun.mtu",
                "steadfast.tun.txqueuelen",
                "steadfast.tun.offload",
                "steadfast.tun.addresses[0]",
                "steadfast.tun.addresses[1]",
                "steadfast.pipelines.a.source",
                "steadfast.pipelines.a.stages[0].probability",
                "steadfast.pipelines.a.stages[1].delay",
                "steadfast.pipelines.a.stages[2].stage",
                "steadfast.pipelines.a.stages[3].bogus",
                "steadfast.pipelines.a.stages[3].snaplen",
                "steadfast.pipelines.a.stages[5]");
        assertThat(problemAt(problems, "steadfast.kind").message()).contains("\"spaceship\"");
        assertThat(problemAt(problems, "steadfast.kind").line()).isEqualTo(2);
        assertThat(problemAt(problems, "steadfast.tun.mtu").message()).contains("576 to 65535");
        assertThat(problemAt(problems, "steadfast.tun.txqueuelen").message()).contains("\"lots\"");
        assertThat(problemAt(problems, "steadfast.tun.offload").message()).contains("true or false").contains("sometimes");
        assertThat(problemAt(problems, "steadfast.tun.addresses[0]").message()).contains("42");
        assertThat(problemAt(problems, "steadfast.tun.addresses[1]").message()).contains("0 to 32");
        assertThat(problemAt(problems, "steadfast.pipelines.a.stages[0].probability").line()).isEqualTo(16);
        assertThat(problemAt(problems, "steadfast.pipelines.a.stages[1].delay").message()).contains("duration");
        assertThat(problemAt(problems, "steadfast.pipelines.a.stages[3].bogus").message()).contains("unknown key");
        assertThat(problemAt(problems, "steadfast.pipelines.a.stages[5]").message()).contains("appears twice").contains("as =");
        assertThat(problemAt(problems, "steadfast.colour").message()).contains("unknown key");
    }

    @Test
    void aSyntaxErrorNamesItsLine() {
        List<Problem> problems = problemsOf(TestProfiles.resource("syntax-error.conf"));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).file()).endsWith("syntax-error.conf");
        assertThat(problems.get(0).line()).isPositive();
    }

    @Test
    void aMissingFileIsOneClearProblem() {
        List<Problem> problems = problemsOf(dir.resolve("nope.conf"));
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("no such file"));
    }

    @Test
    void aProfileWithoutSteadfastRootIsRefused() {
        Path file = TestProfiles.write(dir, "empty.conf", "kind = client\n");
        assertThat(problemsOf(file)).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("steadfast");
            assertThat(p.message()).contains("steadfast {");
        });
    }

    @Test
    void missingAndEmptyPipelinesAreProblems() {
        Path none = TestProfiles.write(dir, "none.conf", "steadfast { kind = relay }\n");
        assertThat(problemAt(problemsOf(none), "steadfast.pipelines").message()).startsWith("missing");
        Path empty = TestProfiles.write(dir, "empty.conf", "steadfast { kind = relay, pipelines {} }\n");
        assertThat(problemAt(problemsOf(empty), "steadfast.pipelines").message()).startsWith("empty");
        Path noStages = TestProfiles.write(dir, "nostages.conf", "steadfast { kind = relay, pipelines { p { source = tun, stages = [] } } }\n");
        assertThat(problemAt(problemsOf(noStages), "steadfast.pipelines.p.stages").message()).startsWith("empty");
    }

    @Test
    void twoPipelinesMayNotReadTheSameSource() {
        Path file = TestProfiles.write(dir, "two.conf", """
                steadfast {
                  kind = client
                  pipelines {
                    a { source = tun, stages = [tun-read, discard] }
                    b { source = tun, stages = [tun-read, discard] }
                  }
                }
                """);
        assertThat(problemAt(problemsOf(file), "steadfast.pipelines.b.source").message()).contains("already reads from tun");
    }

    @Test
    void stageOptionsComeFromThePositionThenTheProfileThenReferenceConf() throws Exception {
        Path file = TestProfiles.write(dir, "opts.conf", """
                steadfast {
                  kind = client
                  stages.loss.probability = 0.5
                  pipelines {
                    p {
                      source = tun
                      stages = [tun-read, loss, { stage = loss, as = loss-2, probability = 0.25 }, { stage = pcap, file = "x.pcap" }, discard]
                    }
                  }
                }
                """);
        Profile p = TestProfiles.load(file);
        assertThat(p.pipelines().get(0).describe())
                .isEqualTo("tun-read -> loss -> loss-2 (loss) -> pcap -> discard");
        // A bad profile-wide default is reported where it is written.
        Path bad = TestProfiles.write(dir, "bad-default.conf", """
                steadfast {
                  kind = client
                  stages.loss.probability = 7
                  pipelines { p { source = tun, stages = [loss] } }
                }
                """);
        assertThat(problemAt(problemsOf(bad), "steadfast.pipelines.p.stages[0].probability").message())
                .contains("0.0 to 1.0");
    }

    @Test
    void swappingAStageIsAConfigChange() throws Exception {
        Profile original = TestProfiles.load(TestProfiles.resource("echo.conf"));
        Profile swapped = TestProfiles.load(TestProfiles.resource("echo-swapped.conf"));
        assertThat(original.pipelines().get(0).describe()).isEqualTo("tun-read -> icmp-echo -> tun-write");
        assertThat(swapped.pipelines().get(0).describe()).isEqualTo("tun-read -> discard");
        assertThat(swapped.name()).isEqualTo("echo-test");
    }

    @Test
    void explicitControlSocketAndTransport() throws Exception {
        Path file = TestProfiles.write(dir, "ctl.conf", """
                steadfast {
                  kind = relay
                  transport = EPOLL
                  control.socket = "/tmp/sf-test/ctl.sock"
                  pipelines { p { source = tun, stages = [discard] } }
                }
                """);
        Profile p = TestProfiles.load(file);
        assertThat(p.transport()).isEqualTo(Transport.EPOLL);
        assertThat(p.controlSocket()).isEqualTo(Path.of("/tmp/sf-test/ctl.sock"));
        assertThat(p.name()).isEqualTo("relay");
    }

    @Test
    void badNamesAreRefused() {
        Path file = TestProfiles.write(dir, "names.conf", """
                steadfast {
                  kind = relay
                  name = "../../etc"
                  pipelines { p { source = tun, stages = [discard] } }
                }
                """);
        assertThat(problemAt(problemsOf(file), "steadfast.name").message()).contains("not a usable name");
    }

    @Test
    void aProblemIsRenderedAsFileLineKeyMessage() {
        assertThat(new Problem("a.conf", 3, "steadfast.kind", "missing").toString()).isEqualTo("a.conf:3: steadfast.kind: missing");
        assertThat(new Problem("a.conf", -1, null, "no such file").toString()).isEqualTo("a.conf: no such file");
        assertThatThrownBy(() -> { throw new ProfileException(List.of(new Problem("a.conf", 1, "k", "m"))); })
                .hasMessageContaining("1 problem in the profile").hasMessageContaining("a.conf:1: k: m");
    }
}
