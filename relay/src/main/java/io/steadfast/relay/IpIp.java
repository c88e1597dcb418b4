package io.steadfast.relay;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * IPv4 in IPv4 (RFC 2003, protocol 4), in place: encapsulation writes a 20-byte outer header into the
 * headroom before readerIndex, decapsulation moves readerIndex past it. The inner packet's bytes are
 * never changed (its TTL is the forwarding stack's business). Stateless apart from one identification
 * counter (see {@link #encapsulate(ByteBuf, int, int)}).
 *
 * <pre>{@code
 * // client, S -> server:  wrap V -> R
 * if (!IpIp.encapsulate(packet, careOf, relay)) packet = copyWithHeadroom(packet); // then encapsulate again
 * // relay, V -> R:  unwrap
 * RelayDropReason dropped = IpIp.decapsulate(packet);
 * if (dropped != null) { count(dropped.counterName()); packet.release(); }
 * }</pre>
 */
public final class IpIp {
    private IpIp() {}

    /** Identification for outer headers of packets that may be fragmented (inner DF clear). */
    private static final AtomicInteger IDENTIFICATION = new AtomicInteger();

    /**
     * Encapsulates like {@link #encapsulate(ByteBuf, int, int, int)} and chooses the identification
     * itself: 0 when the inner packet has DF set, because the outer packet then has DF too and is atomic
     * (RFC 6864 4.1; Linux does the same); otherwise the next value of a process-wide counter, so that the
     * outer fragments of different packets are not confused. Thread-safe.
     */
    public static boolean encapsulate(ByteBuf inner, int outerSource, int outerDestination) {
        int flags = inner.readableBytes() >= Relay.IPV4_HEADER_LENGTH
                ? inner.getUnsignedShort(inner.readerIndex() + Relay.IPV4_FLAGS_OFFSET) : 0; // else the next call refuses
        int identification = (flags & Relay.IPV4_FLAG_DF) != 0 ? 0 : IDENTIFICATION.getAndIncrement();
        return encapsulate(inner, outerSource, outerDestination, identification);
    }

    /**
     * Puts an outer IPv4 header (outerSource -> outerDestination, protocol 4) before the inner packet at
     * readerIndex, in the headroom: IHL 5, TOS copied from the inner header, total length, the given
     * identification (low 16 bits), DF copied from the inner header (RFC 2003 3.1), TTL
     * {@link Relay#OUTER_TTL}, header checksum. Moves readerIndex back 20 bytes and returns true; returns
     * false, changing nothing, when readerIndex is below 20 (the caller copies into a buffer with
     * headroom). IllegalArgumentException if the readable bytes are not 20..65515 (no IPv4 packet).
     */
    public static boolean encapsulate(ByteBuf inner, int outerSource, int outerDestination, int identification) {
        int innerStart = inner.readerIndex();
        int innerLength = inner.readableBytes();
        if (innerLength < Relay.IPV4_HEADER_LENGTH || innerLength > Relay.MAX_INNER_LENGTH) {
            throw new IllegalArgumentException("an IPv4 packet has 20.." + Relay.MAX_INNER_LENGTH
                    + " bytes to encapsulate, not " + innerLength);
        }
        if (innerStart < Relay.OUTER_HEADER_LENGTH) {
            return false;
        }
        int versionAndTos = (0x40 | Relay.IPV4_MIN_IHL) << 8 | inner.getUnsignedByte(innerStart + Relay.IPV4_TOS_OFFSET);
        int totalLength = innerLength + Relay.OUTER_HEADER_LENGTH;
        int id = identification & 0xFFFF;
        int flags = inner.getUnsignedShort(innerStart + Relay.IPV4_FLAGS_OFFSET) & Relay.IPV4_FLAG_DF;
        int ttlAndProtocol = Relay.OUTER_TTL << 8 | Relay.PROTOCOL_IPIP;
        long sum = versionAndTos + totalLength + id + flags + ttlAndProtocol + Ipv4.sumOf(outerSource) + Ipv4.sumOf(outerDestination);
        int checksum = ~Ipv4.fold(sum) & 0xFFFF;

        int start = innerStart - Relay.OUTER_HEADER_LENGTH;
        inner.setInt(start, versionAndTos << 16 | totalLength);
        inner.setInt(start + Relay.IPV4_IDENTIFICATION_OFFSET, id << 16 | flags);
        inner.setInt(start + Relay.IPV4_TTL_OFFSET, ttlAndProtocol << 16 | checksum);
        inner.setInt(start + Relay.IPV4_SOURCE_OFFSET, outerSource);
        inner.setInt(start + Relay.IPV4_DESTINATION_OFFSET, outerDestination);
        inner.readerIndex(start);
        return true;
    }

    /**
     * Checks an IP-in-IP packet at readerIndex without changing it: the outer header (well-formed IPv4,
     * checksum, total length within the buffer, protocol 4, not a fragment) and the inner header
     * (well-formed IPv4 with a correct checksum, its total length within the outer payload). Null if it
     * may be decapsulated, else the reason. Never throws on bad input.
     */
    public static RelayDropReason check(ByteBuf packet) {
        int start = packet.readerIndex();
        RelayDropReason outer = Ipv4.checkHeader(packet, start, packet.readableBytes());
        if (outer != null) {
            return outer;
        }
        if (packet.getUnsignedByte(start + Relay.IPV4_PROTOCOL_OFFSET) != Relay.PROTOCOL_IPIP) {
            return RelayDropReason.NOT_IPIP;
        }
        if (Ipv4.isFragment(packet, start)) {
            return RelayDropReason.FRAGMENT;
        }
        int outerHeaderLength = Ipv4.headerLength(packet, start);
        int payloadLength = Ipv4.totalLength(packet, start) - outerHeaderLength;
        return Ipv4.checkHeader(packet, start + outerHeaderLength, payloadLength) == null ? null : RelayDropReason.BAD_INNER;
    }

    /**
     * Checks the packet as {@link #check} does and, if it passes, strips the outer header in place:
     * readerIndex moves to the inner header and writerIndex to the inner packet's end. Returns null on
     * success, else the reason and leaves the buffer untouched. Never throws on bad input.
     */
    public static RelayDropReason decapsulate(ByteBuf packet) {
        RelayDropReason problem = check(packet);
        if (problem == null) {
            strip(packet);
        }
        return problem;
    }

    /** Strips the outer header of a packet that {@link #check} accepted. */
    static void strip(ByteBuf packet) {
        int innerStart = innerStart(packet);
        packet.setIndex(innerStart, innerStart + Ipv4.totalLength(packet, innerStart));
    }

    /** Outer source address of the IP-in-IP packet at readerIndex. */
    public static int outerSource(ByteBuf ipip) {
        return Ipv4.source(ipip);
    }

    /** Outer destination address of the IP-in-IP packet at readerIndex. */
    public static int outerDestination(ByteBuf ipip) {
        return Ipv4.destination(ipip);
    }

    /** Inner source address of the IP-in-IP packet at readerIndex (before decapsulation; the outer IHL is honoured). */
    public static int innerSource(ByteBuf ipip) {
        return ipip.getInt(innerStart(ipip) + Relay.IPV4_SOURCE_OFFSET);
    }

    /** Inner destination address of the IP-in-IP packet at readerIndex (before decapsulation). */
    public static int innerDestination(ByteBuf ipip) {
        return ipip.getInt(innerStart(ipip) + Relay.IPV4_DESTINATION_OFFSET);
    }

    private static int innerStart(ByteBuf ipip) {
        int start = ipip.readerIndex();
        return start + Ipv4.headerLength(ipip, start);
    }

    /**
     * The tunnel MTU an ICMP "fragmentation needed" (type 3 code 4) reports for one of our tunnels: the
     * packet at readerIndex is a well-formed IPv4/ICMP message with a correct ICMP checksum, and the
     * header it quotes is IP-in-IP with {@code relayAddress} as source (relay to client) or destination
     * (client to relay). Returns the next-hop MTU minus the 20-byte outer header, the largest inner
     * packet that fits (RFC 2003 4.1, 5.1); -1 for any other packet, or a next-hop MTU below 68 (0 is an
     * old router's "unknown", RFC 1191). Never throws on bad input.
     */
    public static int tunnelMtuFromIcmp(ByteBuf icmpPacket, int relayAddress) {
        int start = icmpPacket.readerIndex();
        if (Ipv4.checkHeader(icmpPacket, start, icmpPacket.readableBytes()) != null
                || icmpPacket.getUnsignedByte(start + Relay.IPV4_PROTOCOL_OFFSET) != Relay.PROTOCOL_ICMP
                || Ipv4.isFragment(icmpPacket, start)) {
            return -1;
        }
        int icmp = start + Ipv4.headerLength(icmpPacket, start);
        int icmpLength = start + Ipv4.totalLength(icmpPacket, start) - icmp;
        if (icmpLength < Relay.ICMP_HEADER_LENGTH + Relay.IPV4_HEADER_LENGTH
                || icmpPacket.getUnsignedByte(icmp) != Relay.ICMP_DESTINATION_UNREACHABLE
                || icmpPacket.getUnsignedByte(icmp + 1) != Relay.ICMP_FRAGMENTATION_NEEDED
                || Ipv4.checksum(icmpPacket, icmp, icmpLength) != 0) {
            return -1;
        }
        int quoted = icmp + Relay.ICMP_HEADER_LENGTH;
        int first = icmpPacket.getUnsignedByte(quoted);
        int source = icmpPacket.getInt(quoted + Relay.IPV4_SOURCE_OFFSET);
        int destination = icmpPacket.getInt(quoted + Relay.IPV4_DESTINATION_OFFSET);
        if (first >>> 4 != Relay.IPV4_VERSION || (first & 0x0F) < Relay.IPV4_MIN_IHL
                || icmpPacket.getUnsignedByte(quoted + Relay.IPV4_PROTOCOL_OFFSET) != Relay.PROTOCOL_IPIP
                || (source != relayAddress && destination != relayAddress)) {
            return -1;
        }
        int nextHopMtu = icmpPacket.getUnsignedShort(icmp + Relay.ICMP_NEXT_HOP_MTU_OFFSET);
        return nextHopMtu < Relay.IPV4_MIN_MTU ? -1 : nextHopMtu - Relay.OUTER_HEADER_LENGTH;
    }
}
