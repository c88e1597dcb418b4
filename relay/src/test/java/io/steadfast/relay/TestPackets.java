package io.steadfast.relay;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Reference packets built on byte arrays straight from RFC 791 / 768 / 792 / 1071 / 2003, independent of
 * the code under test: IPv4 headers, UDP, ICMP, IP-in-IP, and the Internet checksum.
 */
final class TestPackets {
    private TestPackets() {}

    /** Spare room the TUN channel leaves before and after each packet. */
    static final int TUN_ROOM = 64;
    /** An experimental protocol number (RFC 3692): payloads of any length and content. */
    static final int PROTOCOL_EXPERIMENT = 253;

    /** An IPv4 address as an int, from dotted quad. */
    static int address(String dotted) {
        String[] parts = dotted.split("\\.");
        int value = 0;
        for (String part : parts) {
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    /** An IPv4 packet with all header fields given; IHL 5; correct checksum. */
    static byte[] ipv4(int src, int dst, int protocol, int tos, int id, int flagsAndOffset, int ttl, byte[] payload) {
        ByteBuffer ip = ByteBuffer.allocate(20 + payload.length);
        ip.put((byte) 0x45).put((byte) tos).putShort((short) ip.capacity()).putShort((short) id).putShort((short) flagsAndOffset)
                .put((byte) ttl).put((byte) protocol).putShort((short) 0).putInt(src).putInt(dst).put(payload);
        ip.putShort(10, (short) checksum(ip.array(), 0, 20));
        return ip.array();
    }

    /** An IPv4 packet (TOS 0, id 0x1234, DF clear, TTL 64). */
    static byte[] ipv4(int src, int dst, int protocol, byte[] payload) {
        return ipv4(src, dst, protocol, 0, 0x1234, 0, 64, payload);
    }

    /** An IPv4 packet of exactly {@code totalLength} bytes (at least 20) with seeded random payload. */
    static byte[] ipv4OfLength(int src, int dst, int totalLength, long seed) {
        return ipv4(src, dst, PROTOCOL_EXPERIMENT, random(totalLength - 20, seed));
    }

    /** An IPv4 ICMP echo request with {@code payloadLength} bytes of pattern data. */
    static byte[] icmpEcho(int src, int dst, int id, int seq, int payloadLength) {
        ByteBuffer icmp = ByteBuffer.allocate(8 + payloadLength);
        icmp.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq);
        for (int i = 0; i < payloadLength; i++) {
            icmp.put((byte) i);
        }
        icmp.putShort(2, (short) checksum(icmp.array(), 0, icmp.capacity()));
        return ipv4(src, dst, Relay.PROTOCOL_ICMP, icmp.array());
    }

    /** An IPv4/UDP datagram with a correct UDP checksum (TOS 0, id 0, DF set, TTL 64). */
    static byte[] udp(int src, int dst, int srcPort, int dstPort, byte[] payload) {
        ByteBuffer udp = ByteBuffer.allocate(8 + payload.length);
        udp.putShort((short) srcPort).putShort((short) dstPort).putShort((short) udp.capacity()).putShort((short) 0).put(payload);
        int checksum = udpChecksum(src, dst, udp.array());
        udp.putShort(6, (short) (checksum == 0 ? 0xFFFF : checksum));
        return ipv4(src, dst, Relay.PROTOCOL_UDP, 0, 0, Relay.IPV4_FLAG_DF, 64, udp.array());
    }

    /** The UDP checksum of a datagram (with its checksum field as it is) under the RFC 768 pseudo header. */
    static int udpChecksum(int src, int dst, byte[] datagram) {
        ByteBuffer pseudo = ByteBuffer.allocate(12 + datagram.length);
        pseudo.putInt(src).putInt(dst).put((byte) 0).put((byte) Relay.PROTOCOL_UDP).putShort((short) datagram.length).put(datagram);
        return checksum(pseudo.array(), 0, pseudo.capacity());
    }

    /** RFC 2003 by hand: the outer header (TOS and DF copied, the given id, TTL 64, protocol 4) before {@code inner}. */
    static byte[] ipip(int outerSrc, int outerDst, int id, byte[] inner) {
        int tos = inner[1] & 0xff;
        int df = ((inner[6] & 0xff) << 8) & Relay.IPV4_FLAG_DF;
        return ipv4(outerSrc, outerDst, Relay.PROTOCOL_IPIP, tos, id, df, 64, inner);
    }

    /** An ICMP "fragmentation needed" from {@code router} to {@code dst} quoting the first 28 bytes of {@code original}. */
    static byte[] fragmentationNeeded(int router, int dst, int nextHopMtu, byte[] original) {
        int quoted = Math.min(original.length, 28);
        ByteBuffer icmp = ByteBuffer.allocate(8 + quoted);
        icmp.put((byte) 3).put((byte) 4).putShort((short) 0).putShort((short) 0).putShort((short) nextHopMtu).put(original, 0, quoted);
        icmp.putShort(2, (short) checksum(icmp.array(), 0, icmp.capacity()));
        return ipv4(router, dst, Relay.PROTOCOL_ICMP, icmp.array());
    }

    /** RFC 1071 one's-complement checksum of {@code length} bytes at {@code offset}. */
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

    /** Re-computes the IPv4 header checksum of the header at {@code offset} in place, after a test changed a field. */
    static byte[] fixChecksum(byte[] packet, int offset) {
        int headerLength = (packet[offset] & 0x0f) * 4;
        packet[offset + 10] = 0;
        packet[offset + 11] = 0;
        int checksum = checksum(packet, offset, Math.max(20, headerLength));
        packet[offset + 10] = (byte) (checksum >>> 8);
        packet[offset + 11] = (byte) checksum;
        return packet;
    }

    /** {@code length} bytes of seeded pseudo-random data. */
    static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A 32-byte key, seeded. */
    static byte[] key(long seed) {
        return random(32, seed ^ 0x5eed);
    }

    static int u16(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 8) | (b[offset + 1] & 0xff);
    }

    static int u32(byte[] b, int offset) {
        return ByteBuffer.wrap(b, offset, 4).getInt();
    }
}
