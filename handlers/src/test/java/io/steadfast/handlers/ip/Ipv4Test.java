package io.steadfast.handlers.ip;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.steadfast.handlers.testing.Packets;
import org.junit.jupiter.api.Test;

class Ipv4Test {

    @Test
    void readsTheHeaderFieldsAtTheReaderIndex() {
        ByteBuf p = Packets.udp4("10.0.0.1", "192.0.2.7", 1000, 53, 12, 0);
        try {
            ByteBuf shifted = Unpooled.buffer().writeZero(3).writeBytes(p, p.readerIndex(), p.readableBytes()).skipBytes(3);
            for (ByteBuf b : new ByteBuf[] {p, shifted}) {
                assertThat(Ipv4.version(b)).isEqualTo(4);
                assertThat(Ipv4.headerLength(b)).isEqualTo(20);
                assertThat(Ipv4.totalLength(b)).isEqualTo(40);
                assertThat(Ipv4.protocol(b)).isEqualTo(Ipv4.PROTOCOL_UDP);
                assertThat(Ipv4.toString(Ipv4.source(b))).isEqualTo("10.0.0.1");
                assertThat(Ipv4.toString(Ipv4.destination(b))).isEqualTo("192.0.2.7");
                assertThat(Ipv4.malformation(b)).isNull();
            }
            shifted.release();
        } finally {
            p.release();
        }
    }

    @Test
    void findsEveryKindOfMalformation() {
        assertThat(Ipv4.malformation(Unpooled.buffer())).isEqualTo("shorter than an IPv4 header");
        assertThat(Ipv4.version(Unpooled.buffer())).isEqualTo(-1);
        assertThat(Ipv4.malformation(Unpooled.wrappedBuffer(new byte[19]))).isEqualTo("shorter than an IPv4 header");
        assertThat(mutated(0, 0x65)).isEqualTo("not IP version 4");
        assertThat(mutated(0, 0x44)).isEqualTo("header length below 20");
        assertThat(mutated16(2, 19)).isEqualTo("total length below header length");
        assertThat(mutated16(2, 41)).isEqualTo("total length beyond the packet");
        assertThat(mutated(8, 63)).isEqualTo("bad header checksum"); // TTL changed, checksum not
    }

    @Test
    void trailingBytesBeyondTotalLengthAreAllowed() {
        ByteBuf p = Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 0, 0);
        p.writeZero(10);
        assertThat(Ipv4.malformation(p)).isNull();
        p.release();
    }

    @Test
    void updateHeaderChecksumRepairsAChangedHeader() {
        ByteBuf p = Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 5, 0);
        p.setByte(8, 12);
        assertThat(Ipv4.malformation(p)).isEqualTo("bad header checksum");
        Ipv4.updateHeaderChecksum(p);
        assertThat(Ipv4.malformation(p)).isNull();
        p.release();
    }

    @Test
    void checksumMatchesRfc1071ExampleAndHandlesOddLengths() {
        // RFC 1071 section 3: the sum of 00 01 f2 03 f4 f5 f6 f7 is ddf2, so the checksum is 220d.
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7});
        assertThat(Ipv4.checksum(b, 0, 8)).isEqualTo(0x220d);
        ByteBuf odd = Unpooled.wrappedBuffer(new byte[] {0x01, 0x02, 0x03});
        assertThat(Ipv4.checksum(odd, 0, 3)).isEqualTo(~(0x0102 + 0x0300) & 0xffff);
        assertThat(Ipv4.checksum(odd, 0, 0)).isEqualTo(0xffff);
    }

    private static String mutated(int offset, int value) {
        ByteBuf p = Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 20, 0);
        try {
            p.setByte(offset, value);
            return Ipv4.malformation(p);
        } finally {
            p.release();
        }
    }

    private static String mutated16(int offset, int value) {
        ByteBuf p = Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 0, 0);
        try {
            p.setShort(offset, value);
            Ipv4.updateHeaderChecksum(p);
            return Ipv4.malformation(p);
        } finally {
            p.release();
        }
    }

    @org.junit.jupiter.api.Test
    void theSumOverNativeMemoryEqualsTheSumOverTheSameBytesOnTheHeap() {
        java.util.Random random = new java.util.Random(1071);
        io.netty.buffer.ByteBuf direct = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(2100);
        try {
            assertThat(direct.hasMemoryAddress()).as("the fast path is what this test is about").isTrue();
            for (int round = 0; round < 3000; round++) {
                byte[] bytes = new byte[2100];
                if (round % 3 == 0) java.util.Arrays.fill(bytes, (byte) 0xff); // carries on every word
                else random.nextBytes(bytes);
                direct.setBytes(0, bytes);
                io.netty.buffer.ByteBuf heap = io.netty.buffer.Unpooled.wrappedBuffer(bytes);
                int index = random.nextInt(64);
                int length = round < 64 ? round : random.nextInt(2000);
                assertThat(Ipv4.fold(Ipv4.sum(direct, index, length))).as("index %d length %d", index, length)
                        .isEqualTo(Ipv4.fold(Ipv4.sum(heap, index, length)));
                assertThat(Ipv4.checksum(direct, index, length)).isEqualTo(Ipv4.checksum(heap, index, length));
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Ipv4.sum(direct, direct.capacity() - 3, 4))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        } finally {
            direct.release();
        }
    }
}
