package io.steadfast.handlers.offload;

import io.netty.buffer.ByteBuf;

/**
 * The 10-byte {@code struct virtio_net_hdr} (Linux include/uapi/linux/virtio_net.h) that prefixes each
 * packet read from or written to a TUN opened with IFF_VNET_HDR. Its 16-bit fields are little-endian,
 * TUN's default on x86 (no TUNSETVNETLE/BE). Static accessors at an absolute index; nothing allocates.
 *
 * <pre>{@code
 * if (VirtioNetHeader.gsoType(buf, buf.readerIndex()) == VirtioNetHeader.GSO_NONE) ...
 * VirtioNetHeader.writeNone(out, 0);               // a plain packet follows
 * }</pre>
 */
public final class VirtioNetHeader {
    private VirtioNetHeader() {}

    /** Bytes in the header: flags, gso_type, hdr_len, gso_size, csum_start, csum_offset. */
    public static final int SIZE = 10;
    /** flags: the checksum from csum_start to the end is still to be completed (CHECKSUM_PARTIAL). */
    public static final int FLAG_NEEDS_CSUM = 1;
    /** flags: the checksum was already verified. */
    public static final int FLAG_DATA_VALID = 2;
    /** gso_type: a single packet. */
    public static final int GSO_NONE = 0;
    /** gso_type: a TCP/IPv4 super-packet to cut into gso_size payloads. */
    public static final int GSO_TCPV4 = 1;
    /** gso_type: UDP fragmentation offload (UFO), not supported here. */
    public static final int GSO_UDP = 3;
    /** gso_type: a TCP/IPv6 super-packet to cut into gso_size payloads. */
    public static final int GSO_TCPV6 = 4;
    /** gso_type: UDP segmentation offload (USO), not supported here. */
    public static final int GSO_UDP_L4 = 5;
    /** gso_type bit: the TCP super-packet carries CWR (ECN), set only on the first segment. */
    public static final int GSO_ECN = 0x80;

    private static final int FLAGS = 0; // u8
    private static final int GSO_TYPE = 1; // u8
    private static final int HDR_LEN = 2; // u16 little-endian, and so on
    private static final int GSO_SIZE = 4;
    private static final int CSUM_START = 6;
    private static final int CSUM_OFFSET = 8;

    /** flags of the header at {@code at}. */
    public static int flags(ByteBuf b, int at) {
        return b.getUnsignedByte(at + FLAGS);
    }

    /** gso_type, the ECN bit included. */
    public static int gsoType(ByteBuf b, int at) {
        return b.getUnsignedByte(at + GSO_TYPE);
    }

    /** hdr_len: IP + transport header length (reads give the skb's linear length instead: do not trust it). */
    public static int hdrLen(ByteBuf b, int at) {
        return b.getUnsignedShortLE(at + HDR_LEN);
    }

    /** gso_size: the payload bytes of each segment but the last. */
    public static int gsoSize(ByteBuf b, int at) {
        return b.getUnsignedShortLE(at + GSO_SIZE);
    }

    /** csum_start: where the checksummed bytes start, counted from the IP header. */
    public static int csumStart(ByteBuf b, int at) {
        return b.getUnsignedShortLE(at + CSUM_START);
    }

    /** csum_offset: where the checksum field is, counted from csum_start. */
    public static int csumOffset(ByteBuf b, int at) {
        return b.getUnsignedShortLE(at + CSUM_OFFSET);
    }

    /** Writes a whole header at {@code at} (absolute; indexes unchanged). */
    public static void write(ByteBuf b, int at, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
            int csumOffset) {
        b.setByte(at + FLAGS, flags);
        b.setByte(at + GSO_TYPE, gsoType);
        b.setShortLE(at + HDR_LEN, hdrLen);
        b.setShortLE(at + GSO_SIZE, gsoSize);
        b.setShortLE(at + CSUM_START, csumStart);
        b.setShortLE(at + CSUM_OFFSET, csumOffset);
    }

    /** Writes an all-zero header at {@code at}: one packet, checksums complete. */
    public static void writeNone(ByteBuf b, int at) {
        b.setLong(at, 0L);
        b.setShort(at + 8, 0);
    }
}
