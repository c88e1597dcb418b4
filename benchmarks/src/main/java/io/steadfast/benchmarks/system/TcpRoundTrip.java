package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.InNetns;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TCP round trip of small messages, one at a time over one connection with TCP_NODELAY on both ends: an echo
 * server in one namespace (answered by threads of this JVM), a client connection from another. Each message
 * carries its sequence number and the echo must return it intact; TCP loses nothing, so an answer missing
 * for {@value #TIMEOUT_MS} ms means the path is broken.
 *
 * <pre>{@code
 * try (TcpRoundTrip.Echo echo = TcpRoundTrip.Echo.start("sft-1-ab-s", new InetSocketAddress("10.2.0.2", 7008))) {
 *     RoundTrip r = TcpRoundTrip.measure("sft-1-ab-c", echo.address(), 64, 200, 2000);
 * }
 * }</pre>
 */
final class TcpRoundTrip {
    static final int TIMEOUT_MS = 2000;

    private TcpRoundTrip() {}

    /** The echo: a listening socket inside a namespace; each accepted connection gets a thread sending every byte back. */
    static final class Echo implements AutoCloseable {
        private final ServerSocket listener;
        private final Thread acceptor;
        private final List<Socket> connections = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private volatile boolean running = true;

        private Echo(ServerSocket listener) {
            this.listener = listener;
            this.acceptor = Thread.ofPlatform().name("tcp-echo-accept").daemon().unstarted(this::accept);
        }

        static Echo start(String netns, InetSocketAddress bind) throws Exception {
            ServerSocket listener = InNetns.call(netns, () -> {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(bind);
                return s;
            });
            Echo echo = new Echo(listener);
            echo.acceptor.start();
            return echo;
        }

        InetSocketAddress address() {
            return (InetSocketAddress) listener.getLocalSocketAddress();
        }

        private void accept() {
            while (running) {
                try {
                    Socket s = listener.accept();
                    s.setTcpNoDelay(true);
                    connections.add(s);
                    threads.add(Thread.ofPlatform().name("tcp-echo").daemon().start(() -> echo(s)));
                } catch (IOException e) {
                    if (running) System.err.println("tcp echo: " + e);
                    return;
                }
            }
        }

        private void echo(Socket s) {
            byte[] buffer = new byte[4096];
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) out.write(buffer, 0, n);
            } catch (IOException e) {
                if (running) System.err.println("tcp echo connection: " + e);
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            running = false;
            listener.close();
            for (Socket s : connections) s.close();
            acceptor.join(2000);
            for (Thread t : threads) t.join(2000);
        }
    }

    /** Connects from namespace {@code netns} and sends {@code warmup} then {@code count} messages of {@code size} bytes, one at a time. */
    static RoundTrip measure(String netns, InetSocketAddress echo, int size, int warmup, int count) throws Exception {
        if (size < Long.BYTES) throw new IllegalArgumentException("messages need at least 8 bytes");
        try (Socket socket = InNetns.call(netns, () -> {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(echo, TIMEOUT_MS);
            return s;
        })) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] request = new byte[size];
            byte[] reply = new byte[size];
            long[] nanos = new long[count];
            for (long seq = 0; seq < warmup + count; seq++) {
                ByteBuffer.wrap(request).putLong(0, seq);
                long start = System.nanoTime();
                out.write(request);
                try {
                    in.readFully(reply);
                } catch (SocketTimeoutException e) {
                    throw new IOException("TCP message " + seq + " to " + echo + " got no answer in " + TIMEOUT_MS + " ms: the path is broken");
                }
                long elapsed = System.nanoTime() - start;
                if (ByteBuffer.wrap(reply).getLong(0) != seq) throw new IOException("TCP echo returned message " + ByteBuffer.wrap(reply).getLong(0) + " for " + seq);
                if (seq >= warmup) nanos[(int) (seq - warmup)] = elapsed;
            }
            return RoundTrip.of(nanos, count, 0);
        }
    }
}
