package io.steadfast.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.steadfast.relay.AddressPrefix;
import io.steadfast.relay.BindingCodec;
import io.steadfast.relay.ClientKeys;
import io.steadfast.relay.IpIp;
import io.steadfast.relay.Ipv4;
import io.steadfast.relay.Relay;
import io.steadfast.relay.RelayClientConfig;
import io.steadfast.relay.RelayDropReason;
import io.steadfast.relay.RelayServer;
import io.steadfast.relay.UpdateResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * The relay's per-packet cost, in nanoseconds per packet, with 10, 10 000 and 1 000 000 bindings:
 * <ul>
 *   <li>{@code fromClient}: check and decapsulate one IP-in-IP packet V -> R (outer and inner header
 *       checks, binding lookup by the inner source, care-of check, strip in place);</li>
 *   <li>{@code careOfForAndEncapsulate}: look up V for a packet to S and wrap it R -> V in place.</li>
 * </ul>
 * Each runs over {@value #PACKETS} prebuilt packets of {@value #INNER_LENGTH} bytes with random bound S,
 * laid out in one pooled direct buffer, so with many bindings the lookups are spread over the table as
 * real traffic would spread them. And the cost of one binding update:
 * <ul>
 *   <li>{@code verifyUpdate}: parse and verify the MAC, alternating two clients' keys (the relay re-keys
 *       its Mac per client); {@code verifyUpdateSameKey}: the same without re-keying;</li>
 *   <li>{@code acceptUpdate}: the whole {@link RelayServer#handleUpdate} of a fresh update that moves a
 *       binding: format, client lookup, token bucket, MAC, checks, table, and the signed ack.</li>
 * </ul>
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RelayBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RelayBenchmark {
    /** Packets per measured invocation; a power of two. */
    static final int PACKETS = 1 << 16;
    /** Bytes per packet slot in the big buffer: room for the outer header and the inner packet. */
    static final int SLOT = 128;
    static final int INNER_LENGTH = 84;
    static final int R = Ipv4.parse("192.0.2.1");
    static final int SERVER = Ipv4.parse("198.51.100.10");
    static final int FIRST_STABLE = Ipv4.parse("10.16.0.0");
    static final int FIRST_CARE_OF = Ipv4.parse("100.64.0.0");
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A relay with {@code bindings} clients bound (all share one key, to keep the set-up short). */
    @State(Scope.Thread)
    public static class DataPath {
        @Param({"10", "10000", "1000000"})
        public int bindings;

        RelayServer server;
        ByteBuf fromClients;
        ByteBuf toClients;

        @Setup(Level.Trial)
        public void setUp() {
            byte[] key = bytes(32, 1);
            server = boundRelay(bindings, key);
            Random random = new Random(bindings);
            fromClients = PooledByteBufAllocator.DEFAULT.directBuffer(PACKETS * SLOT, PACKETS * SLOT);
            toClients = PooledByteBufAllocator.DEFAULT.directBuffer(PACKETS * SLOT, PACKETS * SLOT);
            for (int i = 0; i < PACKETS; i++) {
                int client = random.nextInt(bindings);
                byte[] inner = ipv4(FIRST_STABLE + client, SERVER, bytes(INNER_LENGTH - 20, i));
                fromClients.setBytes(i * SLOT, ipip(FIRST_CARE_OF + client, R, inner));
                toClients.setBytes(i * SLOT + Relay.OUTER_HEADER_LENGTH, ipv4(SERVER, FIRST_STABLE + random.nextInt(bindings), inner));
            }
            fromClients.setIndex(0, PACKETS * SLOT);
            if (unwrapAll(this) != PACKETS || wrapAll(this) == 0) {
                throw new IllegalStateException("the prebuilt packets do not pass");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fromClients.release();
            toClients.release();
        }
    }

    /** Binding updates of two clients with different keys, and fresh updates for the accepting path. */
    @State(Scope.Thread)
    public static class Updates {
        static final int CLIENTS = 4096;
        static final int BATCH = 1024;

        final BindingCodec codec = new BindingCodec();
        final BindingCodec clientSide = new BindingCodec();
        byte[][] keys = new byte[CLIENTS][];
        ByteBuf updateA;
        ByteBuf updateB;
        RelayServer server;
        ByteBuf[] fresh = new ByteBuf[BATCH];
        int[] freshSources = new int[BATCH];
        long now;
        long sequence = 1;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            List<RelayClientConfig> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                keys[i] = bytes(32, 1000 + i);
                clients.add(new RelayClientConfig(i, FIRST_STABLE + i, keys[i]));
            }
            server = new RelayServer(R, List.of(AddressPrefix.parse("10.0.0.0/8")), ClientKeys.of(clients), System::nanoTime);
            updateA = Unpooled.wrappedBuffer(clientSide.encodeUpdate(keys[0], 0, 5, FIRST_STABLE, FIRST_CARE_OF, 300));
            updateB = Unpooled.wrappedBuffer(clientSide.encodeUpdate(keys[1], 1, 5, FIRST_STABLE + 1, FIRST_CARE_OF + 1, 300));
        }

        /** BATCH fresh updates, round-robin over the clients, each moving its binding; the clock moves a second per batch. */
        @Setup(Level.Invocation)
        public void freshUpdates() {
            now += SECOND;
            sequence++;
            for (int i = 0; i < BATCH; i++) {
                int client = next % CLIENTS;
                int careOf = FIRST_CARE_OF + client + ((next / CLIENTS) & 1) * 0x10000; // every use moves the binding
                next++;
                fresh[i] = Unpooled.wrappedBuffer(clientSide.encodeUpdate(keys[client], client, sequence, FIRST_STABLE + client, careOf, 300));
                freshSources[i] = careOf;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            updateA.release();
            updateB.release();
        }
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int fromClient(DataPath d) {
        return unwrapAll(d);
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int careOfForAndEncapsulate(DataPath d) {
        return wrapAll(d);
    }

    /** Every prebuilt packet through {@link RelayServer#fromClient}; returns how many passed. */
    static int unwrapAll(DataPath d) {
        ByteBuf packets = d.fromClients;
        int accepted = 0;
        for (int i = 0; i < PACKETS; i++) {
            int start = i * SLOT;
            packets.setIndex(start, start + Relay.OUTER_HEADER_LENGTH + INNER_LENGTH);
            if (d.server.fromClient(packets) == null) {
                accepted++;
            }
        }
        return accepted;
    }

    /** Every prebuilt packet to S looked up and wrapped R -> V; returns a sum of the V used. */
    static int wrapAll(DataPath d) {
        ByteBuf packets = d.toClients;
        int sum = 0;
        for (int i = 0; i < PACKETS; i++) {
            int start = i * SLOT + Relay.OUTER_HEADER_LENGTH;
            packets.setIndex(start, start + INNER_LENGTH);
            int careOf = d.server.careOfFor(Ipv4.destination(packets));
            if (careOf != 0 && IpIp.encapsulate(packets, R, careOf)) {
                sum += careOf;
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public boolean verifyUpdate(Updates u) {
        return u.codec.parse(u.updateA, u.keys[0]).ok() & u.codec.parse(u.updateB, u.keys[1]).ok();
    }

    @Benchmark
    public boolean verifyUpdateSameKey(Updates u) {
        return u.codec.parse(u.updateA, u.keys[0]).ok();
    }

    @Benchmark
    @OperationsPerInvocation(Updates.BATCH)
    public int acceptUpdate(Updates u) {
        int accepted = 0;
        for (int i = 0; i < Updates.BATCH; i++) {
            UpdateResult result = u.server.handleUpdate(u.fresh[i], u.freshSources[i], u.now);
            if (result.accepted()) {
                accepted++;
            }
            u.fresh[i].release();
        }
        if (accepted != Updates.BATCH) {
            throw new IllegalStateException("accepted only " + accepted);
        }
        return accepted;
    }

    /** A relay at R serving 10.0.0.0/8 with clients 0..n-1 bound: S = 10.16.0.0 + i, V = 100.64.0.0 + i. */
    static RelayServer boundRelay(int n, byte[] key) {
        List<RelayClientConfig> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            clients.add(new RelayClientConfig(i, FIRST_STABLE + i, key));
        }
        RelayServer server = new RelayServer(R, List.of(AddressPrefix.parse("10.0.0.0/8")), ClientKeys.of(clients), System::nanoTime);
        BindingCodec codec = new BindingCodec();
        for (int i = 0; i < n; i++) {
            ByteBuf update = Unpooled.wrappedBuffer(codec.encodeUpdate(key, i, 1, FIRST_STABLE + i, FIRST_CARE_OF + i, 3600));
            try {
                RelayDropReason refused = server.handleUpdate(update, FIRST_CARE_OF + i, 0).reason();
                if (refused != null) {
                    throw new IllegalStateException("binding " + i + " refused: " + refused);
                }
            } finally {
                update.release();
            }
        }
        return server;
    }

    /** An IPv4 packet src -> dst, protocol 253 (experiments), TTL 64, with its header checksum. */
    static byte[] ipv4(int src, int dst, byte[] payload) {
        ByteBuf buf = Unpooled.buffer(20 + payload.length);
        try {
            buf.writeShort(0x4500).writeShort(20 + payload.length).writeShort(0).writeShort(0).writeByte(64).writeByte(253)
                    .writeShort(0).writeInt(src).writeInt(dst);
            buf.setShort(10, Ipv4.checksum(buf, 0, 20));
            buf.writeBytes(payload);
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    /** IP-in-IP src -> dst around {@code inner}, as the client builds it. */
    static byte[] ipip(int src, int dst, byte[] inner) {
        ByteBuf buf = Unpooled.buffer(Relay.OUTER_HEADER_LENGTH + inner.length);
        try {
            buf.writerIndex(Relay.OUTER_HEADER_LENGTH).readerIndex(Relay.OUTER_HEADER_LENGTH).writeBytes(inner);
            IpIp.encapsulate(buf, src, dst, 0);
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
