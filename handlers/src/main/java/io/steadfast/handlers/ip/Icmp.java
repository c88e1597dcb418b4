package io.steadfast.handlers.ip;

import io.netty.buffer.ByteBuf;

/** ICMP for IPv4 (RFC 792): echo request and reply, in place on a buffer at the IP header. */
public final class Icmp {
    private Icmp() {}

    /** ICMP type of an echo reply. */
    public static final int ECHO_REPLY = 0;
    /** ICMP type of an echo request. */
    public static final int ECHO_REQUEST = 8;
    /** Length of the echo header: type, code, checksum, identifier, sequence. */
    public static final int ECHO_HEADER_LENGTH = 8;

    /** True if the well-formed IPv4 packet is an unfragmented ICMP echo request with a complete header. */
    public static boolean isEchoRequest(ByteBuf ipv4) {
        if (Ipv4.protocol(ipv4) != Ipv4.PROTOCOL_ICMP || isFragment(ipv4)) return false;
        int ihl = Ipv4.headerLength(ipv4);
        if (Ipv4.totalLength(ipv4) < ihl + ECHO_HEADER_LENGTH) return false;
        int icmp = ipv4.readerIndex() + ihl;
        return ipv4.getUnsignedByte(icmp) == ECHO_REQUEST && ipv4.getUnsignedByte(icmp + 1) == 0;
    }

    /**
     * Turns an echo request into its reply in place: swaps the addresses, resets the TTL to 64, sets the
     * type to echo reply and fixes both checksums. Identifier, sequence and data stay as they were.
     */
    public static void turnIntoEchoReply(ByteBuf ipv4) {
        int start = ipv4.readerIndex();
        int src = Ipv4.source(ipv4);
        ipv4.setInt(start + Ipv4.SOURCE_OFFSET, Ipv4.destination(ipv4));
        ipv4.setInt(start + Ipv4.DESTINATION_OFFSET, src);
        ipv4.setByte(start + Ipv4.TTL_OFFSET, 64);
        Ipv4.updateHeaderChecksum(ipv4);
        int ihl = Ipv4.headerLength(ipv4);
        int icmp = start + ihl;
        int icmpLength = Ipv4.totalLength(ipv4) - ihl;
        ipv4.setByte(icmp, ECHO_REPLY);
        ipv4.setShort(icmp + 2, 0);
        ipv4.setShort(icmp + 2, Ipv4.checksum(ipv4, icmp, icmpLength));
    }

    /**
     * Writes an IPv4 ICMP echo request {@code source -> destination} with {@code identifier}, {@code sequence}
     * and {@code dataLength} zero bytes of data at {@code out}'s writerIndex; TTL 64, DF set.
     */
    public static void writeEchoRequest(ByteBuf out, int source, int destination, int identifier, int sequence, int dataLength) {
        int start = out.writerIndex();
        int total = Ipv4.MIN_HEADER_LENGTH + ECHO_HEADER_LENGTH + dataLength;
        out.writeByte(0x45).writeByte(0).writeShort(total).writeShort(sequence).writeShort(0x4000)
                .writeByte(64).writeByte(Ipv4.PROTOCOL_ICMP).writeShort(0).writeInt(source).writeInt(destination);
        out.writeByte(ECHO_REQUEST).writeByte(0).writeShort(0).writeShort(identifier).writeShort(sequence).writeZero(dataLength);
        out.setShort(start + Ipv4.CHECKSUM_OFFSET, Ipv4.checksum(out, start, Ipv4.MIN_HEADER_LENGTH));
        int icmp = start + Ipv4.MIN_HEADER_LENGTH;
        out.setShort(icmp + 2, Ipv4.checksum(out, icmp, ECHO_HEADER_LENGTH + dataLength));
    }

    /**
     * The sequence number if the IPv4 packet is an unfragmented echo reply from {@code source} with
     * {@code identifier}, else -1. Never throws on short or malformed packets.
     */
    public static int echoReplySequence(ByteBuf ipv4, int source, int identifier) {
        if (ipv4.readableBytes() < Ipv4.MIN_HEADER_LENGTH || Ipv4.version(ipv4) != 4
                || Ipv4.protocol(ipv4) != Ipv4.PROTOCOL_ICMP || isFragment(ipv4) || Ipv4.source(ipv4) != source) {
            return -1;
        }
        int ihl = Ipv4.headerLength(ipv4);
        if (ihl < Ipv4.MIN_HEADER_LENGTH || Math.min(Ipv4.totalLength(ipv4), ipv4.readableBytes()) < ihl + ECHO_HEADER_LENGTH) return -1;
        int icmp = ipv4.readerIndex() + ihl;
        if (ipv4.getUnsignedByte(icmp) != ECHO_REPLY || ipv4.getUnsignedByte(icmp + 1) != 0
                || ipv4.getUnsignedShort(icmp + 4) != identifier) {
            return -1;
        }
        return ipv4.getUnsignedShort(icmp + 6);
    }

    private static boolean isFragment(ByteBuf ipv4) {
        int flagsAndOffset = ipv4.getUnsignedShort(ipv4.readerIndex() + 6);
        return (flagsAndOffset & 0x3fff) != 0; // MF set or a non-zero offset
    }
}
