package io.steadfast.handlers.offload;

import static io.steadfast.handlers.offload.OffloadPackets.ACK;
import static io.steadfast.handlers.offload.OffloadPackets.CWR;
import static io.steadfast.handlers.offload.OffloadPackets.ECE;
import static io.steadfast.handlers.offload.OffloadPackets.FIN;
import static io.steadfast.handlers.offload.OffloadPackets.PSH;
import static io.steadfast.handlers.offload.OffloadPackets.RST;
import static io.steadfast.handlers.offload.OffloadPackets.SYN;
import static io.steadfast.handlers.offload.OffloadPackets.TIMESTAMPS;
import static io.steadfast.handlers.offload.OffloadPackets.URG;
import static io.steadfast.handlers.offload.OffloadPackets.direct;
import static io.steadfast.handlers.offload.OffloadPackets.get16;
import static io.steadfast.handlers.offload.OffloadPackets.gso;
import static io.steadfast.handlers.offload.OffloadPackets.hex;
import static io.steadfast.handlers.offload.OffloadPackets.readable;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.steadfast.handlers.offload.OffloadPackets.Tcp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TcpCoalescerTest {
    private static final int OUT_CAPACITY = VirtioNetHeader.SIZE + 65535;

    /** What one coalesce call did: how many packets it took and the bytes it wrote. */
    record Written(int consumed, byte[] bytes) {
        int gsoType() {
            return bytes[1] & 0xff;
        }

        byte[] packet() {
            return Arrays.copyOfRange(bytes, VirtioNetHeader.SIZE, bytes.length);
        }
    }

    /** Coalesces {@code packets} from {@code from} into a fresh buffer; checks the inputs are untouched. */
    private static Written coalesce(List<byte[]> packets, int from) {
        ByteBuf[] bufs = packets.stream().map(OffloadPackets::direct).toArray(ByteBuf[]::new);
        ByteBuf out = Unpooled.directBuffer(OUT_CAPACITY);
        try {
            int consumed = TcpCoalescer.coalesce(bufs, from, packets.size() - from, out);
            for (int i = 0; i < bufs.length; i++) {
                assertThat(readable(bufs[i])).as("input %d unchanged", i).isEqualTo(packets.get(i));
            }
            return new Written(consumed, readable(out));
        } finally {
            for (ByteBuf b : bufs) b.release();
            out.release();
        }
    }

    private static Written coalesce(List<byte[]> packets) {
        return coalesce(packets, 0);
    }

    /** {@code n} in-order segments of {@code size} bytes, the first as {@code first}. */
    private static List<Tcp> run(Tcp first, int n, int size) {
        List<Tcp> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(first.copy().seq(first.seq + i * size).id(first.id + i).payload(size, i));
        }
        return out;
    }

    private static List<byte[]> built(List<Tcp> segments) {
        return segments.stream().map(Tcp::build).toList();
    }

    /** The super-packet as {@link TcpCoalescer} should write it for {@code segments}, its checksum partial. */
    private static byte[] expectedMerge(List<Tcp> segments) {
        ByteBuf payload = Unpooled.buffer();
        segments.forEach(s -> payload.writeBytes(s.payload));
        Tcp last = segments.get(segments.size() - 1);
        Tcp whole = segments.get(0).copy().payload(readable(payload)).flags(last.flags);
        byte[] read = gso(whole, segments.get(0).payload.length);
        return Arrays.copyOfRange(read, VirtioNetHeader.SIZE, read.length);
    }

    private static void assertAlone(Written w, byte[] packet) {
        assertThat(w.consumed()).isEqualTo(1);
        assertThat(hex(Arrays.copyOf(w.bytes(), VirtioNetHeader.SIZE))).isEqualTo("00000000000000000000");
        assertThat(w.packet()).isEqualTo(packet);
    }

    // ---- merging ----

    @Test
    void mergesAHandCheckedPairIntoOneSuperPacket() {
        // Two segments of "abcd" and "ef" (the ones TcpSegmenterTest splits a hand-checked packet into).
        List<byte[]> packets = List.of(
                hex("4500002c12344000400614960a0000010a000002" + "9c401451000003e8000007d0501001f618c80000" + "61626364"),
                hex("4500002a12354000400614970a0000010a000002" + "9c401451000003ec000007d0501801f6781e0000" + "6566"));
        Written w = coalesce(packets);
        assertThat(w.consumed()).isEqualTo(2);
        assertThat(hex(w.bytes())).isEqualTo("01" + "01" + "2800" + "0400" + "1400" + "1000"
                + "4500002e12344000400614940a0000010a000002" + "9c401451000003e8000007d0501801f614230000" + "616263646566");
    }

    @Test
    void theVirtioHeaderDescribesTheSuperPacket() {
        List<Tcp> segments = run(Tcp.v4().options(TIMESTAMPS), 5, 1448);
        Written w = coalesce(built(segments));
        assertThat(w.consumed()).isEqualTo(5);
        ByteBuf b = Unpooled.wrappedBuffer(w.bytes());
        assertThat(VirtioNetHeader.flags(b, 0)).isEqualTo(VirtioNetHeader.FLAG_NEEDS_CSUM);
        assertThat(VirtioNetHeader.gsoType(b, 0)).isEqualTo(VirtioNetHeader.GSO_TCPV4);
        assertThat(VirtioNetHeader.hdrLen(b, 0)).isEqualTo(20 + 32);
        assertThat(VirtioNetHeader.gsoSize(b, 0)).isEqualTo(1448);
        assertThat(VirtioNetHeader.csumStart(b, 0)).isEqualTo(20);
        assertThat(VirtioNetHeader.csumOffset(b, 0)).isEqualTo(16);
        byte[] p = w.packet();
        assertThat(get16(p, 2)).isEqualTo(p.length).isEqualTo(52 + 5 * 1448);
        assertThat(OffloadPackets.ipv4HeaderOk(p)).isTrue();
        assertThat(p).isEqualTo(expectedMerge(segments));
    }

    @Test
    void theTcpChecksumIsTheFoldedPseudoHeaderSumThatCompletesToAValidOne() {
        List<Tcp> segments = run(Tcp.v4(), 3, 1000);
        Written w = coalesce(built(segments));
        byte[] p = w.packet();
        long pseudo = OffloadPackets.referenceSum(p, 12, 8) + 6 + (p.length - 20);
        assertThat(get16(p, 36)).isEqualTo(OffloadPackets.fold(pseudo));
        // What the kernel does with CHECKSUM_PARTIAL: sum from csum_start, store the complement.
        ByteBuf completed = Unpooled.wrappedBuffer(p.clone());
        TcpSegmenter.completeChecksum(completed, 20, 36, p.length);
        assertThat(OffloadPackets.transportChecksumOk(readable(completed))).isTrue();
    }

    @Test
    void aShorterLastSegmentClosesTheRun() {
        List<Tcp> segments = new ArrayList<>(run(Tcp.v4(), 3, 1000));
        segments.add(segments.get(2).copy().seq(segments.get(2).seq + 1000).payload(10, 3));
        segments.add(segments.get(3).copy().seq(segments.get(3).seq + 10).payload(10, 4));
        Written w = coalesce(built(segments));
        assertThat(w.consumed()).isEqualTo(4);
        assertThat(w.packet()).isEqualTo(expectedMerge(segments.subList(0, 4)));
        assertThat(VirtioNetHeader.gsoSize(Unpooled.wrappedBuffer(w.bytes()), 0)).isEqualTo(1000);
    }

    @Test
    void pshOnTheLastMergedSegmentIsKeptAndClosesTheRun() {
        List<Tcp> segments = run(Tcp.v4(), 4, 100);
        segments.get(2).flags(ACK | PSH);
        Written w = coalesce(built(segments));
        assertThat(w.consumed()).isEqualTo(3);
        assertThat(w.packet()[33] & 0xff).isEqualTo(ACK | PSH);
        assertThat(w.packet()).isEqualTo(expectedMerge(segments.subList(0, 3)));
        Written rest = coalesce(built(segments), 3);
        assertAlone(rest, segments.get(3).build());
    }

    @Test
    void aLargerSegmentIsNotMerged() {
        List<Tcp> segments = run(Tcp.v4(), 3, 100);
        segments.set(2, segments.get(2).copy().payload(101, 1));
        assertThat(coalesce(built(segments)).consumed()).isEqualTo(2);
    }

    @Test
    void startsAtFromAndTakesAtMostCount() {
        List<Tcp> segments = run(Tcp.v4(), 6, 100);
        List<byte[]> packets = built(segments);
        Written w = coalesce(packets, 2);
        assertThat(w.consumed()).isEqualTo(4);
        assertThat(w.packet()).isEqualTo(expectedMerge(segments.subList(2, 6)));
        ByteBuf[] bufs = packets.stream().map(OffloadPackets::direct).toArray(ByteBuf[]::new);
        ByteBuf out = Unpooled.directBuffer(OUT_CAPACITY);
        assertThat(TcpCoalescer.coalesce(bufs, 1, 3, out)).isEqualTo(3);
        assertThat(Arrays.copyOfRange(readable(out), 10, out.readableBytes())).isEqualTo(expectedMerge(segments.subList(1, 4)));
        for (ByteBuf b : bufs) b.release();
        out.release();
    }

    @Test
    void atMostSixtyFourSegments() {
        List<Tcp> segments = run(Tcp.v4(), 70, 100);
        Written w = coalesce(built(segments));
        assertThat(w.consumed()).isEqualTo(TcpCoalescer.MAX_SEGMENTS);
        assertThat(w.packet()).isEqualTo(expectedMerge(segments.subList(0, 64)));
        assertThat(coalesce(built(segments), 64).consumed()).isEqualTo(6);
    }

    @Test
    void atMost65535Bytes() {
        // 40 header bytes + n * 1460: 44 segments make 64280, a 45th would make 65740.
        List<Tcp> segments = run(Tcp.v4(), 50, 1460);
        Written w = coalesce(built(segments));
        assertThat(w.consumed()).isEqualTo(44);
        assertThat(w.packet()).hasSize(40 + 44 * 1460);
        // Exactly 65535 fits: 40 + 44 * 1460 + 1255.
        List<Tcp> exact = new ArrayList<>(segments.subList(0, 44));
        exact.add(segments.get(44).copy().payload(1255, 9));
        Written full = coalesce(built(exact));
        assertThat(full.consumed()).isEqualTo(45);
        assertThat(full.packet()).hasSize(65535);
        assertThat(full.packet()).isEqualTo(expectedMerge(exact));
    }

    @Test
    void writesAtTheWriterIndex() {
        List<byte[]> packets = built(run(Tcp.v4(), 2, 10));
        ByteBuf[] bufs = packets.stream().map(OffloadPackets::direct).toArray(ByteBuf[]::new);
        ByteBuf out = Unpooled.directBuffer(3 + OUT_CAPACITY).writeBytes(hex("abcdef"));
        assertThat(TcpCoalescer.coalesce(bufs, 0, 2, out)).isEqualTo(2);
        assertThat(out.getByte(0)).isEqualTo((byte) 0xab);
        assertThat(VirtioNetHeader.gsoType(out, 3)).isEqualTo(VirtioNetHeader.GSO_TCPV4);
        assertThat(out.readableBytes()).isEqualTo(3 + 10 + 40 + 20);
        for (ByteBuf b : bufs) b.release();
        out.release();
    }

    @Test
    void countZeroConsumesAndWritesNothing() {
        ByteBuf out = Unpooled.directBuffer(OUT_CAPACITY);
        assertThat(TcpCoalescer.coalesce(new ByteBuf[0], 0, 0, out)).isZero();
        assertThat(out.readableBytes()).isZero();
        out.release();
    }

    @Test
    void aSinglePacketIsWrittenAloneBehindAZeroHeader() {
        byte[] p = Tcp.v4().payload(100, 1).build();
        assertAlone(coalesce(List.of(p)), p);
    }

    @Test
    void aTrailingPacketOfAnotherFlowIsLeftForTheNextCall() {
        List<Tcp> segments = run(Tcp.v4(), 3, 100);
        segments.add(segments.get(0).copy().ports(1, 2));
        assertThat(coalesce(built(segments)).consumed()).isEqualTo(3);
    }

    // ---- what starts no run: written alone ----

    static Stream<Arguments> packetsWrittenAlone() {
        return Stream.of(
                Arguments.of("IPv6", Tcp.v6().payload(100, 1).build()),
                Arguments.of("UDP", OffloadPackets.udp(4, new byte[100], false)),
                Arguments.of("IPv4 options", Tcp.v4().ipOptions(hex("01010100")).payload(100, 1).build()),
                Arguments.of("more fragments", Tcp.v4().fragment(0x2000).payload(100, 1).build()),
                Arguments.of("fragment offset", Tcp.v4().fragment(0x0001).payload(100, 1).build()),
                Arguments.of("no payload", Tcp.v4().build()),
                Arguments.of("PSH on the first", Tcp.v4().flags(ACK | PSH).payload(100, 1).build()),
                Arguments.of("SYN", Tcp.v4().flags(SYN | ACK).payload(100, 1).build()),
                Arguments.of("FIN", Tcp.v4().flags(FIN | ACK).payload(100, 1).build()),
                Arguments.of("RST", Tcp.v4().flags(RST | ACK).payload(100, 1).build()),
                Arguments.of("URG", Tcp.v4().flags(URG | ACK).payload(100, 1).build()),
                Arguments.of("ECE", Tcp.v4().flags(ECE | ACK).payload(100, 1).build()),
                Arguments.of("CWR", Tcp.v4().flags(CWR | ACK).payload(100, 1).build()),
                Arguments.of("no ACK", Tcp.v4().flags(0).payload(100, 1).build()),
                Arguments.of("trailing bytes", OffloadPackets.concat(Tcp.v4().payload(100, 1).build(), new byte[2])),
                Arguments.of("short", hex("4500")),
                Arguments.of("empty", new byte[0]),
                Arguments.of("TCP data offset below 5", dataOffset(Tcp.v4().payload(100, 1).build(), 4)));
    }

    private static byte[] dataOffset(byte[] p, int words) {
        p[32] = (byte) (words << 4);
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packetsWrittenAlone")
    void packetsThatCannotStartARunAreWrittenAloneUnchanged(String why, byte[] first) {
        byte[] mergeable = Tcp.v4().seq(1100).payload(100, 2).build();
        assertAlone(coalesce(List.of(first, mergeable, mergeable)), first);
    }

    // ---- what a following packet must share with the first ----

    static Stream<Arguments> mismatches() {
        return Stream.of(
                Arguments.of("TOS", (UnaryOperator<Tcp>) t -> t.tos(4)),
                Arguments.of("TTL", (UnaryOperator<Tcp>) t -> t.ttl(63)),
                Arguments.of("DF", (UnaryOperator<Tcp>) t -> t.fragment(0)),
                Arguments.of("source address", (UnaryOperator<Tcp>) t -> t.addresses(new byte[] {10, 0, 0, 3}, t.dst)),
                Arguments.of("destination address", (UnaryOperator<Tcp>) t -> t.addresses(t.src, new byte[] {10, 0, 0, 3})),
                Arguments.of("source port", (UnaryOperator<Tcp>) t -> t.ports(t.srcPort + 1, t.dstPort)),
                Arguments.of("destination port", (UnaryOperator<Tcp>) t -> t.ports(t.srcPort, t.dstPort + 1)),
                Arguments.of("ACK number", (UnaryOperator<Tcp>) t -> t.ack(t.ack + 1)),
                Arguments.of("window", (UnaryOperator<Tcp>) t -> t.window(t.window + 1)),
                Arguments.of("option bytes", (UnaryOperator<Tcp>) t -> t.options(withByte(TIMESTAMPS, 7, 0x35))),
                Arguments.of("TCP header length", (UnaryOperator<Tcp>) t -> t.options(Arrays.copyOf(TIMESTAMPS, 16))),
                Arguments.of("sequence gap", (UnaryOperator<Tcp>) t -> t.seq(t.seq + 1)),
                Arguments.of("sequence overlap", (UnaryOperator<Tcp>) t -> t.seq(t.seq - 1)),
                Arguments.of("retransmission", (UnaryOperator<Tcp>) t -> t.seq(t.seq - 100)),
                Arguments.of("empty payload", (UnaryOperator<Tcp>) t -> t.payload(new byte[0])),
                Arguments.of("larger payload", (UnaryOperator<Tcp>) t -> t.payload(101, 1)),
                Arguments.of("FIN", (UnaryOperator<Tcp>) t -> t.flags(ACK | FIN)),
                Arguments.of("SYN", (UnaryOperator<Tcp>) t -> t.flags(ACK | SYN)),
                Arguments.of("RST", (UnaryOperator<Tcp>) t -> t.flags(ACK | RST)),
                Arguments.of("URG", (UnaryOperator<Tcp>) t -> t.flags(ACK | URG)),
                Arguments.of("ECE", (UnaryOperator<Tcp>) t -> t.flags(ACK | ECE)),
                Arguments.of("CWR", (UnaryOperator<Tcp>) t -> t.flags(ACK | CWR)),
                Arguments.of("PSH without ACK", (UnaryOperator<Tcp>) t -> t.flags(PSH)),
                Arguments.of("fragment", (UnaryOperator<Tcp>) t -> t.fragment(0x6000)),
                Arguments.of("IPv6", (UnaryOperator<Tcp>) t -> {
                    Tcp v6 = Tcp.v6().seq(t.seq).ack(t.ack).window(t.window).options(t.options).payload(t.payload);
                    return v6.ports(t.srcPort, t.dstPort);
                }));
    }

    private static byte[] withByte(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mismatches")
    void aSecondPacketThatDiffersIsNotMerged(String what, UnaryOperator<Tcp> change) {
        List<Tcp> segments = run(Tcp.v4().options(TIMESTAMPS), 3, 100);
        segments.set(1, change.apply(segments.get(1).copy()));
        assertAlone(coalesce(built(segments)), segments.get(0).build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mismatches")
    void aLaterPacketThatDiffersEndsTheRunBeforeIt(String what, UnaryOperator<Tcp> change) {
        List<Tcp> segments = run(Tcp.v4().options(TIMESTAMPS), 5, 100);
        segments.set(3, change.apply(segments.get(3).copy()));
        Written w = coalesce(built(segments));
        assertThat(w.consumed()).isEqualTo(3);
        assertThat(w.packet()).isEqualTo(expectedMerge(segments.subList(0, 3)));
    }

    @Test
    void theIpIdentificationMayDiffer() {
        List<Tcp> segments = run(Tcp.v4(), 3, 100);
        segments.get(1).id(7);
        segments.get(2).id(7);
        assertThat(coalesce(built(segments)).consumed()).isEqualTo(3);
    }

    @Test
    void aFirstPacketWithoutDfMergesWithOthersWithoutDf() {
        List<Tcp> segments = run(Tcp.v4().fragment(0), 3, 100);
        Written w = coalesce(built(segments));
        assertThat(w.consumed()).isEqualTo(3);
        assertThat(get16(w.packet(), 6)).isZero();
    }

    @Test
    void theSequenceNumberMayWrapInsideARun() {
        List<Tcp> segments = run(Tcp.v4().seq(-150), 3, 100);
        Written w = coalesce(built(segments));
        assertThat(w.consumed()).isEqualTo(3);
        assertThat(w.packet()).isEqualTo(expectedMerge(segments));
    }

    @Test
    void theInputsChecksumsAreNotConsulted() {
        List<byte[]> packets = new ArrayList<>(built(run(Tcp.v4(), 2, 100)));
        packets.get(1)[36] ^= 1;
        assertThat(coalesce(packets).consumed()).isEqualTo(2);
    }

    @Test
    void readsPacketsAtTheirReaderIndex() {
        List<Tcp> segments = run(Tcp.v4(), 2, 100);
        ByteBuf[] bufs = new ByteBuf[2];
        for (int i = 0; i < 2; i++) {
            bufs[i] = Unpooled.directBuffer().writeBytes(hex("ffffff")).writeBytes(segments.get(i).build()).skipBytes(3);
        }
        ByteBuf out = Unpooled.directBuffer(OUT_CAPACITY);
        assertThat(TcpCoalescer.coalesce(bufs, 0, 2, out)).isEqualTo(2);
        assertThat(Arrays.copyOfRange(readable(out), 10, out.readableBytes())).isEqualTo(expectedMerge(segments));
        assertThat(bufs[0].readerIndex()).isEqualTo(3);
        for (ByteBuf b : bufs) assertThat(b.release()).isTrue();
        out.release();
    }

    @Test
    void allocatesNothing() {
        // direct(): no leak-detection wrapper (the build runs it paranoid) that would allocate.
        ByteBuf[] packets = built(run(Tcp.v4().options(TIMESTAMPS), 10, 1000)).stream()
                .map(OffloadPackets::direct).toArray(ByteBuf[]::new);
        ByteBuf out = OffloadPackets.plainDirect(OUT_CAPACITY);
        long allocated = Allocations.measure(() -> {
            out.clear();
            TcpCoalescer.coalesce(packets, 0, 10, out);
        });
        assertThat(allocated).as("bytes allocated by 1000 calls").isLessThan(1000);
        assertThat(out.readableBytes()).isEqualTo(10 + 52 + 10_000);
    }
}
