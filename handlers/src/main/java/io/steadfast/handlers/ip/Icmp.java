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

    private static boolean isFragment(ByteBuf ipv4) {
        int flagsAndOffset = ipv4.getUnsignedShort(ipv4.readerIndex() + 6);
        return (flagsAndOffset & 0x3fff) != 0; // MF set or a non-zero offset
    }
}
