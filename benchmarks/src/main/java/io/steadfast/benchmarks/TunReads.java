package io.steadfast.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * State of a benchmark that feeds a pipeline on the TUN: before each invocation, {@link ClientPipelineBenchmark#PACKETS}
 * copies of {@link #template} in buffers of the channel's allocator with room around them, as TunChannel reads
 * them (outside the measured time); the pipeline releases them.
 */
public abstract class TunReads {
    EmbeddedChannel tun;
    final PipelineFixture.Sink sink = new PipelineFixture.Sink();
    final ByteBuf[] packets = new ByteBuf[ClientPipelineBenchmark.PACKETS];
    byte[] template;

    @Setup(Level.Invocation)
    public void read() {
        for (int i = 0; i < packets.length; i++) {
            packets[i] = PipelineFixture.tunPacket(tun, template);
        }
    }

    /** Feeds the packets read, a read-complete after each TSO-sized batch; returns the packets that came through. */
    long feed() {
        PipelineFixture.feed(tun.pipeline(), packets, ClientPipelineBenchmark.BATCH);
        return sink.received;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tun.finishAndReleaseAll();
    }
}
