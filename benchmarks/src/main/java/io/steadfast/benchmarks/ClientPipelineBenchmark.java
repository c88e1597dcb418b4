package io.steadfast.benchmarks;

import static io.steadfast.benchmarks.PipelineFixture.CARE_OF_A;
import static io.steadfast.benchmarks.PipelineFixture.CLIENT_INBOUND;
import static io.steadfast.benchmarks.PipelineFixture.CLIENT_OUTBOUND;
import static io.steadfast.benchmarks.PipelineFixture.PROBE_TARGET;
import static io.steadfast.benchmarks.PipelineFixture.RELAY;
import static io.steadfast.benchmarks.PipelineFixture.SERVER;
import static io.steadfast.benchmarks.PipelineFixture.SPARE_ROOM;
import static io.steadfast.benchmarks.PipelineFixture.STABLE;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.handlers.udp.UdpSendHandler;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client's whole pipelines, as {@code steadfast client} builds them from a profile with relay and failover
 * (README, "Several gateways, and failover"), on an {@link EmbeddedChannel}; nanoseconds per packet:
 * <ul>
 *   <li>{@code outbound}: {@value #PACKETS} IP packets of {@code size} bytes from S, in buffers of the channel's
 *       allocator with 64 bytes of room around them as the TUN channel reads them, in TSO-sized reads of
 *       {@value #BATCH} (a read-complete after each), through tun-read, ipip-encap, relay-client, probe-injector,
 *       failover-controller, esp-encrypt (AES-128-GCM) and udp-send into a UDP sink channel that releases what it
 *       gets. {@code upTo} cuts the pipeline after a stage (the difference of two cuts is a stage's cost);
 *       {@code udp-send+gso} takes the sink for a GSO-capable socket, so runs of equal datagrams are joined into
 *       one {@code SegmentedDatagramPacket} as on epoll and io_uring; {@code udp-send} is the path without GSO.</li>
 *   <li>{@code inbound}: ESP datagrams from gateway A holding IP-in-IP R -> V around a packet to S of {@code size}
 *       bytes, through udp-recv, esp-decrypt, inbound-monitor, ipip-decap and tun-write into a TUN sink.</li>
 *   <li>{@code bareSeal*}: the floor, a bare JCE AES-128-GCM seal of what esp-encrypt seals (the IP-in-IP
 *       packet, {@code size} + 20 bytes, padded), on a direct buffer and on a heap array.</li>
 * </ul>
 * Buffers are filled (and inbound ones sealed by the gateway) in a per-invocation set-up, outside the time.
 * Before measuring, a mix of packet kinds, sizes and buffer types goes through each pipeline, so that the JIT
 * compiles for the polymorphism production shows (the type-pollution warm-up of Netty's microbenchmarks).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ClientPipeline -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class ClientPipelineBenchmark {
    /** Packets in one TSO read (a 64 KB super-packet cut at MTU 1400) or one batch of UDP reads. */
    static final int BATCH = 45;
    /** Packets per measured invocation: four reads. */
    static final int PACKETS = 4 * BATCH;
    static final InetSocketAddress GATEWAY_A = new InetSocketAddress("10.1.0.2", 4500);
    static final InetSocketAddress LOCAL = new InetSocketAddress("10.1.0.1", 4500);

    @State(Scope.Thread)
    public static class Outbound extends TunReads {
        @Param({"none", "tun-read", "ipip-encap", "esp-encrypt", "udp-send", "udp-send+gso"})
        public String upTo;

        @Param({"1400"})
        public int size;

        @Setup(Level.Trial)
        public void setUp() {
            String last = upTo.replace("+gso", "");
            List<String> stages = last.equals("none") ? List.of() : upTo(CLIENT_OUTBOUND, last);
            PipelineFixture fixture = PipelineFixture.client(stages, CLIENT_INBOUND);
            tun = fixture.build("outbound", sink);
            if (upTo.endsWith("+gso")) {
                tun.pipeline().replace("udp-send", "udp-send", new UdpSendHandler(fixture::udpSink, Duration.ofSeconds(20), true, channel -> true));
            }
            template = RelayBenchmark.ipv4(STABLE, SERVER, EspBenchmark.bytes(size - 20, size));
            pollute();
            if (tun.pipeline().get("udp-send") instanceof UdpSendHandler send
                    && (send.counters().get("gso.sends") > 0) != upTo.endsWith("+gso")) {
                throw new IllegalStateException("udp-send took the wrong path: " + send.counters());
            }
        }

        /** Every kind of packet the outbound pipeline meets, in sizes from 40 bytes up. */
        private void pollute() {
            byte[][] kinds = {
                RelayBenchmark.ipv4(STABLE, SERVER, new byte[20]),
                RelayBenchmark.ipv4(STABLE, SERVER, new byte[556]),
                RelayBenchmark.ipv4(STABLE, PROBE_TARGET, new byte[44]),
                RelayBenchmark.ipv4(CARE_OF_A, PROBE_TARGET, new byte[64]), // not from S: ipip-encap drops it
                ipv6(200),
            };
            PipelineFixture.pollute(tun, 1, 10, kind -> kind < kinds.length ? PipelineFixture.tunPacket(tun, kinds[kind])
                    : kind == 5 ? Unpooled.wrappedBuffer(template.clone()) // no room around it: stages copy it
                    : kind == 6 ? Unpooled.copiedBuffer(kinds[1])          // a heap buffer of another class
                    : PipelineFixture.tunPacket(tun, template));
        }
    }

    @State(Scope.Thread)
    public static class Inbound {
        @Param({"udp-recv", "esp-decrypt", "ipip-decap", "tun-write"})
        public String upTo;

        @Param({"1400"})
        public int size;

        EmbeddedChannel udp;
        EspEncryptor gateway;
        final PipelineFixture.Sink sink = new PipelineFixture.Sink();
        final DatagramPacket[] datagrams = new DatagramPacket[PACKETS];
        byte[] template;
        DatagramPacket replay;

        @Setup(Level.Trial)
        public void setUp() {
            PipelineFixture fixture = PipelineFixture.client(CLIENT_OUTBOUND, upTo(CLIENT_INBOUND, upTo));
            udp = fixture.build("inbound", sink);
            gateway = PipelineFixture.gatewayA();
            template = fromRelay(RelayBenchmark.ipv4(SERVER, STABLE, EspBenchmark.bytes(size - 20, size)));
            for (int i = 0; i < PACKETS; i++) {
                ByteBuf buf = udp.alloc().directBuffer(SPARE_ROOM + template.length + SPARE_ROOM);
                datagrams[i] = new DatagramPacket(buf, LOCAL, GATEWAY_A);
            }
            pollute();
        }

        /** ESP of every size, NAT keepalives, IKE, garbage, replays, unknown SPIs, probe replies, non-IP-in-IP. */
        private void pollute() {
            byte[][] inner = {
                fromRelay(RelayBenchmark.ipv4(SERVER, STABLE, new byte[20])),
                fromRelay(RelayBenchmark.ipv4(SERVER, STABLE, new byte[556])),
                template,
                RelayBenchmark.ipv4(SERVER, CARE_OF_A, new byte[100]), // not IP-in-IP: passes ipip-decap
                probeReply(),
            };
            byte[][] other = {{(byte) 0xff}, {0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}, {0, 0, 0, 1, 9, 9}, {0, 0, 0x7f, 0x7f, 0, 0, 0, 1, 2, 3}};
            PipelineFixture.pollute(udp, 2, 12, kind -> {
                if (kind < inner.length) {
                    DatagramPacket sealed = sealed(inner[kind]);
                    if (replay == null) replay = sealed.copy();
                    return sealed;
                }
                if (kind < inner.length + other.length) {
                    return new DatagramPacket(Unpooled.wrappedBuffer(other[kind - inner.length]), LOCAL, GATEWAY_A);
                }
                if (replay != null) { // seen before: the replay window drops it
                    DatagramPacket again = replay;
                    replay = null;
                    return again;
                }
                return sealed(template);
            });
            if (replay != null) replay.release();
        }

        private DatagramPacket sealed(byte[] packet) {
            ByteBuf buf = PipelineFixture.tunPacket(udp, packet);
            seal(buf);
            return new DatagramPacket(buf, LOCAL, GATEWAY_A);
        }

        private void seal(ByteBuf buf) {
            if (gateway.seal(buf, 4) != null) throw new IllegalStateException("gateway A could not seal");
        }

        /** The gateway's next datagrams: each buffer refilled and sealed afresh, kept alive past the pipeline's release. */
        @Setup(Level.Invocation)
        public void receive() {
            for (DatagramPacket d : datagrams) {
                ByteBuf buf = d.content();
                buf.setIndex(SPARE_ROOM, SPARE_ROOM).writeBytes(template);
                seal(buf);
                buf.retain();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            for (DatagramPacket d : datagrams) d.release();
            udp.finishAndReleaseAll();
        }
    }

    @State(Scope.Thread)
    public static class Bare {
        @Param({"1400"})
        public int size;

        BareGcmSeal seal;

        @Setup(Level.Trial)
        public void setUp() throws GeneralSecurityException {
            seal = new BareGcmSeal(size + 20);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            seal.release();
        }
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long outbound(Outbound o) {
        return o.feed();
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long inbound(Inbound in) {
        PipelineFixture.feed(in.udp.pipeline(), in.datagrams, BATCH);
        return in.sink.received;
    }

    @Benchmark
    public int bareSealDirect(Bare b) throws GeneralSecurityException {
        return b.seal.sealDirect();
    }

    @Benchmark
    public int bareSealHeapArray(Bare b) throws GeneralSecurityException {
        return b.seal.sealHeapArray();
    }

    /** {@code stages} up to and including {@code last}; a stage not in them is a mistyped {@code -p upTo=}. */
    static List<String> upTo(List<String> stages, String last) {
        int at = stages.indexOf(last);
        if (at < 0) throw new IllegalArgumentException("upTo=" + last + " is none of " + stages);
        return stages.subList(0, at + 1);
    }

    /** IP-in-IP R -> V_A around {@code inner}, as the relay sends a server's reply to the client. */
    static byte[] fromRelay(byte[] inner) {
        return RelayBenchmark.ipip(RELAY, CARE_OF_A, inner);
    }

    /** P's answer to a probe: ICMP echo reply P -> V_A with the probes' identifier. */
    static byte[] probeReply() {
        byte[] icmp = new byte[8 + 16];
        icmp[0] = 0; // echo reply
        icmp[4] = 0x53;
        icmp[5] = 0x46;
        byte[] packet = RelayBenchmark.ipv4(PROBE_TARGET, CARE_OF_A, icmp);
        packet[9] = 1; // ICMP
        ByteBuf buf = Unpooled.wrappedBuffer(packet);
        buf.setShort(10, 0);
        buf.setShort(10, io.steadfast.relay.Ipv4.checksum(buf, 0, 20));
        buf.setShort(22, io.steadfast.relay.Ipv4.checksum(buf, 20, icmp.length));
        return packet;
    }

    /** A minimal IPv6 packet of {@code length} bytes. */
    static byte[] ipv6(int length) {
        byte[] packet = new byte[length];
        packet[0] = 0x60;
        packet[4] = (byte) ((length - 40) >> 8);
        packet[5] = (byte) (length - 40);
        return packet;
    }
}
