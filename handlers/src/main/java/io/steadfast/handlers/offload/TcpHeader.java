package io.steadfast.handlers.offload;

import io.netty.buffer.ByteBuf;
import io.steadfast.handlers.ip.Ipv4;

/** TCP (RFC 9293) and IPv6 (RFC 8200) header offsets and the pseudo-header sums, shared by the segmenter and coalescer. */
final class TcpHeader {
    private TcpHeader() {}

    static final int MIN_LENGTH = 20; // TCP header without options
    static final int SEQUENCE = 4; // sequence number
    static final int ACK = 8; // acknowledgement number
    static final int DATA_OFFSET = 12; // high nibble: header length in 32-bit words
    static final int FLAGS = 13; // CWR ECE URG ACK PSH RST SYN FIN
    static final int WINDOW = 14; // receive window
    static final int CHECKSUM = 16; // checksum, csum_offset in the virtio header
    static final int FIN = 0x01, PSH = 0x08, FLAG_ACK = 0x10, CWR = 0x80;

    static final int IPV6_HEADER = 40; // fixed IPv6 header, no extension headers
    static final int IPV6_PAYLOAD_LENGTH = 4; // payload length
    static final int IPV6_NEXT_HEADER = 6; // next header
    static final int IPV6_SOURCE = 8; // source, then destination: 32 bytes

    /** Header length in bytes from the data-offset nibble of the TCP header at {@code tcp}. */
    static int length(ByteBuf b, int tcp) {
        return (b.getUnsignedByte(tcp + DATA_OFFSET) >>> 4) * 4;
    }

    /** Unfolded pseudo-header sum (RFC 9293 3.1) for the IPv4 header at {@code ip}, TCP, {@code tcpLength} bytes. */
    static long pseudoSum4(ByteBuf b, int ip, int tcpLength) {
        return Ipv4.sum(b, ip + Ipv4.SOURCE_OFFSET, 8) + Ipv4.PROTOCOL_TCP + tcpLength;
    }

    /** Unfolded pseudo-header sum (RFC 8200 8.1) for the IPv6 header at {@code ip}, TCP, {@code tcpLength} bytes. */
    static long pseudoSum6(ByteBuf b, int ip, int tcpLength) {
        return Ipv4.sum(b, ip + IPV6_SOURCE, 32) + Ipv4.PROTOCOL_TCP + tcpLength;
    }
}
