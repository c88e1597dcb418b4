package io.steadfast.handlers.offload;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Test fixtures for the offload package, built byte by byte and independently of the main code: TCP and
 * UDP packets over IPv4 and IPv6, GSO super-packets as the kernel hands them to a TUN read, a reference
 * Internet checksum, and an allocator that remembers every buffer it gave out.
 */
final class OffloadPackets {
    private OffloadPackets() {}

    static final int TCP = 6, UDP = 17;
    static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40, CWR = 0x80;
    static final byte[] V4_A = {10, 0, 0, 1}, V4_B = {10, 0, 0, 2};
    static final byte[] V6_A = v6(1), V6_B = v6(2);
    /** TCP options NOP NOP timestamp(tsval, tsecr), 12 bytes, as Linux sends on established flows. */
    static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0x56, 0x78};

    /** A TCP segment's fields, set fluently; {@link #build} gives the IP packet with correct checksums. */
    static final class Tcp {
        int version = 4;
        byte[] src = V4_A, dst = V4_B;
        int srcPort = 40000, dstPort = 5201;
        int seq = 1000, ack = 2000, flags = ACK, window = 502;
        byte[] options = new byte[0];
        byte[] payload = new byte[0];
        int id = 0x1234, tos = 0, ttl = 64, fragment = 0x4000; // DF
        byte[] ipOptions = new byte[0];

        static Tcp v4() {
            return new Tcp();
        }

        static Tcp v6() {
            Tcp t = new Tcp();
            t.version = 6;
            t.src = V6_A;
            t.dst = V6_B;
            return t;
        }

        Tcp seq(int v) { seq = v; return this; }
        Tcp ack(int v) { ack = v; return this; }
        Tcp flags(int v) { flags = v; return this; }
        Tcp window(int v) { window = v; return this; }
        Tcp options(byte[] v) { options = v; return this; }
        Tcp payload(byte[] v) { payload = v; return this; }
        Tcp payload(int length, int seed) { payload = pattern(length, seed); return this; }
        Tcp id(int v) { id = v; return this; }
        Tcp tos(int v) { tos = v; return this; }
        Tcp ttl(int v) { ttl = v; return this; }
        Tcp fragment(int v) { fragment = v; return this; }
        Tcp ports(int s, int d) { srcPort = s; dstPort = d; return this; }
        Tcp addresses(byte[] s, byte[] d) { src = s; dst = d; return this; }
        Tcp ipOptions(byte[] v) { ipOptions = v; return this; }

        Tcp copy() {
            Tcp t = new Tcp();
            t.version = version; t.src = src; t.dst = dst; t.srcPort = srcPort; t.dstPort = dstPort;
            t.seq = seq; t.ack = ack; t.flags = flags; t.window = window; t.options = options;
            t.payload = payload; t.id = id; t.tos = tos; t.ttl = ttl; t.fragment = fragment; t.ipOptions = ipOptions;
            return t;
        }

        int ipHeaderLength() {
            return version == 4 ? 20 + ipOptions.length : 40;
        }

        int tcpHeaderLength() {
            return 20 + options.length;
        }

        /** The packet with a correct IP header checksum and TCP checksum. */
        byte[] build() {
            byte[] p = withoutTcpChecksum();
            int tcp = ipHeaderLength();
            put16(p, tcp + 16, referenceChecksum(p, tcp, p.length - tcp, pseudo(p, p.length - tcp)));
            return p;
        }

        /** The packet as Linux leaves it for CHECKSUM_PARTIAL: the TCP field holds the folded pseudo-header sum. */
        byte[] buildPartial() {
            byte[] p = withoutTcpChecksum();
            int tcp = ipHeaderLength();
            put16(p, tcp + 16, fold(pseudo(p, p.length - tcp)));
            return p;
        }

        private long pseudo(byte[] p, int tcpLength) {
            return referenceSum(src, 0, src.length) + referenceSum(dst, 0, dst.length) + TCP + tcpLength;
        }

        private byte[] withoutTcpChecksum() {
            int ip = ipHeaderLength();
            int total = ip + tcpHeaderLength() + payload.length;
            byte[] p = new byte[total];
            if (version == 4) {
                p[0] = (byte) (0x40 | (ip / 4));
                p[1] = (byte) tos;
                put16(p, 2, total);
                put16(p, 4, id);
                put16(p, 6, fragment);
                p[8] = (byte) ttl;
                p[9] = TCP;
                System.arraycopy(src, 0, p, 12, 4);
                System.arraycopy(dst, 0, p, 16, 4);
                System.arraycopy(ipOptions, 0, p, 20, ipOptions.length);
                put16(p, 10, referenceChecksum(p, 0, ip, 0));
            } else {
                p[0] = 0x60;
                put16(p, 4, total - 40);
                p[6] = TCP;
                p[7] = (byte) ttl;
                System.arraycopy(src, 0, p, 8, 16);
                System.arraycopy(dst, 0, p, 24, 16);
            }
            put16(p, ip, srcPort);
            put16(p, ip + 2, dstPort);
            put32(p, ip + 4, seq);
            put32(p, ip + 8, ack);
            p[ip + 12] = (byte) ((tcpHeaderLength() / 4) << 4);
            p[ip + 13] = (byte) flags;
            put16(p, ip + 14, window);
            System.arraycopy(options, 0, p, ip + 20, options.length);
            System.arraycopy(payload, 0, p, ip + tcpHeaderLength(), payload.length);
            return p;
        }
    }

    /** A UDP datagram over IPv4 ({@code version} 4) or IPv6 with a correct checksum; partial: the pseudo sum instead. */
    static byte[] udp(int version, byte[] payload, boolean partial) {
        int ip = version == 4 ? 20 : 40;
        int udpLength = 8 + payload.length;
        byte[] p = new byte[ip + udpLength];
        byte[] src = version == 4 ? V4_A : V6_A;
        byte[] dst = version == 4 ? V4_B : V6_B;
        if (version == 4) {
            p[0] = 0x45;
            put16(p, 2, p.length);
            p[8] = 64;
            p[9] = UDP;
            System.arraycopy(src, 0, p, 12, 4);
            System.arraycopy(dst, 0, p, 16, 4);
            put16(p, 10, referenceChecksum(p, 0, 20, 0));
        } else {
            p[0] = 0x60;
            put16(p, 4, udpLength);
            p[6] = UDP;
            p[7] = 64;
            System.arraycopy(src, 0, p, 8, 16);
            System.arraycopy(dst, 0, p, 24, 16);
        }
        put16(p, ip, 4500);
        put16(p, ip + 2, 53);
        put16(p, ip + 4, udpLength);
        System.arraycopy(payload, 0, p, ip + 8, payload.length);
        long pseudo = referenceSum(src, 0, src.length) + referenceSum(dst, 0, dst.length) + UDP + udpLength;
        int c = referenceChecksum(p, ip, udpLength, pseudo);
        put16(p, ip + 6, partial ? fold(pseudo) : c == 0 ? 0xffff : c);
        return p;
    }

    /** The 10-byte virtio header, little-endian, built by hand. */
    static byte[] vnet(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        byte[] h = new byte[10];
        h[0] = (byte) flags;
        h[1] = (byte) gsoType;
        putLe16(h, 2, hdrLen);
        putLe16(h, 4, gsoSize);
        putLe16(h, 6, csumStart);
        putLe16(h, 8, csumOffset);
        return h;
    }

    /** What a TUN read gives for a TSO super-packet: the GSO virtio header and the partial-checksum packet. */
    static byte[] gso(Tcp whole, int gsoSize) {
        int type = (whole.version == 4 ? 1 : 4) | ((whole.flags & CWR) != 0 ? 0x80 : 0);
        byte[] p = whole.buildPartial();
        return concat(vnet(1, type, p.length, gsoSize, whole.ipHeaderLength(), 16), p);
    }

    /** The segments tcp_gso_segment would make of {@code whole}, with full checksums. */
    static List<byte[]> expectedSegments(Tcp whole, int gsoSize) {
        List<byte[]> out = new ArrayList<>();
        int n = Math.max(1, (whole.payload.length + gsoSize - 1) / gsoSize);
        for (int i = 0; i < n; i++) {
            int from = i * gsoSize;
            int to = Math.min(whole.payload.length, from + gsoSize);
            int flags = whole.flags;
            if (i > 0) flags &= ~CWR;
            if (i < n - 1) flags &= ~(FIN | PSH);
            out.add(whole.copy().seq(whole.seq + from).id((whole.id + i) & 0xffff).flags(flags)
                    .payload(Arrays.copyOfRange(whole.payload, from, to)).build());
        }
        return out;
    }

    /** Reference ones' complement sum, 16 bits at a time, a trailing odd byte padded with zero. */
    static long referenceSum(byte[] p, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i++) {
            sum += (i % 2 == 0 ? (p[off + i] & 0xff) << 8 : p[off + i] & 0xff);
        }
        return sum;
    }

    /** Reference Internet checksum of {@code len} bytes plus {@code initial}. */
    static int referenceChecksum(byte[] p, int off, int len, long initial) {
        return ~fold(initial + referenceSum(p, off, len)) & 0xffff;
    }

    static int fold(long sum) {
        while (sum > 0xffff) sum = (sum >> 16) + (sum & 0xffff);
        return (int) sum;
    }

    /** Whether the transport checksum (protocol at its place in the IP header) verifies, pseudo-header included. */
    static boolean transportChecksumOk(byte[] p) {
        int version = (p[0] & 0xff) >>> 4;
        int ip = version == 4 ? (p[0] & 0x0f) * 4 : 40;
        int protocol = version == 4 ? p[9] : p[6];
        int srcAt = version == 4 ? 12 : 8;
        int addrLen = version == 4 ? 8 : 32;
        long pseudo = referenceSum(p, srcAt, addrLen) + protocol + (p.length - ip);
        return referenceChecksum(p, ip, p.length - ip, pseudo) == 0;
    }

    static boolean ipv4HeaderOk(byte[] p) {
        return referenceChecksum(p, 0, (p[0] & 0x0f) * 4, 0) == 0;
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (seed * 31 + i * 7 + (i >>> 8));
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /**
     * A direct buffer holding {@code b}, around an NIO buffer: no leak-detection wrapper, which the build runs
     * paranoid, recording a stack trace on every access and making the large property tests slow.
     */
    static ByteBuf direct(byte[] b) {
        return plainDirect(b.length).writeBytes(b);
    }

    /** An empty direct buffer of {@code capacity} bytes without a leak-detection wrapper. */
    static ByteBuf plainDirect(int capacity) {
        return Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(capacity)).clear();
    }

    static byte[] readable(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    static int get16(byte[] p, int off) {
        return ((p[off] & 0xff) << 8) | (p[off + 1] & 0xff);
    }

    static void put16(byte[] p, int off, int v) {
        p[off] = (byte) (v >>> 8);
        p[off + 1] = (byte) v;
    }

    static void put32(byte[] p, int off, int v) {
        put16(p, off, v >>> 16);
        put16(p, off + 2, v);
    }

    private static void putLe16(byte[] p, int off, int v) {
        p[off] = (byte) v;
        p[off + 1] = (byte) (v >>> 8);
    }

    private static byte[] v6(int last) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xfd;
        a[1] = 0x5f;
        a[15] = (byte) last;
        return a;
    }

    /** An unpooled allocator that keeps every buffer it allocated, to check they were all released. */
    static final class RecordingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> allocated = new ArrayList<>();

        RecordingAllocator() {
            super(true);
        }

        @Override
        public ByteBuf directBuffer(int initialCapacity) {
            return keep(plainDirect(initialCapacity)); // see direct(): no leak-detection wrapper
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return keep(UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return keep(UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity));
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        private ByteBuf keep(ByteBuf b) {
            allocated.add(b);
            return b;
        }

        /** Whether every buffer handed out has been released. */
        boolean allReleased() {
            return allocated.stream().allMatch(b -> b.refCnt() == 0);
        }
    }
}
