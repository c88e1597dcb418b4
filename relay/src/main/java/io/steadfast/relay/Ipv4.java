package io.steadfast.relay;

import io.netty.buffer.ByteBuf;

/**
 * Reading and checking IPv4 headers (RFC 791) and the Internet checksum (RFC 1071). Stateless; the
 * field readers take the packet at readerIndex and assume a header that {@link #checkHeader} accepted.
 *
 * <pre>{@code
 * if (Ipv4.checkHeader(packet, packet.readerIndex(), packet.readableBytes()) == null) {
 *     int destination = Ipv4.destination(packet);
 * }
 * }</pre>
 */
public final class Ipv4 {
    private Ipv4() {}

    /** Source address of the IPv4 packet at readerIndex. */
    public static int source(ByteBuf packet) {
        return packet.getInt(packet.readerIndex() + Relay.IPV4_SOURCE_OFFSET);
    }

    /** Destination address of the IPv4 packet at readerIndex. */
    public static int destination(ByteBuf packet) {
        return packet.getInt(packet.readerIndex() + Relay.IPV4_DESTINATION_OFFSET);
    }

    /** Protocol number of the IPv4 packet at readerIndex. */
    public static int protocol(ByteBuf packet) {
        return packet.getUnsignedByte(packet.readerIndex() + Relay.IPV4_PROTOCOL_OFFSET);
    }

    /** Header length in bytes (IHL times 4) of the IPv4 header at {@code offset}. */
    public static int headerLength(ByteBuf buf, int offset) {
        return (buf.getUnsignedByte(offset) & 0x0F) * 4;
    }

    /** Total length field of the IPv4 header at {@code offset}. */
    public static int totalLength(ByteBuf buf, int offset) {
        return buf.getUnsignedShort(offset + Relay.IPV4_TOTAL_LENGTH_OFFSET);
    }

    /** Whether the IPv4 header at {@code offset} is a fragment: MF set or a fragment offset other than 0. */
    public static boolean isFragment(ByteBuf buf, int offset) {
        return (buf.getUnsignedShort(offset + Relay.IPV4_FLAGS_OFFSET) & (Relay.IPV4_FLAG_MF | Relay.IPV4_FRAGMENT_OFFSET_MASK)) != 0;
    }

    /**
     * Null if a well-formed IPv4 header with a correct checksum starts at {@code offset}, its options and
     * its whole total length lying within {@code available} bytes; else TRUNCATED, NOT_IPV4, BAD_HEADER
     * or BAD_CHECKSUM. Reads only; never throws for {@code available} within the buffer.
     */
    public static RelayDropReason checkHeader(ByteBuf buf, int offset, int available) {
        if (available < Relay.IPV4_HEADER_LENGTH) {
            return RelayDropReason.TRUNCATED;
        }
        int first = buf.getUnsignedByte(offset);
        if (first >>> 4 != Relay.IPV4_VERSION) {
            return RelayDropReason.NOT_IPV4;
        }
        int headerLength = (first & 0x0F) * 4;
        if (headerLength < Relay.IPV4_HEADER_LENGTH) {
            return RelayDropReason.BAD_HEADER;
        }
        if (headerLength > available) {
            return RelayDropReason.TRUNCATED;
        }
        int totalLength = totalLength(buf, offset);
        if (totalLength < headerLength) {
            return RelayDropReason.BAD_HEADER;
        }
        if (totalLength > available) {
            return RelayDropReason.TRUNCATED;
        }
        return checksum(buf, offset, headerLength) == 0 ? null : RelayDropReason.BAD_CHECKSUM;
    }

    /**
     * The Internet checksum of {@code length} bytes at {@code offset}: the complement of their one's
     * complement sum. Over a header that carries its checksum, 0 means the checksum is right.
     */
    public static int checksum(ByteBuf buf, int offset, int length) {
        return ~fold(sum(buf, offset, length)) & 0xFFFF;
    }

    /** Sum of the 16-bit big-endian words of {@code length} bytes at {@code offset} (an odd last byte is padded with zero), unfolded. */
    static long sum(ByteBuf buf, int offset, int length) {
        long sum = 0;
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            sum += buf.getUnsignedInt(offset + i); // high and low words at once: 2^16 = 1 in one's complement
        }
        if (i + 2 <= length) {
            sum += buf.getUnsignedShort(offset + i);
            i += 2;
        }
        if (i < length) {
            sum += buf.getUnsignedByte(offset + i) << 8;
        }
        return sum;
    }

    /** Folds a sum of 16-bit words into 16 bits with end-around carries. */
    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** Sum of an address's two 16-bit halves, for checksums computed from field values. */
    static int sumOf(int address) {
        return (address >>> 16) + (address & 0xFFFF);
    }

    /** An address in dotted-quad form, e.g. {@code 10.1.0.7}. */
    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    /** Parses a dotted quad such as {@code 10.1.0.7}; IllegalArgumentException if it is not one. */
    public static int parse(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int address = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            address = (address << 8) | value;
        }
        return address;
    }
}
