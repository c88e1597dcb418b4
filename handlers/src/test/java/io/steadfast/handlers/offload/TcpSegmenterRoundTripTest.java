package io.steadfast.handlers.offload;

import static io.steadfast.handlers.offload.OffloadPackets.ACK;
import static io.steadfast.handlers.offload.OffloadPackets.CWR;
import static io.steadfast.handlers.offload.OffloadPackets.ECE;
import static io.steadfast.handlers.offload.OffloadPackets.FIN;
import static io.steadfast.handlers.offload.OffloadPackets.PSH;
import static io.steadfast.handlers.offload.OffloadPackets.TIMESTAMPS;
import static io.steadfast.handlers.offload.OffloadPackets.direct;
import static io.steadfast.handlers.offload.OffloadPackets.get16;
import static io.steadfast.handlers.offload.OffloadPackets.gso;
import static io.steadfast.handlers.offload.OffloadPackets.readable;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.steadfast.handlers.offload.OffloadPackets.RecordingAllocator;
import io.steadfast.handlers.offload.OffloadPackets.Tcp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property tests over random flows: a TSO super-packet as the kernel gives it splits into segments that
 * an independent computation agrees with, and coalescing those segments gives the super-packet back.
 */
class TcpSegmenterRoundTripTest {
    private static final int ROUNDS = 500;

    /** A random super-packet: addresses, ports, numbers, options, flags, payload and an MSS that makes at most 64 segments. */
    private static Tcp randomFlow(Random random, int version, boolean mergeableFlags) {
        Tcp t = version == 4 ? Tcp.v4() : Tcp.v6();
        byte[] src = new byte[version == 4 ? 4 : 16];
        byte[] dst = new byte[src.length];
        random.nextBytes(src);
        random.nextBytes(dst);
        int flags = ACK;
        if (random.nextInt(3) == 0) flags |= PSH;
        if (!mergeableFlags) {
            if (random.nextInt(4) == 0) flags |= FIN;
            if (random.nextInt(4) == 0) flags |= CWR;
            if (random.nextInt(4) == 0) flags |= ECE;
        }
        byte[] options = switch (random.nextInt(3)) {
            case 0 -> new byte[0];
            case 1 -> TIMESTAMPS;
            default -> randomOptions(random);
        };
        int headers = t.ipHeaderLength() + 20 + options.length;
        byte[] payload = new byte[1 + random.nextInt(65535 - headers)];
        random.nextBytes(payload);
        return t.addresses(src, dst).ports(random.nextInt(65536), random.nextInt(65536)).seq(random.nextInt())
                .ack(random.nextInt()).window(random.nextInt(65536)).id(random.nextInt(65536))
                .tos(version == 4 ? random.nextInt(256) : 0).ttl(1 + random.nextInt(255)).flags(flags)
                .options(options).payload(payload);
    }

    private static byte[] randomOptions(Random random) {
        byte[] o = new byte[4 * (1 + random.nextInt(10))];
        random.nextBytes(o);
        return o;
    }

    /** An MSS with at most 64 segments for the payload; sometimes one segment. */
    private static int randomGsoSize(Random random, int payload) {
        int min = (payload + TcpSegmenter.MAX_SEGMENTS - 1) / TcpSegmenter.MAX_SEGMENTS;
        if (random.nextInt(10) == 0) return Math.max(payload, 1) + random.nextInt(100);
        return Math.max(1, min) + random.nextInt(Math.max(1, Math.min(payload, 9000) - min + 1));
    }

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void splitSegmentsAgreeWithAnIndependentComputation(int version) throws Exception {
        Random random = new Random(1000 + version);
        RecordingAllocator alloc = new RecordingAllocator();
        for (int round = 0; round < ROUNDS; round++) {
            Tcp whole = randomFlow(random, version, false);
            int gsoSize = randomGsoSize(random, whole.payload.length);
            List<ByteBuf> out = new ArrayList<>();
            ByteBuf in = direct(gso(whole, gsoSize));
            int n = TcpSegmenter.split(in, alloc, random.nextInt(128), out::add);
            in.release();
            List<byte[]> expected = OffloadPackets.expectedSegments(whole, gsoSize);
            assertThat(n).isEqualTo(expected.size()).isEqualTo(out.size());
            int payloadSeen = 0;
            for (int i = 0; i < n; i++) {
                byte[] s = readable(out.get(i));
                assertThat(s).as("round %d segment %d of %d", round, i, n).isEqualTo(expected.get(i));
                assertThat(OffloadPackets.transportChecksumOk(s)).isTrue();
                if (version == 4) assertThat(OffloadPackets.ipv4HeaderOk(s)).isTrue();
                int headers = whole.ipHeaderLength() + whole.tcpHeaderLength();
                assertThat(Arrays.copyOfRange(s, headers, s.length))
                        .isEqualTo(Arrays.copyOfRange(whole.payload, payloadSeen, payloadSeen + s.length - headers));
                payloadSeen += s.length - headers;
                assertThat(out.get(i).release()).isTrue();
            }
            assertThat(payloadSeen).isEqualTo(whole.payload.length);
        }
        assertThat(alloc.allReleased()).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3})
    void coalescingTheSegmentsGivesTheSuperPacketBack(int seed) throws Exception {
        Random random = new Random(seed);
        RecordingAllocator alloc = new RecordingAllocator();
        ByteBuf out = OffloadPackets.plainDirect(VirtioNetHeader.SIZE + 65535);
        for (int round = 0; round < ROUNDS; round++) {
            Tcp whole = randomFlow(random, 4, true);
            int gsoSize = randomGsoSize(random, whole.payload.length);
            byte[] read = gso(whole, gsoSize);
            List<ByteBuf> segments = new ArrayList<>();
            ByteBuf in = direct(read);
            TcpSegmenter.split(in, alloc, 64, segments::add);
            in.release();
            ByteBuf[] array = segments.toArray(ByteBuf[]::new);
            out.clear();
            int consumed = TcpCoalescer.coalesce(array, 0, array.length, out);
            assertThat(consumed).as("round %d", round).isEqualTo(array.length);
            byte[] written = readable(out);
            if (array.length == 1) {
                assertThat(Arrays.copyOf(written, 10)).isEqualTo(new byte[10]);
                assertThat(Arrays.copyOfRange(written, 10, written.length)).isEqualTo(whole.build());
            } else {
                // Only hdr_len may differ: Linux reports the skb's linear length there.
                byte[] expected = read.clone();
                expected[2] = (byte) (whole.ipHeaderLength() + whole.tcpHeaderLength());
                expected[3] = 0;
                expected[1] = (byte) VirtioNetHeader.GSO_TCPV4;
                assertThat(written).as("round %d, %d segments", round, array.length).isEqualTo(expected);
            }
            segments.forEach(ByteBuf::release);
        }
        out.release();
        assertThat(alloc.allReleased()).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {4, 5})
    void interleavedFlowsCoalesceIntoRunsAndSplitBackToTheSamePackets(int seed) throws Exception {
        Random random = new Random(seed);
        RecordingAllocator alloc = new RecordingAllocator();
        for (int round = 0; round < 50; round++) {
            // Two flows' segments in random order: every packet comes back exactly once, in order.
            List<byte[]> packets = new ArrayList<>();
            List<Integer> flowA = new ArrayList<>();
            List<Integer> flowB = new ArrayList<>();
            List<byte[]> a = OffloadPackets.expectedSegments(randomFlow(random, 4, true).payload(5000, 1), 500);
            List<byte[]> b = OffloadPackets.expectedSegments(randomFlow(random, 4, true).payload(3000, 2), 700);
            int ia = 0, ib = 0;
            while (ia < a.size() || ib < b.size()) {
                boolean takeA = ib == b.size() || ia < a.size() && random.nextBoolean();
                if (takeA) {
                    flowA.add(packets.size());
                    packets.add(a.get(ia++));
                } else {
                    flowB.add(packets.size());
                    packets.add(b.get(ib++));
                }
            }
            ByteBuf[] array = packets.stream().map(OffloadPackets::direct).toArray(ByteBuf[]::new);
            ByteBuf out = OffloadPackets.plainDirect(VirtioNetHeader.SIZE + 65535);
            List<byte[]> back = new ArrayList<>();
            for (int i = 0; i < array.length; ) {
                out.clear();
                i += TcpCoalescer.coalesce(array, i, array.length - i, out);
                List<ByteBuf> split = new ArrayList<>();
                TcpSegmenter.split(out, alloc, 0, split::add);
                for (ByteBuf s : split) {
                    back.add(readable(s));
                    s.release();
                }
            }
            for (int i = 0; i < packets.size(); i++) {
                // The coalescer keeps the first segment's IP id for the run; the split counts up from it.
                byte[] got = back.get(i);
                byte[] want = packets.get(i).clone();
                assertThat(get16(got, 2)).isEqualTo(get16(want, 2));
                got[4] = want[4];
                got[5] = want[5];
                got[10] = want[10];
                got[11] = want[11];
                assertThat(got).as("round %d packet %d", round, i).isEqualTo(want);
            }
            for (ByteBuf p : array) p.release();
            out.release();
        }
        assertThat(alloc.allReleased()).isTrue();
    }
}
