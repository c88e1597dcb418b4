package io.steadfast.handlers.offload;

import static io.steadfast.handlers.offload.OffloadPackets.ACK;
import static io.steadfast.handlers.offload.OffloadPackets.CWR;
import static io.steadfast.handlers.offload.OffloadPackets.ECE;
import static io.steadfast.handlers.offload.OffloadPackets.FIN;
import static io.steadfast.handlers.offload.OffloadPackets.PSH;
import static io.steadfast.handlers.offload.OffloadPackets.TIMESTAMPS;
import static io.steadfast.handlers.offload.OffloadPackets.URG;
import static io.steadfast.handlers.offload.OffloadPackets.concat;
import static io.steadfast.handlers.offload.OffloadPackets.direct;
import static io.steadfast.handlers.offload.OffloadPackets.expectedSegments;
import static io.steadfast.handlers.offload.OffloadPackets.get16;
import static io.steadfast.handlers.offload.OffloadPackets.gso;
import static io.steadfast.handlers.offload.OffloadPackets.hex;
import static io.steadfast.handlers.offload.OffloadPackets.readable;
import static io.steadfast.handlers.offload.OffloadPackets.vnet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.steadfast.handlers.offload.OffloadPackets.RecordingAllocator;
import io.steadfast.handlers.offload.OffloadPackets.Tcp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpSegmenterTest {
    private static final int HEADROOM = 64;

    private final RecordingAllocator alloc = new RecordingAllocator();
    private final List<ByteBuf> outputs = new ArrayList<>();

    @AfterEach
    void everyOutputIsReleased() {
        outputs.forEach(ByteBuf::release);
        assertThat(alloc.allReleased()).as("every allocated buffer released").isTrue();
        assertThat(alloc.allocated).hasSameSizeAs(outputs);
    }

    /** Splits {@code read}, keeping the outputs (released after the test), and returns their bytes. */
    private List<byte[]> split(byte[] read) throws OffloadException {
        return split(read, HEADROOM);
    }

    private List<byte[]> split(byte[] read, int headroom) throws OffloadException {
        ByteBuf in = direct(read);
        try {
            int before = outputs.size();
            int n = TcpSegmenter.split(in, alloc, headroom, outputs::add);
            assertThat(outputs.size() - before).as("returned count").isEqualTo(n);
            assertThat(in.refCnt()).isEqualTo(1);
            assertThat(readable(in)).as("input unchanged").isEqualTo(read);
            List<byte[]> bytes = new ArrayList<>();
            for (ByteBuf b : outputs.subList(before, outputs.size())) bytes.add(readable(b));
            return bytes;
        } finally {
            in.release();
        }
    }

    private void rejected(byte[] read, String message) {
        ByteBuf in = direct(read);
        try {
            assertThatThrownBy(() -> TcpSegmenter.split(in, alloc, HEADROOM, outputs::add))
                    .isInstanceOf(OffloadException.class).hasMessage(message);
            assertThat(outputs).as("nothing output").isEmpty();
            assertThat(alloc.allocated).as("nothing allocated").isEmpty();
            assertThat(readable(in)).isEqualTo(read);
        } finally {
            in.release();
        }
    }

    // ---- a fixture worked out by hand (and by a separate script) ----

    @Test
    void splitsAHandCheckedTsoPacketIntoTwoSegments() throws Exception {
        byte[] whole = hex("4500002e12344000400614940a0000010a000002 9c401451000003e8000007d0501801f614230000 616263646566");
        byte[] read = concat(hex("01 01 3600 0400 1400 1000"), whole);
        List<byte[]> segments = split(read);
        assertThat(segments).hasSize(2);
        assertThat(hex(segments.get(0)))
                .isEqualTo("4500002c12344000400614960a0000010a000002" + "9c401451000003e8000007d0501001f618c80000" + "61626364");
        assertThat(hex(segments.get(1)))
                .isEqualTo("4500002a12354000400614970a0000010a000002" + "9c401451000003ec000007d0501801f6781e0000" + "6566");
    }

    @Test
    void outputBuffersHaveHeadroomOnBothSidesAndAreDirect() throws Exception {
        split(gso(Tcp.v4().payload(3000, 1), 1000));
        assertThat(outputs).hasSize(3);
        for (ByteBuf b : outputs) {
            assertThat(b.isDirect()).isTrue();
            assertThat(b.readerIndex()).isEqualTo(HEADROOM);
            assertThat(b.readableBytes()).isEqualTo(20 + 20 + 1000);
            assertThat(b.capacity()).isGreaterThanOrEqualTo(HEADROOM + 1040 + HEADROOM);
            assertThat(b.writableBytes()).isGreaterThanOrEqualTo(HEADROOM);
            assertThat(b.refCnt()).isEqualTo(1);
        }
    }

    @Test
    void zeroHeadroomWorksToo() throws Exception {
        byte[] packet = Tcp.v4().payload(10, 2).build();
        assertThat(split(concat(vnet(0, 0, 0, 0, 0, 0), packet), 0)).containsExactly(packet);
        assertThat(outputs.get(0).readerIndex()).isZero();
    }

    @Test
    void readsFromTheInputsReaderIndex() throws Exception {
        byte[] packet = Tcp.v4().payload(10, 2).build();
        ByteBuf in = Unpooled.directBuffer().writeBytes(hex("aabbcc")).writeBytes(vnet(0, 0, 0, 0, 0, 0)).writeBytes(packet);
        in.readerIndex(3);
        assertThat(TcpSegmenter.split(in, alloc, HEADROOM, outputs::add)).isEqualTo(1);
        assertThat(readable(outputs.get(0))).isEqualTo(packet);
        assertThat(in.readerIndex()).isEqualTo(3);
        in.release();
    }

    // ---- GSO_NONE ----

    @Test
    void aPlainPacketIsCopiedAsItIs() throws Exception {
        byte[] packet = Tcp.v4().payload(100, 3).build();
        assertThat(split(concat(vnet(0, 0, 0, 0, 0, 0), packet))).containsExactly(packet);
    }

    @Test
    void dataValidAloneChangesNothingAndCsumFieldsAreIgnoredWithoutNeedsCsum() throws Exception {
        byte[] packet = OffloadPackets.udp(6, OffloadPackets.pattern(33, 4), false);
        assertThat(split(concat(vnet(2, 0, 999, 999, 9999, 9999), packet))).containsExactly(packet);
    }

    @Test
    void anyIpVersionOrProtocolPassesWithoutOffload() throws Exception {
        byte[] junk = hex("00112233");
        assertThat(split(concat(vnet(0, 0, 0, 0, 0, 0), junk))).containsExactly(junk);
    }

    @Test
    void theOutputIsACopyNotAView() throws Exception {
        byte[] packet = Tcp.v4().payload(8, 5).build();
        ByteBuf in = direct(concat(vnet(0, 0, 0, 0, 0, 0), packet));
        TcpSegmenter.split(in, alloc, HEADROOM, outputs::add);
        in.setByte(10, 0x99);
        in.release();
        assertThat(readable(outputs.get(0))).isEqualTo(packet);
    }

    // ---- GSO_TCPV4 ----

    @Test
    void segmentsCarryTheirSequenceIdLengthAndChecksums() throws Exception {
        Tcp whole = Tcp.v4().seq(7).id(100).payload(4000, 9);
        List<byte[]> segments = split(gso(whole, 1448));
        assertThat(segments).containsExactlyElementsOf(expectedSegments(whole, 1448));
        assertThat(segments).extracting(s -> s.length).containsExactly(1488, 1488, 1144);
        for (int i = 0; i < 3; i++) {
            byte[] s = segments.get(i);
            assertThat(get16(s, 2)).isEqualTo(s.length);
            assertThat(get16(s, 4)).isEqualTo(100 + i);
            assertThat(OffloadPackets.ipv4HeaderOk(s)).isTrue();
            assertThat(OffloadPackets.transportChecksumOk(s)).isTrue();
        }
    }

    @Test
    void finAndPshOnlyOnTheLastSegmentOtherFlagsOnAll() throws Exception {
        Tcp whole = Tcp.v4().flags(ACK | PSH | FIN | URG | ECE).payload(30, 1);
        List<byte[]> segments = split(gso(whole, 10));
        assertThat(segments).extracting(s -> s[33] & 0xff)
                .containsExactly(ACK | URG | ECE, ACK | URG | ECE, ACK | PSH | FIN | URG | ECE);
        assertThat(segments).containsExactlyElementsOf(expectedSegments(whole, 10));
    }

    @Test
    void cwrOnlyOnTheFirstSegmentUnderTheEcnBit() throws Exception {
        Tcp whole = Tcp.v4().flags(ACK | CWR).payload(25, 1);
        byte[] read = gso(whole, 10);
        assertThat(read[1] & 0xff).isEqualTo(VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN);
        List<byte[]> segments = split(read);
        assertThat(segments).extracting(s -> s[33] & 0xff).containsExactly(ACK | CWR, ACK, ACK);
        assertThat(segments).containsExactlyElementsOf(expectedSegments(whole, 10));
    }

    @Test
    void theIdentificationAndSequenceNumberWrapAround() throws Exception {
        Tcp whole = Tcp.v4().id(0xfffe).seq(0xfffffff0).payload(40, 1);
        List<byte[]> segments = split(gso(whole, 10));
        assertThat(segments).extracting(s -> get16(s, 4)).containsExactly(0xfffe, 0xffff, 0, 1);
        assertThat(segments).extracting(s -> OffloadPackets.get16(s, 24) << 16 | get16(s, 26))
                .containsExactly(0xfffffff0, 0xfffffffa, 0x00000004, 0x0000000e);
        assertThat(segments).containsExactlyElementsOf(expectedSegments(whole, 10));
    }

    @Test
    void tcpOptionsAndIpOptionsAreCopiedIntoEverySegment() throws Exception {
        Tcp whole = Tcp.v4().options(TIMESTAMPS).ipOptions(hex("01010100")).payload(3000, 2);
        byte[] read = gso(whole, 1000);
        assertThat(VirtioNetHeader.csumStart(Unpooled.wrappedBuffer(read), 0)).isEqualTo(24);
        assertThat(split(read)).containsExactlyElementsOf(expectedSegments(whole, 1000));
    }

    @Test
    void oddGsoSizeAndOddLastSegment() throws Exception {
        Tcp whole = Tcp.v4().payload(1001, 3);
        assertThat(split(gso(whole, 333))).containsExactlyElementsOf(expectedSegments(whole, 333)).hasSize(4);
    }

    @Test
    void aGsoSizeAtLeastThePayloadGivesOneSegment() throws Exception {
        Tcp whole = Tcp.v4().flags(ACK | PSH).payload(500, 3);
        assertThat(split(gso(whole, 500))).containsExactly(whole.build());
        assertThat(split(gso(whole, 65535))).containsExactly(whole.build());
    }

    @Test
    void sixtyFourSegmentsAreAllowed() throws Exception {
        Tcp whole = Tcp.v4().payload(64 * 100, 3);
        assertThat(split(gso(whole, 100))).hasSize(TcpSegmenter.MAX_SEGMENTS)
                .containsExactlyElementsOf(expectedSegments(whole, 100));
    }

    @Test
    void aLargestSuperPacketSplits() throws Exception {
        Tcp whole = Tcp.v4().options(TIMESTAMPS).payload(65535 - 52, 3);
        assertThat(split(gso(whole, 1448))).hasSize(46).containsExactlyElementsOf(expectedSegments(whole, 1448));
    }

    @Test
    void hdrLenIsNotTrustedAndNeedsCsumIsNotRequired() throws Exception {
        Tcp whole = Tcp.v4().payload(50, 3);
        byte[] read = gso(whole, 20);
        read[2] = 7; // hdr_len: Linux reports the skb's linear length here, anything
        read[3] = 0;
        read[0] = 0; // no NEEDS_CSUM: the checksum is computed in full anyway
        assertThat(split(read)).containsExactlyElementsOf(expectedSegments(whole, 20));
    }

    @Test
    void theInputTcpChecksumFieldIsIgnored() throws Exception {
        Tcp whole = Tcp.v4().payload(50, 3);
        byte[] read = gso(whole, 20);
        read[10 + 20 + 16] ^= 0x5a;
        assertThat(split(read)).containsExactlyElementsOf(expectedSegments(whole, 20));
    }

    @Test
    void worksWithAPooledAllocator() throws Exception {
        Tcp whole = Tcp.v4().payload(5000, 3);
        ByteBuf in = direct(gso(whole, 1200));
        List<ByteBuf> got = new ArrayList<>();
        assertThat(TcpSegmenter.split(in, PooledByteBufAllocator.DEFAULT, HEADROOM, got::add)).isEqualTo(5);
        assertThat(got).extracting(OffloadPackets::readable).containsExactlyElementsOf(expectedSegments(whole, 1200));
        got.forEach(b -> assertThat(b.release()).isTrue());
        in.release();
    }

    // ---- GSO_TCPV6 ----

    @Test
    void ipv6SegmentsCarryPayloadLengthSequenceAndChecksums() throws Exception {
        Tcp whole = Tcp.v6().options(TIMESTAMPS).flags(ACK | PSH).payload(3001, 4);
        List<byte[]> segments = split(gso(whole, 1000));
        assertThat(segments).containsExactlyElementsOf(expectedSegments(whole, 1000));
        assertThat(segments).extracting(s -> get16(s, 4)).containsExactly(1032, 1032, 1032, 33);
        assertThat(segments).allMatch(OffloadPackets::transportChecksumOk);
        assertThat(segments).extracting(s -> s[53] & 0xff).containsExactly(ACK, ACK, ACK, ACK | PSH);
    }

    @Test
    void ipv6WithEcn() throws Exception {
        Tcp whole = Tcp.v6().flags(ACK | CWR | FIN).payload(21, 4);
        assertThat(split(gso(whole, 7))).extracting(s -> s[53] & 0xff).containsExactly(ACK | CWR, ACK, ACK | FIN);
    }

    // ---- rejections: nothing output, nothing allocated ----

    @Test
    void rejectsFewerBytesThanAVirtioHeader() {
        rejected(new byte[0], "0 bytes, fewer than a virtio header");
        rejected(new byte[9], "9 bytes, fewer than a virtio header");
    }

    @Test
    void rejectsAVirtioHeaderWithoutPacket() {
        rejected(vnet(0, 0, 0, 0, 0, 0), "no IP packet after the virtio header");
    }

    @Test
    void rejectsUdpOffloads() {
        byte[] udp = OffloadPackets.udp(4, new byte[3000], true);
        rejected(concat(vnet(1, 3, 28, 1400, 20, 6), udp), "GSO_UDP (UFO) is not supported");
        rejected(concat(vnet(1, 5, 28, 1400, 20, 6), udp), "GSO_UDP_L4 (USO) is not supported");
        rejected(concat(vnet(1, 5 | 0x80, 28, 1400, 20, 6), udp), "GSO_UDP_L4 (USO) is not supported");
    }

    @Test
    void rejectsUnknownGsoTypes() {
        byte[] p = Tcp.v4().payload(10, 1).build();
        for (int type : new int[] {2, 6, 7, 0x7f, 0x40}) {
            rejected(concat(vnet(0, type, 0, 10, 0, 0), p), "unknown gso_type " + type);
        }
    }

    @Test
    void rejectsGsoSizeZero() {
        rejected(gso(Tcp.v4().payload(100, 1), 0), "gso_size 0 with GSO_TCPV4");
        rejected(gso(Tcp.v6().payload(100, 1), 0), "gso_size 0 with GSO_TCPV6");
    }

    @Test
    void rejectsAChecksumFieldBeyondThePacket() {
        byte[] p = OffloadPackets.udp(4, new byte[4], true); // 32 bytes
        rejected(concat(vnet(1, 0, 0, 0, 20, 11), p),
                "checksum field at csum_start 20 + csum_offset 11 beyond the 32-byte packet");
        rejected(concat(vnet(1, 0, 0, 0, 40, 0), p),
                "checksum field at csum_start 40 + csum_offset 0 beyond the 32-byte packet");
        rejected(concat(vnet(1, 0, 0, 0, 0xffff, 0xffff), p),
                "checksum field at csum_start 65535 + csum_offset 65535 beyond the 32-byte packet");
    }

    @Test
    void rejectsAnOddChecksumOffset() {
        rejected(concat(vnet(1, 0, 0, 0, 20, 7), OffloadPackets.udp(4, new byte[4], true)), "odd csum_offset 7");
    }

    @Test
    void rejectsAnIpVersionThatIsNotTheGsoTypes() {
        byte[] v6AsV4 = concat(vnet(1, 1, 0, 10, 40, 16), Tcp.v6().payload(100, 1).buildPartial());
        rejected(v6AsV4, "GSO_TCPV4 but IP version 6");
        byte[] v4AsV6 = concat(vnet(1, 4, 0, 10, 20, 16), Tcp.v4().payload(100, 1).buildPartial());
        rejected(v4AsV6, "GSO_TCPV6 but IP version 4");
        rejected(vnet(1, 1, 0, 10, 20, 16), "GSO_TCPV4 but IP version none");
    }

    @Test
    void rejectsBadIpv4HeaderLengths() {
        byte[] read = gso(Tcp.v4().payload(100, 1), 10);
        read[10] = 0x44;
        rejected(read, "IPv4 header length 16 below 20");
        rejected(concat(vnet(1, 1, 0, 10, 20, 16), hex("45000014")), "4 bytes, fewer than an IPv4 header");
    }

    @Test
    void rejectsAnIpv4TotalLengthOtherThanTheBytesRead() {
        byte[] read = gso(Tcp.v4().payload(100, 1), 10);
        read[13] = (byte) (read[13] - 1);
        rejected(read, "IPv4 total length 139 but 140 bytes");
        byte[] padded = concat(gso(Tcp.v4().payload(100, 1), 10), new byte[2]);
        rejected(padded, "IPv4 total length 140 but 142 bytes");
    }

    @Test
    void rejectsNotTcpUnderTcpv4() {
        byte[] udp = OffloadPackets.udp(4, new byte[3000], true);
        rejected(concat(vnet(1, 1, 28, 1400, 20, 16), udp), "GSO_TCPV4 but IP protocol 17");
    }

    @Test
    void rejectsFewerBytesThanTheTcpHeader() {
        byte[] p = Tcp.v4().build();
        byte[] truncated = java.util.Arrays.copyOf(p, 39);
        truncated[3] = 39;
        rejected(concat(vnet(1, 1, 0, 10, 20, 16), truncated), "39 bytes, fewer than the IP and TCP headers");
    }

    @Test
    void rejectsATcpDataOffsetTooSmallOrBeyondThePacket() {
        byte[] read = gso(Tcp.v4().payload(4, 1), 10);
        read[10 + 32] = 0x40;
        rejected(read, "TCP header length 16 does not fit the 44-byte packet");
        read[10 + 32] = (byte) 0xf0;
        rejected(read, "TCP header length 60 does not fit the 44-byte packet");
    }

    @Test
    void rejectsAChecksumPlaceThatIsNotTcps() {
        byte[] read = gso(Tcp.v4().payload(40, 1), 10);
        read[6] = 22;
        rejected(read, "csum_start 22/csum_offset 16 is not the TCP checksum at 20/16");
        read[6] = 20;
        read[8] = 6;
        rejected(read, "csum_start 20/csum_offset 6 is not the TCP checksum at 20/16");
    }

    @Test
    void rejectsAGsoPacketWithoutPayload() {
        rejected(gso(Tcp.v4(), 10), "GSO_TCPV4 without payload");
        rejected(gso(Tcp.v6(), 10), "GSO_TCPV6 without payload");
    }

    @Test
    void rejectsMoreThanSixtyFourSegments() {
        rejected(gso(Tcp.v4().payload(64 * 100 + 1, 1), 100), "65 segments of 100 bytes, more than 64");
        rejected(gso(Tcp.v6().payload(60000, 1), 1), "60000 segments of 1 bytes, more than 64");
    }

    @Test
    void rejectsIpv6ExtensionHeadersAndOtherProtocols() {
        byte[] read = gso(Tcp.v6().payload(100, 1), 10);
        read[10 + 6] = 0; // hop-by-hop options
        rejected(read, "GSO_TCPV6 but next header 0 (extension headers are not supported)");
        read[10 + 6] = 17;
        rejected(read, "GSO_TCPV6 but next header 17 (extension headers are not supported)");
    }

    @Test
    void rejectsAnIpv6PayloadLengthOtherThanTheBytesRead() {
        byte[] read = gso(Tcp.v6().payload(100, 1), 10);
        read[10 + 5] = 0;
        rejected(read, "IPv6 payload length 0 but 160 bytes");
        rejected(concat(vnet(1, 4, 0, 10, 40, 16), hex("60000000")), "4 bytes, fewer than an IPv6 header");
    }

    // ---- the hot path allocates nothing but the output buffers ----

    @Test
    void allocatesNothingButTheOutputs() {
        Tcp whole = Tcp.v4().options(TIMESTAMPS).payload(10 * 1448, 3);
        byte[] read = gso(whole, 1448);
        // direct(): no leak-detection wrapper (the build runs it paranoid) that would allocate.
        ByteBuf in = direct(read);
        ByteBuf reused = OffloadPackets.plainDirect(2 * HEADROOM + 1600);
        io.netty.buffer.ByteBufAllocator handsOutOneBuffer = new io.netty.buffer.AbstractByteBufAllocator(true) {
            @Override
            public ByteBuf directBuffer(int initialCapacity) {
                return reused.clear();
            }

            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                throw new AssertionError("heap");
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                throw new AssertionError("not this one");
            }

            @Override
            public boolean isDirectBufferPooled() {
                return true;
            }
        };
        int[] count = new int[1];
        java.util.function.Consumer<ByteBuf> counter = b -> count[0]++; // one instance, made before measuring
        long allocated = Allocations.measure(() -> {
            try {
                TcpSegmenter.split(in, handsOutOneBuffer, HEADROOM, counter);
            } catch (OffloadException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(allocated).as("bytes allocated by 1000 splits").isLessThan(1000);
        assertThat(count[0]).isEqualTo(21_000 * 10);
        assertThat(readable(reused)).isEqualTo(expectedSegments(whole, 1448).get(9));
    }
}
