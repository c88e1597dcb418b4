package io.steadfast.esp;

import java.nio.ByteBuffer;
import java.util.Random;

/** Well-formed inner packets (IPv4 with ICMP echo or UDP) and the Internet checksum, built from RFC 791/792/768. */
final class TestPackets {
    private TestPackets() {}

    static final int PROTOCOL_ICMP = 1;
    static final int PROTOCOL_UDP = 17;

    /** An IPv4 ICMP echo request src -> dst with {@code payloadLength} bytes of pattern data. */
    static byte[] icmpEcho(int src, int dst, int id, int seq, int payloadLength) {
        ByteBuffer icmp = ByteBuffer.allocate(8 + payloadLength);
        icmp.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq);
        for (int i = 0; i < payloadLength; i++) {
            icmp.put((byte) i);
        }
        icmp.putShort(2, (short) checksum(icmp.array(), 0, icmp.capacity()));
        return ipv4(src, dst, PROTOCOL_ICMP, icmp.array());
    }

    /** An IPv4 UDP datagram with checksum 0 (allowed over IPv4). */
    static byte[] udp(int src, int dst, int srcPort, int dstPort, byte[] payload) {
        ByteBuffer udp = ByteBuffer.allocate(8 + payload.length);
        udp.putShort((short) srcPort).putShort((short) dstPort).putShort((short) udp.capacity()).putShort((short) 0).put(payload);
        return ipv4(src, dst, PROTOCOL_UDP, udp.array());
    }

    /** An IPv4 header (IHL 5, TTL 64, DF clear) with a correct checksum before {@code payload}. */
    static byte[] ipv4(int src, int dst, int protocol, byte[] payload) {
        ByteBuffer ip = ByteBuffer.allocate(20 + payload.length);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) ip.capacity()).putShort((short) 0x1234).putShort((short) 0)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).putInt(src).putInt(dst).put(payload);
        ip.putShort(10, (short) checksum(ip.array(), 0, 20));
        return ip.array();
    }

    /** An IPv4 address as an int, from dotted quad. */
    static int address(String dotted) {
        String[] parts = dotted.split("\\.");
        int value = 0;
        for (String part : parts) {
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    /** RFC 1071 one's-complement checksum. */
    static int checksum(byte[] data, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length - 1; i += 2) {
            sum += ((data[offset + i] & 0xff) << 8) | (data[offset + i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (data[offset + length - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** {@code length} bytes of seeded pseudo-random data: an "inner packet" of any size. */
    static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Keying material of the right length for {@code alg}, seeded. */
    static byte[] keyMaterial(EspAlgorithm alg, long seed) {
        return random(alg.keyMaterialLength(), seed);
    }
}
