package io.steadfast.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The IPv4/UDP packet around a binding message: V:port -> R:{@value Relay#DEFAULT_PORT} (update) and
 * back (ack). Written with IHL 5, DF set, identification 0 (an atomic datagram, RFC 6864), TTL
 * {@value Relay#MESSAGE_TTL}, and correct IPv4 header and UDP checksums. Stateless.
 *
 * <pre>{@code
 * // relay, a packet from the TUN:
 * if (BindingPacket.isUdpTo(packet, relay, Relay.DEFAULT_PORT)) {
 *     int source = Ipv4.source(packet), port = BindingPacket.sourcePort(packet);
 *     if (BindingPacket.openUdp(packet) == null) { ... server.handleUpdate(packet, source, now) ... }
 * }
 * byte[] ack = BindingPacket.encode(relay, Relay.DEFAULT_PORT, source, port, ackPayload);
 * }</pre>
 */
public final class BindingPacket {
    private BindingPacket() {}

    /** IPv4 and UDP header bytes before the payload. */
    public static final int HEADER_LENGTH = Relay.IPV4_HEADER_LENGTH + Relay.UDP_HEADER_LENGTH;

    /** A whole IPv4/UDP packet source:sourcePort -> destination:destinationPort around {@code payload}. */
    public static byte[] encode(int source, int sourcePort, int destination, int destinationPort, byte[] payload) {
        byte[] packet = new byte[HEADER_LENGTH + payload.length];
        ByteBuf buf = Unpooled.wrappedBuffer(packet).writerIndex(0);
        try {
            write(buf, source, sourcePort, destination, destinationPort, payload);
            return packet;
        } finally {
            buf.release();
        }
    }

    /** Writes the packet at {@code out}'s writerIndex; returns {@code out}. */
    public static ByteBuf write(ByteBuf out, int source, int sourcePort, int destination, int destinationPort, byte[] payload) {
        int udpLength = Relay.UDP_HEADER_LENGTH + payload.length;
        int totalLength = Relay.IPV4_HEADER_LENGTH + udpLength;
        if (totalLength > Relay.IPV4_MAX_TOTAL_LENGTH) {
            throw new IllegalArgumentException("a UDP payload of " + payload.length + " bytes does not fit in IPv4");
        }
        int start = out.writerIndex();
        out.writeShort(0x4500).writeShort(totalLength).writeShort(0).writeShort(Relay.IPV4_FLAG_DF)
                .writeByte(Relay.MESSAGE_TTL).writeByte(Relay.PROTOCOL_UDP).writeShort(0).writeInt(source).writeInt(destination);
        out.setShort(start + Relay.IPV4_CHECKSUM_OFFSET, Ipv4.checksum(out, start, Relay.IPV4_HEADER_LENGTH));
        int udp = out.writerIndex();
        out.writeShort(sourcePort).writeShort(destinationPort).writeShort(udpLength).writeShort(0).writeBytes(payload);
        int checksum = udpChecksum(out, udp, udpLength, source, destination);
        out.setShort(udp + 6, checksum == 0 ? 0xFFFF : checksum); // 0 means "no checksum" (RFC 768)
        return out;
    }

    /**
     * Whether the packet at readerIndex is an unfragmented IPv4/UDP datagram to destination:port (how the
     * relay spots updates). Reads only what the buffer holds; never throws; checks no checksum.
     */
    public static boolean isUdpTo(ByteBuf packet, int destination, int destinationPort) {
        return isUdp(packet) && Ipv4.destination(packet) == destination && destinationPort(packet) == destinationPort;
    }

    /** Whether the packet at readerIndex is an unfragmented IPv4/UDP datagram from source:port (how the client spots acks). */
    public static boolean isUdpFrom(ByteBuf packet, int source, int sourcePort) {
        return isUdp(packet) && Ipv4.source(packet) == source && sourcePort(packet) == sourcePort;
    }

    /** UDP source port of the IPv4/UDP packet at readerIndex (the IHL is honoured). */
    public static int sourcePort(ByteBuf packet) {
        return packet.getUnsignedShort(udpStart(packet));
    }

    /** UDP destination port of the IPv4/UDP packet at readerIndex. */
    public static int destinationPort(ByteBuf packet) {
        return packet.getUnsignedShort(udpStart(packet) + 2);
    }

    /**
     * Checks the IPv4/UDP packet at readerIndex (IPv4 header and checksum, protocol 17, not a fragment,
     * UDP length within the IP payload, UDP checksum unless it is 0) and, if it passes, leaves exactly the
     * UDP payload readable. Null on success, else the reason, the buffer untouched. Never throws on bad input.
     */
    public static RelayDropReason openUdp(ByteBuf packet) {
        int start = packet.readerIndex();
        RelayDropReason header = Ipv4.checkHeader(packet, start, packet.readableBytes());
        if (header != null) {
            return header;
        }
        if (packet.getUnsignedByte(start + Relay.IPV4_PROTOCOL_OFFSET) != Relay.PROTOCOL_UDP) {
            return RelayDropReason.NOT_UDP;
        }
        if (Ipv4.isFragment(packet, start)) {
            return RelayDropReason.FRAGMENT;
        }
        int udp = start + Ipv4.headerLength(packet, start);
        int ipPayloadLength = start + Ipv4.totalLength(packet, start) - udp;
        if (ipPayloadLength < Relay.UDP_HEADER_LENGTH) {
            return RelayDropReason.TRUNCATED;
        }
        int udpLength = packet.getUnsignedShort(udp + 4);
        if (udpLength < Relay.UDP_HEADER_LENGTH || udpLength > ipPayloadLength) {
            return RelayDropReason.NOT_UDP;
        }
        if (packet.getUnsignedShort(udp + 6) != 0
                && udpChecksum(packet, udp, udpLength, Ipv4.source(packet), Ipv4.destination(packet)) != 0) {
            return RelayDropReason.BAD_CHECKSUM;
        }
        packet.setIndex(udp + Relay.UDP_HEADER_LENGTH, udp + udpLength);
        return null;
    }

    /** The UDP checksum (RFC 768) over pseudo header and datagram; over a datagram carrying its checksum, 0 means right. */
    static int udpChecksum(ByteBuf buf, int udp, int udpLength, int source, int destination) {
        long sum = Ipv4.sumOf(source) + Ipv4.sumOf(destination) + Relay.PROTOCOL_UDP + udpLength + Ipv4.sum(buf, udp, udpLength);
        return ~Ipv4.fold(sum) & 0xFFFF;
    }

    private static boolean isUdp(ByteBuf packet) {
        int start = packet.readerIndex();
        int available = packet.readableBytes();
        if (available < Relay.IPV4_HEADER_LENGTH) {
            return false;
        }
        int first = packet.getUnsignedByte(start);
        int headerLength = (first & 0x0F) * 4;
        return first >>> 4 == Relay.IPV4_VERSION && headerLength >= Relay.IPV4_HEADER_LENGTH
                && available >= headerLength + Relay.UDP_HEADER_LENGTH
                && packet.getUnsignedByte(start + Relay.IPV4_PROTOCOL_OFFSET) == Relay.PROTOCOL_UDP
                && !Ipv4.isFragment(packet, start);
    }

    private static int udpStart(ByteBuf packet) {
        int start = packet.readerIndex();
        return start + Ipv4.headerLength(packet, start);
    }
}
