package io.steadfast.handlers.ip;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteOrder;

/**
 * IPv4 header layout (RFC 791) and the Internet checksum (RFC 1071), read and written in place on
 * {@link ByteBuf}s whose reader index is at the IP header. Stateless and allocation-free.
 */
public final class Ipv4 {
    private Ipv4() {}

    /** Smallest IPv4 header: 20 bytes, IHL 5. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Offset of the TOS byte (DSCP and ECN). */
    public static final int TOS_OFFSET = 1;
    /** Offset of the total-length field. */
    public static final int TOTAL_LENGTH_OFFSET = 2;
    /** Offset of the identification field. */
    public static final int IDENTIFICATION_OFFSET = 4;
    /** Offset of the 16 bits of flags (DF, MF) and fragment offset. */
    public static final int FRAGMENT_OFFSET = 6;
    /** Don't-fragment flag in the field at {@link #FRAGMENT_OFFSET}; MF and the offset are the other bits. */
    public static final int FLAG_DF = 0x4000;
    /** Offset of the TTL field. */
    public static final int TTL_OFFSET = 8;
    /** Offset of the protocol field. */
    public static final int PROTOCOL_OFFSET = 9;
    /** Offset of the header checksum. */
    public static final int CHECKSUM_OFFSET = 10;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 12;
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 16;

    /** IP protocol number of ICMP. */
    public static final int PROTOCOL_ICMP = 1;
    /** IP protocol number of IPv4-in-IPv4 (RFC 2003). */
    public static final int PROTOCOL_IPIP = 4;
    /** IP protocol number of TCP. */
    public static final int PROTOCOL_TCP = 6;
    /** IP protocol number of UDP. */
    public static final int PROTOCOL_UDP = 17;

    /** The IP version nibble of the packet at the reader index, or -1 for an empty buffer. */
    public static int version(ByteBuf packet) {
        return packet.isReadable() ? (packet.getUnsignedByte(packet.readerIndex()) >>> 4) : -1;
    }

    /** Header length in bytes from the IHL field. */
    public static int headerLength(ByteBuf packet) {
        return (packet.getUnsignedByte(packet.readerIndex()) & 0x0f) * 4;
    }

    /** The total-length field. */
    public static int totalLength(ByteBuf packet) {
        return packet.getUnsignedShort(packet.readerIndex() + TOTAL_LENGTH_OFFSET);
    }

    /** The protocol field. */
    public static int protocol(ByteBuf packet) {
        return packet.getUnsignedByte(packet.readerIndex() + PROTOCOL_OFFSET);
    }

    /** The source address as a big-endian int. */
    public static int source(ByteBuf packet) {
        return packet.getInt(packet.readerIndex() + SOURCE_OFFSET);
    }

    /** The destination address as a big-endian int. */
    public static int destination(ByteBuf packet) {
        return packet.getInt(packet.readerIndex() + DESTINATION_OFFSET);
    }

    /**
     * Why the packet is not a well-formed IPv4 packet, or null if it is: version 4, IHL at least 5,
     * header and total length within the readable bytes, and a correct header checksum.
     */
    public static String malformation(ByteBuf packet) {
        int readable = packet.readableBytes();
        if (readable < MIN_HEADER_LENGTH) return "shorter than an IPv4 header";
        if (version(packet) != 4) return "not IP version 4";
        int ihl = headerLength(packet);
        if (ihl < MIN_HEADER_LENGTH) return "header length below 20";
        int total = totalLength(packet);
        if (total < ihl) return "total length below header length";
        if (total > readable) return "total length beyond the packet";
        if (checksum(packet, packet.readerIndex(), ihl) != 0) return "bad header checksum";
        return null;
    }

    /** Recomputes the header checksum in place. */
    public static void updateHeaderChecksum(ByteBuf packet) {
        int start = packet.readerIndex();
        packet.setShort(start + CHECKSUM_OFFSET, 0);
        packet.setShort(start + CHECKSUM_OFFSET, checksum(packet, start, headerLength(packet)));
    }

    /**
     * The Internet checksum (ones' complement of the ones' complement sum) of {@code length} bytes at
     * {@code index}; over data that includes a correct checksum field it is 0.
     */
    public static int checksum(ByteBuf buf, int index, int length) {
        return ~fold(sum(buf, index, length)) & 0xffff;
    }

    /**
     * The ones' complement sum of {@code length} bytes at {@code index}, unfolded (add such sums and
     * pseudo-header words freely, then {@link #fold}); bytes pair up from {@code index}, an odd last one
     * is the high byte of a word. Reads 8 bytes at a time, straight from memory when the buffer has an address.
     */
    public static long sum(ByteBuf buf, int index, int length) {
        if (buf.hasMemoryAddress()) {
            if (index < 0 || length < 0 || index > buf.capacity() - length) {
                throw new IndexOutOfBoundsException("index " + index + ", length " + length + ", capacity " + buf.capacity());
            }
            return sumAt(buf.memoryAddress() + index, length);
        }
        long sum = 0;
        int i = index;
        int end = index + length;
        for (; i + 7 < end; i += 8) {
            long v = buf.getLong(i);
            sum += (v >>> 32) + (v & 0xffffffffL);
        }
        if (i + 3 < end) {
            sum += buf.getUnsignedInt(i);
            i += 4;
        }
        if (i + 1 < end) {
            sum += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8;
        }
        return sum;
    }

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /**
     * {@link #sum} of native memory, read in the machine's byte order: a ones' complement sum is the same in
     * either order up to swapping the bytes of the folded result (RFC 1071 section 2(B)), so on a
     * little-endian machine the words are summed as they lie and the folded sum is swapped once at the end.
     */
    private static long sumAt(long address, int length) {
        long sum = 0;
        int i = 0;
        for (; i + 7 < length; i += 8) {
            long v = PlatformDependent.getLong(address + i);
            sum += (v >>> 32) + (v & 0xffffffffL);
        }
        if (i + 3 < length) {
            sum += PlatformDependent.getInt(address + i) & 0xffffffffL;
            i += 4;
        }
        if (i + 1 < length) {
            sum += PlatformDependent.getShort(address + i) & 0xffff;
            i += 2;
        }
        if (i < length) { // the odd last byte is the high byte of its big-endian word
            int last = PlatformDependent.getByte(address + i) & 0xff;
            sum += LITTLE_ENDIAN ? last : last << 8;
        }
        if (!LITTLE_ENDIAN) return sum;
        int folded = fold(sum);
        return ((folded & 0xff) << 8) | (folded >>> 8);
    }

    /** A ones' complement sum folded to 16 bits, not complemented (0 only when every word summed was 0). */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** Dotted-quad text of a big-endian int address, for logs. */
    public static String toString(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }
}
