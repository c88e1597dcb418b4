package io.steadfast.handlers.experiment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A minimal reader for classic libpcap files, written from the format description, for checking captures. */
final class PcapReader {
    private PcapReader() {}

    record Header(ByteOrder order, int magic, int versionMajor, int versionMinor, int thisZone, int sigFigs,
            int snapLength, int linkType) {}

    record Packet(long seconds, long micros, int includedLength, int originalLength, byte[] data) {}

    record Capture(Header header, List<Packet> packets) {}

    static Capture read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        if (in.remaining() < 24) {
            throw new IOException("pcap file too short for a header: " + in.remaining() + " bytes");
        }
        in.order(ByteOrder.LITTLE_ENDIAN);
        int magic = in.getInt(0);
        if (magic != 0xa1b2c3d4) {
            in.order(ByteOrder.BIG_ENDIAN);
            magic = in.getInt(0);
            if (magic != 0xa1b2c3d4) {
                throw new IOException("not a microsecond pcap file: magic " + Integer.toHexString(magic));
            }
        }
        in.position(4);
        Header header = new Header(in.order(), magic, Short.toUnsignedInt(in.getShort()),
                Short.toUnsignedInt(in.getShort()), in.getInt(), in.getInt(), in.getInt(), in.getInt());
        List<Packet> packets = new ArrayList<>();
        while (in.hasRemaining()) {
            if (in.remaining() < 16) {
                throw new IOException("truncated record header at offset " + in.position());
            }
            long sec = Integer.toUnsignedLong(in.getInt());
            long usec = Integer.toUnsignedLong(in.getInt());
            int incl = in.getInt();
            int orig = in.getInt();
            if (incl < 0 || incl > in.remaining()) {
                throw new IOException("record of " + incl + " bytes runs past the end at offset " + in.position());
            }
            byte[] data = new byte[incl];
            in.get(data);
            packets.add(new Packet(sec, usec, incl, orig, data));
        }
        return new Capture(header, packets);
    }
}
