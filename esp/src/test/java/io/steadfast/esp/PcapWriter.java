package io.steadfast.esp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a classic microsecond libpcap file of raw IP packets (LINKTYPE_RAW = 101), from the format's description. */
final class PcapWriter {
    private PcapWriter() {}

    static final int LINKTYPE_RAW = 101;

    static void write(Path file, List<byte[]> ipPackets) throws IOException {
        int size = 24 + ipPackets.stream().mapToInt(p -> 16 + p.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(LINKTYPE_RAW);
        int second = 1_700_000_000;
        for (byte[] packet : ipPackets) {
            out.putInt(second++).putInt(0).putInt(packet.length).putInt(packet.length).put(packet);
        }
        Files.write(file, out.array());
    }

    /** An IPv4/UDP datagram around {@code payload} (UDP checksum 0, allowed over IPv4). */
    static byte[] udp(int src, int dst, int port, byte[] payload) {
        return TestPackets.udp(src, dst, port, port, payload);
    }
}
