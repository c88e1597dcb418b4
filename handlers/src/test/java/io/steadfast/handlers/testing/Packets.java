package io.steadfast.handlers.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Small, valid IP packets with correct checksums in pooled direct buffers, for stage tests: IPv4/UDP,
 * IPv6/UDP and ICMP echo requests. The caller releases them.
 */
public final class Packets {
    private Packets() {}

    public static final int IPV4_HEADER = 20;
    public static final int IPV6_HEADER = 40;
    public static final int UDP_HEADER = 8;

    /** An IPv4/UDP packet with a correct header checksum and UDP checksum; payload bytes are {@code seed + i}. */
    public static ByteBuf udp4(String src, String dst, int srcPort, int dstPort, int payloadLength, int seed) {
        byte[] bytes = udp4Bytes(src, dst, srcPort, dstPort, payloadLength, seed);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
        return buf.writeBytes(bytes);
    }

    public static byte[] udp4Bytes(String src, String dst, int srcPort, int dstPort, int payloadLength, int seed) {
        byte[] s = v4(src);
        byte[] d = v4(dst);
        int total = IPV4_HEADER + UDP_HEADER + payloadLength;
        byte[] p = new byte[total];
        p[0] = 0x45; // version 4, IHL 5
        p[1] = 0;
        put16(p, 2, total);
        put16(p, 4, seed & 0xffff); // identification
        put16(p, 6, 0x4000); // don't fragment
        p[8] = 64; // TTL
        p[9] = 17; // UDP
        System.arraycopy(s, 0, p, 12, 4);
        System.arraycopy(d, 0, p, 16, 4);
        put16(p, 10, checksum(p, 0, IPV4_HEADER, 0));
        int udp = IPV4_HEADER;
        put16(p, udp, srcPort);
        put16(p, udp + 2, dstPort);
        put16(p, udp + 4, UDP_HEADER + payloadLength);
        for (int i = 0; i < payloadLength; i++) {
            p[udp + UDP_HEADER + i] = (byte) (seed + i);
        }
        long pseudo = sum(s, 0, 4) + sum(d, 0, 4) + 17 + UDP_HEADER + payloadLength;
        int c = checksum(p, udp, UDP_HEADER + payloadLength, pseudo);
        put16(p, udp + 6, c == 0 ? 0xffff : c);
        return p;
    }

    /** An IPv6/UDP packet with a correct UDP checksum. */
    public static ByteBuf udp6(String src, String dst, int srcPort, int dstPort, int payloadLength, int seed) {
        byte[] s = v6(src);
        byte[] d = v6(dst);
        int udpLength = UDP_HEADER + payloadLength;
        byte[] p = new byte[IPV6_HEADER + udpLength];
        p[0] = 0x60;
        put16(p, 4, udpLength);
        p[6] = 17; // next header UDP
        p[7] = 64; // hop limit
        System.arraycopy(s, 0, p, 8, 16);
        System.arraycopy(d, 0, p, 24, 16);
        int udp = IPV6_HEADER;
        put16(p, udp, srcPort);
        put16(p, udp + 2, dstPort);
        put16(p, udp + 4, udpLength);
        for (int i = 0; i < payloadLength; i++) {
            p[udp + UDP_HEADER + i] = (byte) (seed + i);
        }
        long pseudo = sum(s, 0, 16) + sum(d, 0, 16) + udpLength + 17;
        int c = checksum(p, udp, udpLength, pseudo);
        put16(p, udp + 6, c == 0 ? 0xffff : c);
        return PooledByteBufAllocator.DEFAULT.directBuffer(p.length).writeBytes(p);
    }

    /** An ICMP echo request (type 8) with identifier, sequence and {@code payloadLength} bytes {@code seed + i}. */
    public static ByteBuf icmpEcho4(String src, String dst, int identifier, int sequence, int payloadLength, int seed) {
        byte[] s = v4(src);
        byte[] d = v4(dst);
        int icmpLength = 8 + payloadLength;
        int total = IPV4_HEADER + icmpLength;
        byte[] p = new byte[total];
        p[0] = 0x45;
        put16(p, 2, total);
        put16(p, 4, sequence & 0xffff);
        p[8] = 64;
        p[9] = 1; // ICMP
        System.arraycopy(s, 0, p, 12, 4);
        System.arraycopy(d, 0, p, 16, 4);
        put16(p, 10, checksum(p, 0, IPV4_HEADER, 0));
        int icmp = IPV4_HEADER;
        p[icmp] = 8; // echo request
        put16(p, icmp + 4, identifier);
        put16(p, icmp + 6, sequence);
        for (int i = 0; i < payloadLength; i++) {
            p[icmp + 8 + i] = (byte) (seed + i);
        }
        put16(p, icmp + 2, checksum(p, icmp, icmpLength, 0));
        return PooledByteBufAllocator.DEFAULT.directBuffer(total).writeBytes(p);
    }

    /** Whether the Internet checksum over {@code len} bytes of {@code p} at {@code off} verifies (sums to zero). */
    public static boolean checksumOk(byte[] p, int off, int len) {
        return checksum(p, off, len, 0) == 0;
    }

    /** {@code count} small distinct IPv4/UDP packets from 10.0.0.x to 192.0.2.x. */
    public static List<ByteBuf> udp4Batch(int count, int payloadLength) {
        List<ByteBuf> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(udp4("10.0.0." + (1 + i % 250), "192.0.2." + (1 + i % 250), 40000 + i, 53, payloadLength, i));
        }
        return out;
    }

    /** The readable bytes of {@code buf}, without moving its reader index. */
    public static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    /** The IPv4 identification field, which {@link #udp4} sets to the seed: tells packets apart after reordering. */
    public static int ipv4Id(ByteBuf packet) {
        return packet.getUnsignedShort(packet.readerIndex() + 4);
    }

    /** Whether the IPv4 header checksum of {@code p} verifies. */
    public static boolean ipv4HeaderChecksumOk(byte[] p) {
        return checksum(p, 0, (p[0] & 0x0f) * 4, 0) == 0;
    }

    private static int checksum(byte[] p, int off, int len, long initial) {
        long sum = initial + sum(p, off, len);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static long sum(byte[] p, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((p[off + i] & 0xff) << 8) | (p[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (p[off + len - 1] & 0xff) << 8;
        }
        return sum;
    }

    private static void put16(byte[] p, int off, int v) {
        p[off] = (byte) (v >>> 8);
        p[off + 1] = (byte) v;
    }

    private static byte[] v4(String address) {
        try {
            InetAddress a = InetAddress.getByName(address); // literals only: no DNS lookup
            if (!(a instanceof Inet4Address)) throw new IllegalArgumentException(address);
            return a.getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    private static byte[] v6(String address) {
        try {
            InetAddress a = InetAddress.getByName(address);
            if (!(a instanceof Inet6Address)) throw new IllegalArgumentException(address);
            return a.getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
