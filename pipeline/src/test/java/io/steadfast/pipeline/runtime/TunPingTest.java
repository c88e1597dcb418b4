package io.steadfast.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.handlers.tun.Netns;
import io.steadfast.handlers.testing.RootTests;
import io.steadfast.pipeline.TestProfiles;
import io.steadfast.pipeline.control.ControlClient;
import io.steadfast.pipeline.testbed.SteadfastProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end as root: {@code steadfast gateway -c PROFILE} runs in a network namespace made for the test;
 * the kernel pings an address routed into the TUN; the profile's icmp-echo stage answers; SIGTERM stops
 * the instance, which removes its TUN and control socket. Nothing is left behind.
 */
class TunPingTest {

    @TempDir
    Path dir;

    @BeforeEach
    void needsRoot() {
        RootTests.requireRootAndNetns();
        RootTests.requireTool("ping");
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring"})
    void theKernelsPingIsAnsweredByAProfileBuiltPipeline(String transport) throws Exception {
        Path socket = dir.resolve("ctl.sock");
        Path log = dir.resolve("steadfast.log");
        Path profile = TestProfiles.write(dir, "echo.conf", """
                steadfast {
                  kind = gateway
                  name = ping-test
                  transport = %s
                  control.socket = "%s"
                  tun { name = sf-ping, addresses = ["10.77.0.1/24"] }
                  pipelines {
                    tun-in { source = tun, stages = [tun-read, icmp-echo, tun-write] }
                  }
                }
                """.formatted(transport, socket));
        try (Netns ns = Netns.create("ping")) {
            SteadfastProcess steadfast = SteadfastProcess.start(ns, "gateway", profile, socket, log,
                    "-Dio.netty.leakDetection.level=paranoid");
            try {
                steadfast.awaitReady();
                String ping = ns.run("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.77.0.2");
                assertThat(ping).contains("3 packets transmitted, 3 received");

                String status = ControlClient.request(socket, "status");
                assertThat(status).contains("transport " + transport)
                        .contains("pipeline tun-in (source tun): tun-read -> icmp-echo -> tun-write")
                        .containsPattern("icmp-echo\\s+answered=3 ")
                        .containsPattern("tun-write\\s+written=3 ");
                assertThat(ns.run("ip", "link", "show", "dev", "sf-ping")).contains("mtu 1420").contains("qlen 1000");

                assertThat(steadfast.stop()).as("exit code after SIGTERM; log:\n" + steadfast.log()).isZero();
            } finally {
                steadfast.stop();
            }
            assertThatThrownBy(() -> ns.run("ip", "link", "show", "dev", "sf-ping"))
                    .as("the TUN is gone after SIGTERM").isInstanceOf(IOException.class);
            assertThat(socket).doesNotExist();
            assertThat(Files.readString(log)).contains("SIGTERM: stopping").contains("tun sf-ping removed");
        }
    }

    @org.junit.jupiter.api.Test
    void aLossStageSwitchedOnThroughTheControlSocketBlackholesTraffic() throws Exception {
        Path socket = dir.resolve("ctl.sock");
        Path log = dir.resolve("steadfast.log");
        Path profile = TestProfiles.write(dir, "lossy.conf", """
                steadfast {
                  kind = gateway
                  name = loss-test
                  transport = epoll
                  control.socket = "%s"
                  tun { name = sf-loss, addresses = ["10.78.0.1/24"] }
                  pipelines {
                    tun-in { source = tun, stages = [tun-read, loss, icmp-echo, tun-write] }
                  }
                }
                """.formatted(socket));
        try (Netns ns = Netns.create("loss")) {
            SteadfastProcess steadfast = SteadfastProcess.start(ns, "gateway", profile, socket, log);
            try {
                steadfast.awaitReady();
                assertThat(ns.run("ping", "-c", "1", "-W", "2", "10.78.0.2")).contains("1 received");
                assertThat(ControlClient.request(socket, "control tun-in loss on")).startsWith("loss: blackhole on");
                assertThatThrownBy(() -> ns.run("ping", "-c", "2", "-i", "0.2", "-W", "1", "10.78.0.2"))
                        .hasMessageContaining("0 received");
                assertThat(ControlClient.request(socket, "control tun-in loss off")).startsWith("loss: blackhole off");
                assertThat(ns.run("ping", "-c", "1", "-W", "2", "10.78.0.2")).contains("1 received");
                assertThat(ControlClient.request(socket, "status")).containsPattern("loss\\s+passed=2 dropped=2");
                assertThat(ControlClient.request(socket, "control tun-in icmp-echo on"))
                        .isEqualTo("error: stage \"icmp-echo\" takes no commands\n");
                assertThat(ControlClient.request(socket, "control nope loss on")).startsWith("error: no pipeline \"nope\"");
                assertThat(ControlClient.request(socket, "control tun-in loss sideways")).startsWith("error: ");
                assertThat(ControlClient.request(socket, "launch")).startsWith("error: unknown request");
            } finally {
                assertThat(steadfast.stop()).isZero();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aFailureAtStartUndoesEverythingAndSaysWhy() throws Exception {
        Path socket = dir.resolve("ctl.sock");
        Path log = dir.resolve("steadfast.log");
        // The address already routes 10.79.0.0/24 into the TUN, so adding the same route again fails.
        Path profile = TestProfiles.write(dir, "clash.conf", """
                steadfast {
                  kind = gateway
                  control.socket = "%s"
                  tun { name = sf-clash, addresses = ["10.79.0.1/24"], routes = ["10.79.0.0/24"] }
                  pipelines { tun-in { source = tun, stages = [tun-read, discard] } }
                }
                """.formatted(socket));
        try (Netns ns = Netns.create("clash")) {
            SteadfastProcess steadfast = SteadfastProcess.start(ns, "gateway", profile, socket, log);
            assertThat(steadfast.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = steadfast.log();
            assertThat(steadfast.process().exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("cannot start").contains("ip route add 10.79.0.0/24 dev sf-clash");
            assertThatThrownBy(() -> ns.run("ip", "link", "show", "dev", "sf-clash")).isInstanceOf(IOException.class);
            assertThat(socket).doesNotExist();
        }
    }
}
