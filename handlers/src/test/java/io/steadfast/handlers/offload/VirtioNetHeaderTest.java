package io.steadfast.handlers.offload;

import static io.steadfast.handlers.offload.OffloadPackets.hex;
import static io.steadfast.handlers.offload.OffloadPackets.readable;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class VirtioNetHeaderTest {

    @Test
    void constantsAreLinuxsValues() {
        // include/uapi/linux/virtio_net.h
        assertThat(VirtioNetHeader.SIZE).isEqualTo(10);
        assertThat(VirtioNetHeader.FLAG_NEEDS_CSUM).isEqualTo(1);
        assertThat(VirtioNetHeader.FLAG_DATA_VALID).isEqualTo(2);
        assertThat(VirtioNetHeader.GSO_NONE).isZero();
        assertThat(VirtioNetHeader.GSO_TCPV4).isEqualTo(1);
        assertThat(VirtioNetHeader.GSO_UDP).isEqualTo(3);
        assertThat(VirtioNetHeader.GSO_TCPV6).isEqualTo(4);
        assertThat(VirtioNetHeader.GSO_UDP_L4).isEqualTo(5);
        assertThat(VirtioNetHeader.GSO_ECN).isEqualTo(0x80);
    }

    @Test
    void readsLittleEndianFieldsAtAnAbsoluteIndex() {
        ByteBuf b = Unpooled.wrappedBuffer(hex("ffff 01 81 3400 a805 1400 1000 ee"));
        b.readerIndex(1); // the accessors ignore the reader index
        assertThat(VirtioNetHeader.flags(b, 2)).isEqualTo(1);
        assertThat(VirtioNetHeader.gsoType(b, 2)).isEqualTo(0x81);
        assertThat(VirtioNetHeader.hdrLen(b, 2)).isEqualTo(0x34);
        assertThat(VirtioNetHeader.gsoSize(b, 2)).isEqualTo(1448);
        assertThat(VirtioNetHeader.csumStart(b, 2)).isEqualTo(20);
        assertThat(VirtioNetHeader.csumOffset(b, 2)).isEqualTo(16);
        assertThat(b.readerIndex()).isEqualTo(1);
    }

    @Test
    void fieldsAreUnsigned() {
        ByteBuf b = Unpooled.wrappedBuffer(hex("ff ff ffff ffff ffff ffff"));
        assertThat(VirtioNetHeader.flags(b, 0)).isEqualTo(0xff);
        assertThat(VirtioNetHeader.gsoType(b, 0)).isEqualTo(0xff);
        assertThat(VirtioNetHeader.hdrLen(b, 0)).isEqualTo(0xffff);
        assertThat(VirtioNetHeader.gsoSize(b, 0)).isEqualTo(0xffff);
        assertThat(VirtioNetHeader.csumStart(b, 0)).isEqualTo(0xffff);
        assertThat(VirtioNetHeader.csumOffset(b, 0)).isEqualTo(0xffff);
    }

    @Test
    void writeLaysOutTheStructAndLeavesIndexesAndNeighboursAlone() {
        ByteBuf b = Unpooled.buffer(14).writeBytes(hex("eeeeeeeeeeeeeeeeeeeeeeeeeeee"));
        b.readerIndex(1);
        VirtioNetHeader.write(b, 2, VirtioNetHeader.FLAG_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV6 | VirtioNetHeader.GSO_ECN,
                74, 1428, 40, 16);
        assertThat(hex(readable(b))).isEqualTo("ee" + "01" + "84" + "4a00" + "9405" + "2800" + "1000" + "eeee");
        assertThat(b.readerIndex()).isEqualTo(1);
        assertThat(b.writerIndex()).isEqualTo(14);
    }

    @Test
    void writeTruncatesEachFieldToItsWidth() {
        ByteBuf b = Unpooled.buffer(10).writeZero(10);
        VirtioNetHeader.write(b, 0, 0x101, 0x102, 0x10003, 0x10004, 0x10005, 0x10006);
        assertThat(hex(readable(b))).isEqualTo("0102" + "0300" + "0400" + "0500" + "0600");
    }

    @Test
    void writeAndReadRoundTrip() {
        ByteBuf b = Unpooled.directBuffer(32).writeZero(32);
        for (int v : new int[] {0, 1, 0x7f, 0x80, 0xff}) {
            VirtioNetHeader.write(b, 7, v, v ^ 0x80, v * 257, 65535 - v, v + 3, v * 2);
            assertThat(VirtioNetHeader.flags(b, 7)).isEqualTo(v);
            assertThat(VirtioNetHeader.gsoType(b, 7)).isEqualTo(v ^ 0x80);
            assertThat(VirtioNetHeader.hdrLen(b, 7)).isEqualTo(v * 257);
            assertThat(VirtioNetHeader.gsoSize(b, 7)).isEqualTo(65535 - v);
            assertThat(VirtioNetHeader.csumStart(b, 7)).isEqualTo(v + 3);
            assertThat(VirtioNetHeader.csumOffset(b, 7)).isEqualTo(v * 2);
        }
        b.release();
    }

    @Test
    void writeNoneZeroesExactlyTenBytes() {
        ByteBuf b = Unpooled.buffer(13).writeBytes(hex("dddddddddddddddddddddddddd"));
        VirtioNetHeader.writeNone(b, 1);
        assertThat(hex(readable(b))).isEqualTo("dd" + "00000000000000000000" + "dddd");
        assertThat(VirtioNetHeader.gsoType(b, 1)).isEqualTo(VirtioNetHeader.GSO_NONE);
        assertThat(VirtioNetHeader.flags(b, 1)).isZero();
    }
}
