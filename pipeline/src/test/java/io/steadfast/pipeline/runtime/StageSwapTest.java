package io.steadfast.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.steadfast.handlers.basic.DiscardHandler;
import io.steadfast.handlers.ip.Icmp;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.testing.Packets;
import io.steadfast.pipeline.TestProfiles;
import io.steadfast.pipeline.profile.PipelineSpec;
import io.steadfast.pipeline.profile.Profile;
import io.steadfast.pipeline.stages.StageEnvironment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline built from a profile, then the same profile with one stage swapped by config, on real packets. */
class StageSwapTest {

    @TempDir
    Path dir;

    /** Builds the profile's first pipeline on an EmbeddedChannel that also stands in for the TUN. */
    static EmbeddedChannel build(Profile profile) {
        EmbeddedChannel ch = new EmbeddedChannel();
        PipelineSpec spec = profile.pipelines().get(0);
        PipelineBuilder.build(spec, ch.pipeline(), new StageEnvironment() {
            @Override
            public Channel tun() {
                return ch;
            }

            @Override
            public String pipeline() {
                return spec.name();
            }
        });
        return ch;
    }

    @Test
    void theEchoProfileAnswersAPingAndTheSwappedProfileDropsIt() throws Exception {
        EmbeddedChannel echo = build(TestProfiles.load(TestProfiles.resource("echo.conf")));
        assertThat(echo.pipeline().names()).startsWith("tun-read", "icmp-echo", "tun-write");
        echo.writeInbound(Packets.icmpEcho4("10.77.0.2", "10.77.0.1", 42, 1, 56, 0));
        ByteBuf reply = echo.readOutbound();
        assertThat(reply).as("the echo reply written back to the TUN").isNotNull();
        assertThat(reply.getUnsignedByte(20)).isEqualTo((short) Icmp.ECHO_REPLY);
        assertThat(Ipv4.toString(Ipv4.destination(reply))).isEqualTo("10.77.0.2");
        reply.release();
        assertThat(((CountingStage) echo.pipeline().get("icmp-echo")).counters()).containsEntry("answered", 1L);
        assertThat(echo.finishAndReleaseAll()).isFalse();

        EmbeddedChannel swapped = build(TestProfiles.load(TestProfiles.resource("echo-swapped.conf")));
        assertThat(swapped.pipeline().names()).startsWith("tun-read", "discard");
        swapped.writeInbound(Packets.icmpEcho4("10.77.0.2", "10.77.0.1", 42, 1, 56, 0));
        assertThat((Object) swapped.readOutbound()).as("nothing goes back once icmp-echo is swapped out").isNull();
        assertThat(((DiscardHandler) swapped.pipeline().get("discard")).counters()).containsEntry("discarded", 1L);
        assertThat(swapped.finishAndReleaseAll()).isFalse();
    }

    @Test
    void insertingALossStageByConfigDropsPackets() throws Exception {
        Path file = TestProfiles.write(dir, "lossy.conf", """
                include file("%s")
                steadfast.pipelines.tun-in.stages = [tun-read, { stage = loss, blackhole = true }, icmp-echo, tun-write]
                """.formatted(TestProfiles.resource("echo.conf")));
        EmbeddedChannel ch = build(TestProfiles.load(file));
        for (int i = 0; i < 10; i++) ch.writeInbound(Packets.icmpEcho4("10.77.0.2", "10.77.0.1", 1, i, 8, i));
        assertThat(ch.outboundMessages()).isEmpty();
        assertThat(((CountingStage) ch.pipeline().get("loss")).counters()).containsEntry("dropped", 10L);
        ch.finishAndReleaseAll();
    }

    @Test
    void aPcapStageInsertedByConfigCapturesWhatPasses() throws Exception {
        Path pcap = dir.resolve("tap.pcap");
        Path file = TestProfiles.write(dir, "tap.conf", """
                include file("%s")
                steadfast.pipelines.tun-in.stages = [tun-read, { stage = pcap, file = "%s" }, icmp-echo, tun-write]
                """.formatted(TestProfiles.resource("echo.conf"), pcap));
        EmbeddedChannel ch = build(TestProfiles.load(file));
        ch.writeInbound(Packets.icmpEcho4("10.77.0.2", "10.77.0.1", 1, 1, 8, 0));
        ((ByteBuf) ch.readOutbound()).release();
        ch.finishAndReleaseAll();
        // 24-byte file header + 16-byte record header + 36-byte packet
        assertThat(java.nio.file.Files.size(pcap)).isEqualTo(24 + 16 + 36);
    }
}
