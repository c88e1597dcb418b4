package io.steadfast.benchmarks;

import static io.steadfast.benchmarks.PipelineFixture.CARE_OF_A;
import static io.steadfast.benchmarks.PipelineFixture.RELAY;
import static io.steadfast.benchmarks.PipelineFixture.SERVER;
import static io.steadfast.benchmarks.PipelineFixture.STABLE;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.steadfast.relay.Ipv4;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay's whole pipeline (tun-read, relay-server, tun-write) as {@code steadfast relay} builds it from
 * examples/relay.conf's stages, on an {@link EmbeddedChannel} with a TUN sink; nanoseconds per packet of
 * {@code size} bytes, {@value ClientPipelineBenchmark#PACKETS} per invocation in reads of
 * {@value ClientPipelineBenchmark#BATCH}: {@code from-client} unwraps IP-in-IP V -> R from a bound client,
 * {@code to-client} wraps a server's packet for S in IP-in-IP R -> V. One binding; a type-pollution warm-up
 * (both directions, sizes, refused packets, binding updates) comes first.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RelayPipeline -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RelayPipelineBenchmark {
    static final int PACKETS = ClientPipelineBenchmark.PACKETS;

    @State(Scope.Thread)
    public static class Cloud extends TunReads {
        @Param({"from-client", "to-client"})
        public String direction;

        @Param({"1400"})
        public int size;

        @Setup(Level.Trial)
        public void setUp() {
            PipelineFixture fixture = PipelineFixture.relay();
            tun = fixture.build("cloud", sink);
            template = direction.equals("from-client") ? fromClient(size) : toClient(size);
            pollute();
        }

        private void pollute() {
            int other = Ipv4.parse("10.9.0.99");
            byte[][] kinds = {
                fromClient(64), fromClient(600), toClient(64), toClient(600), fromClient(size), toClient(size),
                RelayBenchmark.ipv4(SERVER, other, new byte[100]),                                 // S without binding
                RelayBenchmark.ipv4(SERVER, Ipv4.parse("192.0.2.7"), new byte[100]),              // not served
                RelayBenchmark.ipip(Ipv4.parse("10.100.9.9"), RELAY, RelayBenchmark.ipv4(STABLE, SERVER, new byte[80])), // wrong V
                ClientPipelineBenchmark.ipv6(120),
            };
            PipelineFixture.pollute(tun, 3, kinds.length + 1,
                    kind -> kind < kinds.length ? PipelineFixture.tunPacket(tun, kinds[kind]) : Unpooled.wrappedBuffer(toClient(200)));
        }
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long cloud(Cloud c) {
        return c.feed();
    }

    /** IP-in-IP V_A -> R around a packet of {@code size} bytes S -> server. */
    static byte[] fromClient(int size) {
        return RelayBenchmark.ipip(CARE_OF_A, RELAY, RelayBenchmark.ipv4(STABLE, SERVER, EspBenchmark.bytes(size - 20, size)));
    }

    /** A server's packet of {@code size} bytes to S. */
    static byte[] toClient(int size) {
        return RelayBenchmark.ipv4(SERVER, STABLE, EspBenchmark.bytes(size - 20, size));
    }
}
