package io.steadfast.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a classic microsecond libpcap file of raw IPv4 packets (link type RAW, 101), one per second. */
final class PcapWriter {
    private PcapWriter() {}

    static void write(Path file, List<byte[]> packets) throws IOException {
        int size = 24 + packets.stream().mapToInt(p -> 16 + p.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        int second = 1_750_000_000;
        for (byte[] packet : packets) {
            out.putInt(second++).putInt(0).putInt(packet.length).putInt(packet.length).put(packet);
        }
        Files.write(file, out.array());
    }
}
