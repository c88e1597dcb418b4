package io.steadfast.handlers.offload;

import static io.steadfast.handlers.offload.OffloadPackets.ACK;
import static io.steadfast.handlers.offload.OffloadPackets.PSH;
import static io.steadfast.handlers.offload.OffloadPackets.SYN;
import static io.steadfast.handlers.offload.OffloadPackets.concat;
import static io.steadfast.handlers.offload.OffloadPackets.direct;
import static io.steadfast.handlers.offload.OffloadPackets.get16;
import static io.steadfast.handlers.offload.OffloadPackets.readable;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.steadfast.handlers.offload.OffloadPackets.RecordingAllocator;
import io.steadfast.handlers.offload.OffloadPackets.Tcp;
import io.steadfast.handlers.testing.RootTests;
import io.steadfast.handlers.tun.InNetns;
import io.steadfast.handlers.tun.Netns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Against the real kernel: in a namespace of its own, a TUN with IFF_VNET_HDR and TUNSETOFFLOAD(CSUM|TSO4)
 * carries a TCP connection whose far end this test plays by hand. What the kernel sends splits into valid
 * segments (and does come as GSO_TCPV4); what the coalescer writes the kernel takes as one GSO write and
 * delivers to the socket. Needs root: skipped without it, failed under CI=true.
 */
class TcpSegmenterKernelTest {
    private static final byte[] LOCAL = {10, 77, 0, 1};
    private static final byte[] PEER = {10, 77, 0, 2};
    private static final int PEER_PORT = 5201;
    private static final int MSS = 1000;
    private static final int PEER_ISN = 0x70000000;
    private static final long TIMEOUT_NANOS = 20_000_000_000L;

    private final RecordingAllocator alloc = new RecordingAllocator();

    @Test
    void aTcpFlowThroughAnOffloadingTunSplitsAndCoalesces() throws Exception {
        RootTests.requireRootAndNetns();
        try (Netns ns = Netns.create("offload")) {
            TunFfm tun = InNetns.call(ns.name(), () -> new TunFfm("sfo%d"));
            SocketChannel socket = null;
            try {
                ns.run("ip", "addr", "add", "10.77.0.1/24", "dev", tun.name);
                ns.run("ip", "link", "set", tun.name, "up");
                socket = InNetns.call(ns.name(), () -> {
                    SocketChannel c = SocketChannel.open();
                    c.configureBlocking(false);
                    c.connect(new InetSocketAddress("10.77.0.2", PEER_PORT));
                    return c;
                });
                long deadline = System.nanoTime() + TIMEOUT_NANOS;

                // The SYN comes as GSO_NONE with NEEDS_CSUM (TUN_F_CSUM): the completed checksum verifies.
                byte[] syn = splitOne(nextTcpFrame(tun, deadline));
                assertThat(syn[33] & SYN).isEqualTo(SYN);
                int localPort = get16(syn, 20);
                int localIsn = OffloadPackets.get16(syn, 24) << 16 | get16(syn, 26);
                tun.write(concat(new byte[10], peer(localPort).seq(PEER_ISN).ack(localIsn + 1).flags(SYN | ACK)
                        .options(new byte[] {2, 4, (byte) (MSS >>> 8), (byte) MSS}).build()));
                while (!socket.finishConnect()) {
                    assertThat(System.nanoTime()).as("connected in time").isLessThan(deadline);
                    Thread.sleep(1);
                }

                int localNext = receivesWhatTheSocketSends(tun, socket, localPort, localIsn + 1, deadline);
                deliversWhatTheCoalescerWrites(tun, socket, localPort, localNext, deadline);
            } finally {
                if (socket != null) socket.close();
                tun.close();
            }
        }
        assertThat(alloc.allReleased()).isTrue();
    }

    /**
     * The kernel's data comes as GSO_TCPV4 super-packets whose segments verify and carry the bytes in order;
     * returns the sequence number after them.
     */
    private int receivesWhatTheSocketSends(TunFfm tun, SocketChannel socket, int localPort, int firstSeq, long deadline)
            throws Exception {
        byte[] data = OffloadPackets.pattern(200_000, 5);
        ByteBuffer toSend = ByteBuffer.wrap(data);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int next = firstSeq;
        int gsoFrames = 0;
        while (received.size() < data.length) {
            assertThat(System.nanoTime()).as("all data in time (%d bytes so far)", received.size()).isLessThan(deadline);
            if (toSend.hasRemaining()) socket.write(toSend);
            byte[] frame = tun.read();
            if (frame == null || !isTcpFrom(frame, LOCAL)) {
                if (frame == null) Thread.sleep(1);
                continue;
            }
            int gsoType = frame[1] & 0x7f;
            List<byte[]> segments = split(frame);
            if (gsoType == VirtioNetHeader.GSO_TCPV4) {
                gsoFrames++;
                assertThat(VirtioNetHeader.gsoSize(direct(frame), 0)).isEqualTo(MSS);
                assertThat(segments.size()).isGreaterThan(1);
            } else {
                assertThat(gsoType).isEqualTo(VirtioNetHeader.GSO_NONE);
            }
            for (byte[] s : segments) {
                assertThat(OffloadPackets.ipv4HeaderOk(s)).isTrue();
                assertThat(OffloadPackets.transportChecksumOk(s)).isTrue();
                assertThat(get16(s, 2)).isEqualTo(s.length);
                int headers = 20 + ((s[32] & 0xff) >>> 4) * 4;
                assertThat(s.length - headers).isLessThanOrEqualTo(MSS);
                int seq = get16(s, 24) << 16 | get16(s, 26);
                if (seq == next && s.length > headers) {
                    received.write(s, headers, s.length - headers);
                    next += s.length - headers;
                }
            }
            tun.write(concat(new byte[10], peer(localPort).seq(PEER_ISN + 1).ack(next).window(65535).build()));
        }
        assertThat(received.toByteArray()).isEqualTo(data);
        assertThat(gsoFrames).as("super-packets the kernel sent").isPositive();
        return next;
    }

    /** Twenty in-order segments coalesce into one GSO write that the kernel takes and the socket reads. */
    private void deliversWhatTheCoalescerWrites(TunFfm tun, SocketChannel socket, int localPort, int ack, long deadline)
            throws Exception {
        List<Tcp> segments = new ArrayList<>();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++) {
            Tcp t = peer(localPort).seq(PEER_ISN + 1 + i * MSS).ack(ack).window(65535).payload(MSS, 100 + i)
                    .flags(i == 19 ? ACK | PSH : ACK).id(i);
            segments.add(t);
            expected.write(t.payload);
        }
        ByteBuf[] packets = segments.stream().map(t -> direct(t.build())).toArray(ByteBuf[]::new);
        ByteBuf out = OffloadPackets.plainDirect(VirtioNetHeader.SIZE + 65535);
        int consumed = TcpCoalescer.coalesce(packets, 0, packets.length, out);
        assertThat(consumed).isEqualTo(20);
        tun.write(readable(out));
        ByteBuffer in = ByteBuffer.allocate(20 * MSS);
        while (in.hasRemaining()) {
            assertThat(System.nanoTime()).as("the socket read it all in time (%d bytes)", in.position())
                    .isLessThan(deadline);
            if (socket.read(in) == 0) Thread.sleep(1);
        }
        assertThat(in.array()).isEqualTo(expected.toByteArray());
        for (ByteBuf p : packets) p.release();
        out.release();
    }

    private static Tcp peer(int localPort) {
        return Tcp.v4().addresses(PEER, LOCAL).ports(PEER_PORT, localPort);
    }

    /** The next frame carrying an IPv4 TCP packet from the local socket (IPv6 chatter and the like skipped). */
    private static byte[] nextTcpFrame(TunFfm tun, long deadline) throws IOException, InterruptedException {
        while (true) {
            assertThat(System.nanoTime()).as("a TCP packet in time").isLessThan(deadline);
            byte[] frame = tun.read();
            if (frame != null && isTcpFrom(frame, LOCAL)) return frame;
            if (frame == null) Thread.sleep(1);
        }
    }

    private static boolean isTcpFrom(byte[] frame, byte[] source) {
        return frame.length >= 10 + 40 && (frame[10] & 0xf0) == 0x40 && frame[10 + 9] == 6
                && Arrays.equals(frame, 22, 26, source, 0, 4);
    }

    private List<byte[]> split(byte[] frame) throws OffloadException {
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf in = direct(frame);
        TcpSegmenter.split(in, alloc, 64, out::add);
        List<byte[]> bytes = new ArrayList<>();
        for (ByteBuf b : out) {
            bytes.add(readable(b));
            b.release();
        }
        return bytes;
    }

    private byte[] splitOne(byte[] frame) throws OffloadException {
        List<byte[]> out = split(frame);
        assertThat(out).hasSize(1);
        byte[] p = out.get(0);
        assertThat(OffloadPackets.transportChecksumOk(p)).as("the completed checksum verifies").isTrue();
        return p;
    }
}
