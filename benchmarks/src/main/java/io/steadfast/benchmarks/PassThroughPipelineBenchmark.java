package io.steadfast.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.steadfast.handlers.basic.PassThroughHandler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The framework's own cost: nanoseconds for one packet through a pipeline of {@code stages} pass-through
 * stages and a sink, on the calling thread (no I/O, no allocation per packet: one pooled direct buffer is
 * fired again and again). Compare stages=1 with stages=16 for the per-stage cost.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PassThroughPipeline -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class PassThroughPipelineBenchmark {

    @Param({"1", "4", "16"})
    public int stages;

    @Param({"64", "1400"})
    public int packetSize;

    private EmbeddedChannel channel;
    private ChannelPipeline pipeline;
    private ByteBuf packet;
    private Sink sink;

    /** Counts what reaches the end of the pipeline and keeps the buffer (the benchmark owns it). */
    static final class Sink extends ChannelInboundHandlerAdapter {
        long received;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received++;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        channel = new EmbeddedChannel();
        pipeline = channel.pipeline();
        for (int i = 0; i < stages; i++) {
            pipeline.addLast("pass-" + i, new PassThroughHandler());
        }
        sink = new Sink();
        pipeline.addLast("sink", sink);
        packet = PooledByteBufAllocator.DEFAULT.directBuffer(packetSize).writeZero(packetSize);
        // Type-pollution warm-up, as Netty's microbenchmarks do: let the JIT see other message types too.
        for (int i = 0; i < 10_000; i++) {
            pipeline.fireChannelRead(i % 2 == 0 ? packet : "not a packet");
        }
    }

    @Benchmark
    public long onePacket() {
        pipeline.fireChannelRead(packet);
        return sink.received;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        packet.release();
        channel.finishAndReleaseAll();
    }
}
