package io.steadfast.handlers.offload;

import static io.steadfast.handlers.offload.OffloadPackets.concat;
import static io.steadfast.handlers.offload.OffloadPackets.direct;
import static io.steadfast.handlers.offload.OffloadPackets.get16;
import static io.steadfast.handlers.offload.OffloadPackets.pattern;
import static io.steadfast.handlers.offload.OffloadPackets.put16;
import static io.steadfast.handlers.offload.OffloadPackets.readable;
import static io.steadfast.handlers.offload.OffloadPackets.referenceChecksum;
import static io.steadfast.handlers.offload.OffloadPackets.referenceSum;
import static io.steadfast.handlers.offload.OffloadPackets.vnet;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.offload.OffloadPackets.RecordingAllocator;
import io.steadfast.handlers.offload.OffloadPackets.Tcp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Case (b) of {@link TcpSegmenter#split}: GSO_NONE with FLAG_NEEDS_CSUM, against the reference checksum. */
class ChecksumCompletionTest {

    /** Completes the partial checksum of {@code packet} as the virtio header says and returns the one output. */
    private static byte[] complete(byte[] packet, int csumStart, int csumOffset) throws OffloadException {
        RecordingAllocator alloc = new RecordingAllocator();
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf in = direct(concat(vnet(VirtioNetHeader.FLAG_NEEDS_CSUM, 0, 0, 0, csumStart, csumOffset), packet));
        try {
            assertThat(TcpSegmenter.split(in, alloc, 64, out::add)).isEqualTo(1);
            byte[] bytes = readable(out.get(0));
            out.get(0).release();
            assertThat(alloc.allReleased()).isTrue();
            return bytes;
        } finally {
            in.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void udpChecksumsAreCompletedForEveryLength(int version) throws Exception {
        int ip = version == 4 ? 20 : 40;
        for (int length = 0; length < 300; length++) {
            byte[] full = OffloadPackets.udp(version, pattern(length, length), false);
            byte[] partial = OffloadPackets.udp(version, pattern(length, length), true);
            assertThat(complete(partial, ip, 6)).as("payload length %d", length).isEqualTo(full);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void tcpChecksumsAreCompletedForEveryLength(int version) throws Exception {
        for (int length = 0; length < 300; length++) {
            Tcp t = (version == 4 ? Tcp.v4() : Tcp.v6()).seq(length * 1000).payload(length, length);
            assertThat(complete(t.buildPartial(), t.ipHeaderLength(), 16)).as("payload length %d", length)
                    .isEqualTo(t.build());
        }
    }

    @Test
    void randomPacketsUpToTheLargestAgreeWithTheReference() throws Exception {
        Random random = new Random(20260401);
        for (int round = 0; round < 200; round++) {
            int version = random.nextBoolean() ? 4 : 6;
            byte[] payload = new byte[random.nextInt(65000)];
            random.nextBytes(payload);
            if (random.nextBoolean()) {
                Tcp t = (version == 4 ? Tcp.v4() : Tcp.v6()).seq(random.nextInt()).ack(random.nextInt())
                        .options(random.nextBoolean() ? OffloadPackets.TIMESTAMPS : new byte[0]).payload(payload);
                byte[] got = complete(t.buildPartial(), t.ipHeaderLength(), 16);
                assertThat(got).isEqualTo(t.build());
                assertThat(OffloadPackets.transportChecksumOk(got)).isTrue();
            } else {
                byte[] got = complete(OffloadPackets.udp(version, payload, true), version == 4 ? 20 : 40, 6);
                assertThat(got).isEqualTo(OffloadPackets.udp(version, payload, false));
                assertThat(OffloadPackets.transportChecksumOk(got)).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void aUdpChecksumOfZeroIsSentAsAllOnes(int version) throws Exception {
        int ip = version == 4 ? 20 : 40;
        byte[] payload = new byte[2];
        byte[] probe = OffloadPackets.udp(version, payload, false);
        // The checksum with a zero payload word is c; a payload word of c makes the sum 0xffff, the checksum 0.
        int c = get16(probe, ip + 6);
        put16(payload, 0, c);
        byte[] partial = OffloadPackets.udp(version, payload, true);
        long pseudo = referenceSum(partial, version == 4 ? 12 : 8, version == 4 ? 8 : 32) + 17 + 10;
        byte[] zeroed = partial.clone();
        put16(zeroed, ip + 6, 0);
        assertThat(referenceChecksum(zeroed, ip, 10, pseudo)).as("the fixture checksums to 0").isZero();
        byte[] got = complete(partial, ip, 6);
        assertThat(get16(got, ip + 6)).isEqualTo(0xffff);
        assertThat(OffloadPackets.transportChecksumOk(got)).isTrue();
    }

    @Test
    void aTcpChecksumOfZeroIsAlsoSentAsAllOnesWhichVerifiesTheSame() throws Exception {
        Tcp t = Tcp.v4().payload(new byte[2]);
        int c = get16(t.build(), 36);
        t.payload(new byte[] {(byte) (c >>> 8), (byte) c});
        assertThat(get16(t.build(), 36)).as("the fixture checksums to 0").isZero();
        byte[] got = complete(t.buildPartial(), 20, 16);
        assertThat(get16(got, 36)).isEqualTo(0xffff);
        assertThat(OffloadPackets.transportChecksumOk(got)).isTrue();
    }

    @Test
    void theCompletionIsGenericAnyStartAndOffsetWithinThePacket() throws Exception {
        // An ICMP echo: checksum at offset 2 of the ICMP header, no pseudo-header (the field starts at 0).
        byte[] icmp = OffloadPackets.hex("4500001c00000000400100000a0000010a000002 08000000 12340001");
        put16(icmp, 10, referenceChecksum(icmp, 0, 20, 0));
        byte[] expected = icmp.clone();
        put16(expected, 22, referenceChecksum(icmp, 20, 8, 0));
        assertThat(complete(icmp, 20, 2)).isEqualTo(expected);
        // The IPv4 header checksum itself: start 0, offset 10, over the whole packet's bytes from 0.
        byte[] header = OffloadPackets.hex("450000140000000040ff00000a0000010a000002");
        byte[] fixed = header.clone();
        put16(fixed, 10, referenceChecksum(header, 0, 20, 0));
        assertThat(complete(header, 0, 10)).isEqualTo(fixed);
        assertThat(OffloadPackets.ipv4HeaderOk(fixed)).isTrue();
    }

    @Test
    void anOddStartSumsFromThatByte() throws Exception {
        byte[] p = OffloadPackets.hex("aa 0000 0102 0304 05");
        byte[] expected = p.clone();
        put16(expected, 1, referenceChecksum(p, 1, 7, 0));
        assertThat(complete(p, 1, 0)).isEqualTo(expected);
    }

    @Test
    void theFieldMayBeTheLastTwoBytes() throws Exception {
        byte[] p = OffloadPackets.hex("0102030400ff");
        byte[] expected = p.clone();
        put16(expected, 4, ~OffloadPackets.fold(0x0102 + 0x0304 + 0x00ff) & 0xffff);
        assertThat(complete(p, 0, 4)).isEqualTo(expected);
    }

    // ---- Ipv4.sum and fold, the helpers the completion uses, against the reference ----

    @Test
    void ipv4SumMatchesTheReferenceForEveryLengthAndAlignment() {
        byte[] data = new byte[200];
        new Random(7).nextBytes(data);
        ByteBuf b = Unpooled.wrappedBuffer(data);
        for (int start = 0; start < 9; start++) {
            for (int length = 0; start + length <= data.length; length++) {
                assertThat(Ipv4.fold(Ipv4.sum(b, start, length)))
                        .as("start %d length %d", start, length)
                        .isEqualTo(OffloadPackets.fold(referenceSum(data, start, length)));
                assertThat(Ipv4.checksum(b, start, length)).isEqualTo(referenceChecksum(data, start, length, 0));
            }
        }
    }

    @Test
    void ipv4SumDoesNotOverflowOnTheLargestPacketOfOnes() {
        byte[] ones = new byte[65534];
        java.util.Arrays.fill(ones, (byte) 0xff);
        ByteBuf b = Unpooled.wrappedBuffer(ones);
        assertThat(Ipv4.fold(Ipv4.sum(b, 0, ones.length))).isEqualTo(OffloadPackets.fold(referenceSum(ones, 0, ones.length)));
        assertThat(Ipv4.checksum(b, 0, ones.length)).isZero();
    }

    @Test
    void foldIsZeroOnlyForZeroAndCarriesEndAround() {
        assertThat(Ipv4.fold(0)).isZero();
        assertThat(Ipv4.fold(0xffff)).isEqualTo(0xffff);
        assertThat(Ipv4.fold(0x10000)).isEqualTo(1);
        assertThat(Ipv4.fold(0x1fffe)).isEqualTo(0xffff);
        assertThat(Ipv4.fold(0xffffffffL)).isEqualTo(0xffff);
        assertThat(Ipv4.fold(0x7fffffffffffL)).isEqualTo(OffloadPackets.fold(0x7fffffffffffL));
    }
}
