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
        assertFields(b, 2, 1, 0x81, 0x34, 1448, 20, 16);
        assertThat(b.readerIndex()).isEqualTo(1);
    }

    @Test
    void fieldsAreUnsigned() {
        ByteBuf b = Unpooled.wrappedBuffer(hex("ff ff ffff ffff ffff ffff"));
        assertFields(b, 0, 0xff, 0xff, 0xffff, 0xffff, 0xffff, 0xffff);
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
            assertFields(b, 7, v, v ^ 0x80, v * 257, 65535 - v, v + 3, v * 2);
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

    private static void assertFields(ByteBuf b, int at, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
            int csumOffset) {
        assertThat(VirtioNetHeader.flags(b, at)).as("flags").isEqualTo(flags);
        assertThat(VirtioNetHeader.gsoType(b, at)).as("gso_type").isEqualTo(gsoType);
        assertThat(VirtioNetHeader.hdrLen(b, at)).as("hdr_len").isEqualTo(hdrLen);
        assertThat(VirtioNetHeader.gsoSize(b, at)).as("gso_size").isEqualTo(gsoSize);
        assertThat(VirtioNetHeader.csumStart(b, at)).as("csum_start").isEqualTo(csumStart);
        assertThat(VirtioNetHeader.csumOffset(b, at)).as("csum_offset").isEqualTo(csumOffset);
    }
}
