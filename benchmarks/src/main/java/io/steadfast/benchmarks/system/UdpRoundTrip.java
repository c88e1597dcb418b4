package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.InNetns;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * UDP round trip of small messages, one at a time: an echo socket in one namespace (answered by a thread of
 * this JVM), a client socket in another. Each message carries its sequence number; a late answer to an
 * earlier message is skipped, a message without answer within a second counts as lost.
 *
 * <pre>{@code
 * try (UdpRoundTrip.Echo echo = UdpRoundTrip.Echo.start("sft-1-ab-s", new InetSocketAddress("10.2.0.2", 7007))) {
 *     RoundTrip r = UdpRoundTrip.measure("sft-1-ab-c", echo.address(), 64, 200, 2000);
 * }
 * }</pre>
 */
final class UdpRoundTrip {
    private static final int TIMEOUT_MS = 1000;
    private static final int MAX_LOST = 50;

    private UdpRoundTrip() {}

    /** The echo: a socket bound inside a namespace and a thread sending every datagram back. */
    static final class Echo implements AutoCloseable {
        private final DatagramSocket socket;
        private final Thread thread;
        private volatile boolean running = true;

        private Echo(DatagramSocket socket) {
            this.socket = socket;
            this.thread = Thread.ofPlatform().name("udp-echo").daemon().unstarted(this::loop);
        }

        static Echo start(String netns, InetSocketAddress bind) throws Exception {
            DatagramSocket socket = InNetns.call(netns, () -> new DatagramSocket(bind));
            socket.setSoTimeout(200);
            Echo echo = new Echo(socket);
            echo.thread.start();
            return echo;
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        private void loop() {
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            while (running) {
                try {
                    packet.setLength(2048);
                    socket.receive(packet);
                    socket.send(packet); // back to the sender's address
                } catch (SocketTimeoutException e) {
                    // look at the running flag again
                } catch (IOException e) {
                    if (running) System.err.println("udp echo: " + e);
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            socket.close();
            thread.join(2000);
        }
    }

    /** Sends {@code warmup} then {@code count} messages of {@code size} bytes one at a time from namespace {@code netns}. */
    static RoundTrip measure(String netns, InetSocketAddress echo, int size, int warmup, int count) throws Exception {
        if (size < Long.BYTES) throw new IllegalArgumentException("messages need at least 8 bytes");
        try (DatagramSocket socket = InNetns.call(netns, () -> new DatagramSocket())) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.connect(echo);
            byte[] out = new byte[size];
            DatagramPacket request = new DatagramPacket(out, size);
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            long[] nanos = new long[count];
            int measured = 0;
            int lost = 0;
            for (long seq = 0; seq < warmup + count; seq++) {
                ByteBuffer.wrap(out).putLong(0, seq);
                long start = System.nanoTime();
                socket.send(request);
                if (awaitReply(socket, reply, seq)) {
                    if (seq >= warmup) nanos[measured++] = System.nanoTime() - start;
                } else if (++lost > MAX_LOST) {
                    throw new IOException(lost + " UDP messages to " + echo + " got no answer: the path is broken");
                }
            }
            if (measured == 0) throw new IOException("no UDP round trip completed");
            return RoundTrip.of(nanos, measured, lost);
        }
    }

    /** Receives until the answer to {@code seq} arrives (true) or a receive times out (false). */
    private static boolean awaitReply(DatagramSocket socket, DatagramPacket reply, long seq) throws IOException {
        while (true) {
            reply.setLength(2048);
            try {
                socket.receive(reply);
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (reply.getLength() >= Long.BYTES && ByteBuffer.wrap(reply.getData()).getLong(0) == seq) return true;
        }
    }
}
