package io.steadfast.handlers.offload;

import static io.steadfast.handlers.offload.TcpHeader.CHECKSUM;
import static io.steadfast.handlers.offload.TcpHeader.CWR;
import static io.steadfast.handlers.offload.TcpHeader.FIN;
import static io.steadfast.handlers.offload.TcpHeader.FLAGS;
import static io.steadfast.handlers.offload.TcpHeader.IPV6_HEADER;
import static io.steadfast.handlers.offload.TcpHeader.IPV6_NEXT_HEADER;
import static io.steadfast.handlers.offload.TcpHeader.IPV6_PAYLOAD_LENGTH;
import static io.steadfast.handlers.offload.TcpHeader.PSH;
import static io.steadfast.handlers.offload.TcpHeader.SEQUENCE;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.steadfast.handlers.ip.Ipv4;
import java.util.function.Consumer;

/**
 * Turns what a read from an IFF_VNET_HDR TUN gives ([virtio_net_hdr][IP packet]) into plain IP packets
 * with complete checksums: a copy of a single packet, its CHECKSUM_PARTIAL checksum completed when
 * FLAG_NEEDS_CSUM says so, or the segments of a GSO_TCPV4/GSO_TCPV6 super-packet as the kernel's
 * tcp_gso_segment would cut them. Everything is checked before anything is allocated; apart from the
 * output buffers nothing allocates.
 *
 * <pre>{@code
 * int n = TcpSegmenter.split(read, ctx.alloc(), 64, packet -> ctx.fireChannelRead(packet));
 * read.release(); // split neither releases nor changes its input
 * }</pre>
 */
public final class TcpSegmenter {
    private TcpSegmenter() {}

    /**
     * Most segments one super-packet may make. TCP with a small MSS could make more: give the TUN
     * {@code ip link set dev TUN gso_max_segs 64} so that the kernel never hands over more ({@code TunInterface} does).
     */
    public static final int MAX_SEGMENTS = 64;

    /**
     * Outputs the packets in {@code in}'s readable bytes, each in a new direct buffer from {@code alloc}
     * with {@code headroom} free bytes before and after it (reader index = headroom); returns how many.
     * Throws, having output nothing, when the virtio header asks for an unsupported offload or does not
     * fit the packet. {@code in} is neither released nor modified.
     */
    public static int split(ByteBuf in, ByteBufAllocator alloc, int headroom, Consumer<ByteBuf> out)
            throws OffloadException {
        int at = in.readerIndex();
        if (in.readableBytes() < VirtioNetHeader.SIZE) {
            throw new OffloadException(in.readableBytes() + " bytes, fewer than a virtio header");
        }
        int ip = at + VirtioNetHeader.SIZE;
        int ipLength = in.readableBytes() - VirtioNetHeader.SIZE;
        int gsoType = VirtioNetHeader.gsoType(in, at);
        switch (gsoType & ~VirtioNetHeader.GSO_ECN) {
            case VirtioNetHeader.GSO_NONE -> {
                single(in, at, ip, ipLength, alloc, headroom, out);
                return 1;
            }
            case VirtioNetHeader.GSO_TCPV4 -> {
                return segment(in, at, ip, ipLength, 4, alloc, headroom, out);
            }
            case VirtioNetHeader.GSO_TCPV6 -> {
                return segment(in, at, ip, ipLength, 6, alloc, headroom, out);
            }
            case VirtioNetHeader.GSO_UDP -> throw new OffloadException("GSO_UDP (UFO) is not supported");
            case VirtioNetHeader.GSO_UDP_L4 -> throw new OffloadException("GSO_UDP_L4 (USO) is not supported");
            default -> throw new OffloadException("unknown gso_type " + gsoType);
        }
    }

    /** Case GSO_NONE: one copy, its checksum completed if FLAG_NEEDS_CSUM. */
    private static void single(ByteBuf in, int at, int ip, int ipLength, ByteBufAllocator alloc, int headroom,
            Consumer<ByteBuf> out) throws OffloadException {
        if (ipLength == 0) throw new OffloadException("no IP packet after the virtio header");
        boolean partial = (VirtioNetHeader.flags(in, at) & VirtioNetHeader.FLAG_NEEDS_CSUM) != 0;
        int start = VirtioNetHeader.csumStart(in, at);
        int offset = VirtioNetHeader.csumOffset(in, at);
        if (partial) {
            if (start + offset + 2 > ipLength) {
                throw new OffloadException("checksum field at csum_start " + start + " + csum_offset " + offset
                        + " beyond the " + ipLength + "-byte packet");
            }
            if ((offset & 1) != 0) throw new OffloadException("odd csum_offset " + offset);
        }
        ByteBuf packet = allocate(alloc, headroom, ipLength);
        int o = packet.readerIndex();
        packet.setBytes(o, in, ip, ipLength);
        if (partial) completeChecksum(packet, o + start, o + start + offset, o + ipLength);
        out.accept(packet);
    }

    /**
     * Completes a CHECKSUM_PARTIAL checksum: the field at {@code field} holds the pseudo-header sum, the
     * ones' complement sum runs from {@code start} to {@code end}. A result of 0 is stored as 0xffff, as
     * Linux's skb_checksum_help does (required for UDP, where 0 means "no checksum"; equivalent elsewhere).
     */
    static void completeChecksum(ByteBuf b, int start, int field, int end) {
        int c = ~Ipv4.fold(Ipv4.sum(b, start, end - start)) & 0xffff;
        b.setShort(field, c == 0 ? 0xffff : c);
    }

    /** Cases GSO_TCPV4 and GSO_TCPV6: checks the headers, then outputs each segment. */
    private static int segment(ByteBuf in, int at, int ip, int ipLength, int version, ByteBufAllocator alloc,
            int headroom, Consumer<ByteBuf> out) throws OffloadException {
        int gsoSize = VirtioNetHeader.gsoSize(in, at);
        if (gsoSize == 0) throw new OffloadException("gso_size 0 with GSO_TCPV" + version);
        int ipHeader = ipHeaderLength(in, ip, ipLength, version);
        int tcp = ip + ipHeader;
        if (ipLength < ipHeader + TcpHeader.MIN_LENGTH) {
            throw new OffloadException(ipLength + " bytes, fewer than the IP and TCP headers");
        }
        int tcpHeader = TcpHeader.length(in, tcp);
        if (tcpHeader < TcpHeader.MIN_LENGTH || ipHeader + tcpHeader > ipLength) {
            throw new OffloadException("TCP header length " + tcpHeader + " does not fit the " + ipLength
                    + "-byte packet");
        }
        if ((VirtioNetHeader.flags(in, at) & VirtioNetHeader.FLAG_NEEDS_CSUM) != 0
                && (VirtioNetHeader.csumStart(in, at) != ipHeader || VirtioNetHeader.csumOffset(in, at) != CHECKSUM)) {
            throw new OffloadException("csum_start " + VirtioNetHeader.csumStart(in, at) + "/csum_offset "
                    + VirtioNetHeader.csumOffset(in, at) + " is not the TCP checksum at " + ipHeader + "/" + CHECKSUM);
        }
        int headers = ipHeader + tcpHeader;
        int payload = ipLength - headers;
        if (payload == 0) throw new OffloadException("GSO_TCPV" + version + " without payload");
        int segments = (payload + gsoSize - 1) / gsoSize;
        if (segments > MAX_SEGMENTS) {
            throw new OffloadException(segments + " segments of " + gsoSize + " bytes, more than " + MAX_SEGMENTS);
        }
        int firstId = version == 4 ? in.getUnsignedShort(ip + Ipv4.IDENTIFICATION_OFFSET) : 0;
        int firstSequence = in.getInt(tcp + SEQUENCE);
        int flags = in.getUnsignedByte(tcp + FLAGS);
        long addresses = version == 4 ? TcpHeader.pseudoSum4(in, ip, 0) : TcpHeader.pseudoSum6(in, ip, 0);
        for (int i = 0; i < segments; i++) {
            int chunk = Math.min(gsoSize, payload - i * gsoSize);
            ByteBuf packet = allocate(alloc, headroom, headers + chunk);
            int o = packet.readerIndex();
            packet.setBytes(o, in, ip, headers);
            packet.setBytes(o + headers, in, ip + headers + i * gsoSize, chunk);
            if (version == 4) {
                packet.setShort(o + Ipv4.TOTAL_LENGTH_OFFSET, headers + chunk);
                packet.setShort(o + Ipv4.IDENTIFICATION_OFFSET, firstId + i);
                Ipv4.updateHeaderChecksum(packet);
            } else {
                packet.setShort(o + IPV6_PAYLOAD_LENGTH, tcpHeader + chunk);
            }
            int t = o + ipHeader;
            packet.setInt(t + SEQUENCE, firstSequence + i * gsoSize);
            int f = flags;
            if (i > 0) f &= ~CWR;
            if (i < segments - 1) f &= ~(FIN | PSH);
            packet.setByte(t + FLAGS, f);
            packet.setShort(t + CHECKSUM, 0);
            long sum = addresses + tcpHeader + chunk + Ipv4.sum(packet, t, tcpHeader + chunk);
            packet.setShort(t + CHECKSUM, ~Ipv4.fold(sum));
            out.accept(packet);
        }
        return segments;
    }

    /** The IP header length, after checking version, lengths and that TCP follows. */
    private static int ipHeaderLength(ByteBuf in, int ip, int ipLength, int version) throws OffloadException {
        int first = ipLength == 0 ? -1 : in.getUnsignedByte(ip);
        if (first >>> 4 != version) {
            throw new OffloadException("GSO_TCPV" + version + " but IP version " + (first < 0 ? "none" : first >>> 4));
        }
        if (version == 4) {
            if (ipLength < Ipv4.MIN_HEADER_LENGTH) throw new OffloadException(ipLength + " bytes, fewer than an IPv4 header");
            int ihl = (first & 0x0f) * 4;
            if (ihl < Ipv4.MIN_HEADER_LENGTH) throw new OffloadException("IPv4 header length " + ihl + " below 20");
            int total = in.getUnsignedShort(ip + Ipv4.TOTAL_LENGTH_OFFSET);
            if (total != ipLength) {
                throw new OffloadException("IPv4 total length " + total + " but " + ipLength + " bytes");
            }
            int protocol = in.getUnsignedByte(ip + Ipv4.PROTOCOL_OFFSET);
            if (protocol != Ipv4.PROTOCOL_TCP) throw new OffloadException("GSO_TCPV4 but IP protocol " + protocol);
            return ihl;
        }
        if (ipLength < IPV6_HEADER) throw new OffloadException(ipLength + " bytes, fewer than an IPv6 header");
        int payloadLength = in.getUnsignedShort(ip + IPV6_PAYLOAD_LENGTH);
        if (payloadLength + IPV6_HEADER != ipLength) {
            throw new OffloadException("IPv6 payload length " + payloadLength + " but " + ipLength + " bytes");
        }
        int next = in.getUnsignedByte(ip + IPV6_NEXT_HEADER);
        if (next != Ipv4.PROTOCOL_TCP) {
            throw new OffloadException("GSO_TCPV6 but next header " + next + " (extension headers are not supported)");
        }
        return IPV6_HEADER;
    }

    private static ByteBuf allocate(ByteBufAllocator alloc, int headroom, int length) {
        ByteBuf b = alloc.directBuffer(headroom + length + headroom);
        return b.setIndex(headroom, headroom + length);
    }
}
