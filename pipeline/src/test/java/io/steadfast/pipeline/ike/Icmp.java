package io.steadfast.pipeline.ike;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/** ICMP echo requests in IPv4, for a ping through a Child SA. */
final class Icmp {
    private Icmp() {}

    /** An echo request {@code source -> destination} with identifier and sequence number, 32 bytes of data. */
    static byte[] echoRequest(Inet4Address source, Inet4Address destination, int id, int sequence) {
        ByteBuffer icmp = ByteBuffer.allocate(8 + 32);
        icmp.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) sequence);
        for (int i = 0; i < 32; i++) icmp.put((byte) i);
        icmp.putShort(2, checksum(icmp.array(), 0, icmp.capacity()));
        ByteBuffer ip = ByteBuffer.allocate(20 + icmp.capacity());
        ip.put((byte) 0x45).put((byte) 0).putShort((short) ip.capacity()).putShort((short) id).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 1).putShort((short) 0).put(source.getAddress()).put(destination.getAddress());
        ip.putShort(10, checksum(ip.array(), 0, 20));
        ip.put(icmp.array());
        return ip.array();
    }

    /** Whether {@code packet} is an IPv4 echo reply from {@code source} with this identifier and sequence number. */
    static boolean isEchoReply(byte[] packet, Inet4Address source, int id, int sequence) {
        if (packet == null || packet.length < 28 || (packet[0] >> 4) != 4 || packet[9] != 1) return false;
        int ihl = (packet[0] & 0x0F) * 4;
        ByteBuffer b = ByteBuffer.wrap(packet);
        byte[] src = new byte[4];
        b.position(12);
        b.get(src);
        return java.util.Arrays.equals(src, source.getAddress()) && packet[ihl] == 0
                && (b.getShort(ihl + 4) & 0xFFFF) == id && (b.getShort(ihl + 6) & 0xFFFF) == sequence;
    }

    private static short checksum(byte[] data, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = data[offset + i] & 0xFF;
            int lo = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += hi << 8 | lo;
        }
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (short) ~sum;
    }
}
