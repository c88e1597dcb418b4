package io.steadfast.handlers.offload;

import static io.steadfast.handlers.offload.TcpHeader.ACK;
import static io.steadfast.handlers.offload.TcpHeader.CHECKSUM;
import static io.steadfast.handlers.offload.TcpHeader.FLAGS;
import static io.steadfast.handlers.offload.TcpHeader.FLAG_ACK;
import static io.steadfast.handlers.offload.TcpHeader.PSH;
import static io.steadfast.handlers.offload.TcpHeader.SEQUENCE;
import static io.steadfast.handlers.offload.TcpHeader.WINDOW;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.steadfast.handlers.ip.Ipv4;

/**
 * GRO in user space for writes to an IFF_VNET_HDR TUN with TUN_F_TSO4: merges consecutive in-order
 * TCP/IPv4 segments of one flow into one GSO_TCPV4 super-packet with a CHECKSUM_PARTIAL TCP checksum,
 * so that the kernel takes many segments in one write(2). Anything it cannot merge goes out alone
 * behind an all-zero virtio header. Reads its inputs without changing them; allocates nothing.
 *
 * <pre>{@code
 * for (int i = 0; i < n; ) {
 *     out.clear();
 *     i += TcpCoalescer.coalesce(packets, i, n - i, out);
 *     write(tunFd, out);
 * }
 * }</pre>
 */
public final class TcpCoalescer {
    private TcpCoalescer() {}

    /** Most segments merged into one super-packet. */
    public static final int MAX_SEGMENTS = 64;
    /** Largest super-packet, IPv4's total-length limit. */
    public static final int MAX_LENGTH = 65535;

    private static final int IP_HEADER = Ipv4.MIN_HEADER_LENGTH; // only option-less IPv4 headers are merged

    /**
     * Writes [virtio_net_hdr][packet] for one write(2) at {@code out}'s writer index: packets[from] alone,
     * or packets[from], packets[from+1], ... merged; returns how many it consumed (0 only if count is 0).
     */
    public static int coalesce(ByteBuf[] packets, int from, int count, ByteBuf out) {
        if (count <= 0) return 0;
        ByteBuf first = packets[from];
        int gsoSize = mergeablePayload(first, true);
        int merged = 1;
        if (gsoSize > 0) {
            int total = first.readableBytes();
            ByteBuf previous = first;
            int previousPayload = gsoSize;
            boolean closed = false;
            while (!closed && merged < count && merged < MAX_SEGMENTS) {
                ByteBuf next = packets[from + merged];
                int payload = mergeablePayload(next, false);
                if (payload <= 0 || payload > gsoSize || total + payload > MAX_LENGTH
                        || !sameFlow(first, next) || sequence(next) != sequence(previous) + previousPayload) {
                    break;
                }
                closed = payload < gsoSize || (flags(next) & PSH) != 0;
                total += payload;
                previous = next;
                previousPayload = payload;
                merged++;
            }
            if (merged > 1) {
                writeMerged(packets, from, merged, gsoSize, total, out);
                return merged;
            }
        }
        VirtioNetHeader.writeNone(out, out.writerIndex());
        out.writerIndex(out.writerIndex() + VirtioNetHeader.SIZE);
        out.writeBytes(first, first.readerIndex(), first.readableBytes());
        return 1;
    }

    /**
     * The TCP payload length if {@code p} may join a run (option-less IPv4, no fragment, TCP, flags ACK
     * or, unless it starts the run, ACK|PSH; a non-empty payload), else -1.
     */
    private static int mergeablePayload(ByteBuf p, boolean starts) {
        int length = p.readableBytes();
        int ip = p.readerIndex();
        if (length < IP_HEADER + TcpHeader.MIN_LENGTH || p.getUnsignedByte(ip) != 0x45
                || Ipv4.totalLength(p) != length || (p.getUnsignedShort(ip + Ipv4.FRAGMENT_OFFSET) & ~Ipv4.FLAG_DF) != 0
                || Ipv4.protocol(p) != Ipv4.PROTOCOL_TCP) {
            return -1;
        }
        int tcpHeader = TcpHeader.length(p, ip + IP_HEADER);
        int f = flags(p);
        if (tcpHeader < TcpHeader.MIN_LENGTH || f != FLAG_ACK && (starts || f != (FLAG_ACK | PSH))) return -1;
        int payload = length - IP_HEADER - tcpHeader;
        return payload > 0 ? payload : -1;
    }

    /**
     * Whether {@code p} belongs to {@code first}'s run: same TOS, DF, TTL, addresses, TCP header length,
     * ports, acknowledgement number, window and options.
     */
    private static boolean sameFlow(ByteBuf first, ByteBuf p) {
        int a = first.readerIndex();
        int b = p.readerIndex();
        int tcpHeader = TcpHeader.length(first, a + IP_HEADER);
        return first.getByte(a + Ipv4.TOS_OFFSET) == p.getByte(b + Ipv4.TOS_OFFSET)
                && first.getShort(a + Ipv4.FRAGMENT_OFFSET) == p.getShort(b + Ipv4.FRAGMENT_OFFSET)
                && first.getByte(a + Ipv4.TTL_OFFSET) == p.getByte(b + Ipv4.TTL_OFFSET)
                && first.getLong(a + Ipv4.SOURCE_OFFSET) == p.getLong(b + Ipv4.SOURCE_OFFSET)
                && TcpHeader.length(p, b + IP_HEADER) == tcpHeader
                && first.getInt(a + IP_HEADER) == p.getInt(b + IP_HEADER) // ports
                && first.getInt(a + IP_HEADER + ACK) == p.getInt(b + IP_HEADER + ACK)
                && first.getShort(a + IP_HEADER + WINDOW) == p.getShort(b + IP_HEADER + WINDOW)
                && ByteBufUtil.equals(first, a + IP_HEADER + TcpHeader.MIN_LENGTH, p, b + IP_HEADER + TcpHeader.MIN_LENGTH,
                        tcpHeader - TcpHeader.MIN_LENGTH);
    }

    /** Writes the virtio header, the first packet's headers fixed up for the whole, and every payload. */
    private static void writeMerged(ByteBuf[] packets, int from, int merged, int gsoSize, int total, ByteBuf out) {
        ByteBuf first = packets[from];
        int tcpHeader = TcpHeader.length(first, first.readerIndex() + IP_HEADER);
        int headers = IP_HEADER + tcpHeader;
        int at = out.writerIndex();
        VirtioNetHeader.write(out, at, VirtioNetHeader.FLAG_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, headers, gsoSize,
                IP_HEADER, CHECKSUM);
        int ip = at + VirtioNetHeader.SIZE;
        out.writerIndex(ip);
        out.writeBytes(first, first.readerIndex(), headers);
        for (int i = 0; i < merged; i++) {
            ByteBuf p = packets[from + i];
            out.writeBytes(p, p.readerIndex() + headers, p.readableBytes() - headers);
        }
        out.setShort(ip + Ipv4.TOTAL_LENGTH_OFFSET, total);
        out.setShort(ip + Ipv4.CHECKSUM_OFFSET, 0);
        out.setShort(ip + Ipv4.CHECKSUM_OFFSET, Ipv4.checksum(out, ip, IP_HEADER));
        int tcp = ip + IP_HEADER;
        out.setByte(tcp + FLAGS, flags(packets[from + merged - 1]));
        out.setShort(tcp + CHECKSUM, Ipv4.fold(TcpHeader.pseudoSum4(out, ip, total - IP_HEADER)));
    }

    private static int flags(ByteBuf p) {
        return p.getUnsignedByte(p.readerIndex() + IP_HEADER + FLAGS);
    }

    private static int sequence(ByteBuf p) {
        return p.getInt(p.readerIndex() + IP_HEADER + SEQUENCE);
    }
}
