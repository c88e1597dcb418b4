package io.steadfast.pipeline.testbed;

import io.steadfast.handlers.tun.InNetns;
import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One TCP transfer from a server in one namespace to a client in another: the server sends {@code bytes} of
 * seeded pseudo-random data and closes; the client, bound to a chosen address (S, or V without a relay),
 * reads to the end. Both sides hash what they moved (SHA-256), and the client records its progress and the
 * largest gap between two reads, the outage a user would see. Runs on two platform threads of its own.
 *
 * <pre>{@code
 * try (TcpTransfer t = TcpTransfer.start(server, "10.2.0.2", 5001, client, "10.9.0.1", 100 << 20, 1)) {
 *     TcpTransfer.Result r = t.await(Duration.ofSeconds(60));
 *     assert r.intact();
 * }
 * }</pre>
 */
public final class TcpTransfer implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    private static final int READ_TIMEOUT_MS = 60_000;
    private static final long MAX_BURST_NANOS = 50_000_000L;

    private final long bytes;
    private final ServerSocket listener;
    private final Socket socket;
    private final CountDownLatch done = new CountDownLatch(2);
    private volatile long received;
    private volatile long lastReadNanos;
    private volatile long largestGapNanos;
    private volatile String sentDigest;
    private volatile String receivedDigest;
    private volatile String serverError;
    private volatile String clientError;

    private TcpTransfer(long bytes, ServerSocket listener, Socket socket) {
        this.bytes = bytes;
        this.listener = listener;
        this.socket = socket;
    }

    /**
     * Listens in {@code server} on {@code serverAddress:port}, connects from {@code client} bound to
     * {@code clientAddress}, and starts moving {@code bytes} of data made from {@code seed}.
     */
    public static TcpTransfer start(Netns server, String serverAddress, int port, Netns client, String clientAddress,
                                    long bytes, long seed) throws Exception {
        return start(server, serverAddress, port, client, clientAddress, bytes, seed, 0);
    }

    /**
     * As {@link #start(Netns, String, int, Netns, String, long, long)}, the server sending at most
     * {@code bytesPerSecond} (0: no limit); after a stall it catches up by at most 50 ms worth of data.
     */
    public static TcpTransfer start(Netns server, String serverAddress, int port, Netns client, String clientAddress,
                                    long bytes, long seed, long bytesPerSecond) throws Exception {
        ServerSocket listener = InNetns.call(server.name(), () -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(serverAddress, port));
            return s;
        });
        Socket socket;
        try {
            socket = InNetns.call(client.name(), () -> {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(clientAddress, 0));
                s.connect(new InetSocketAddress(serverAddress, port), 10_000);
                s.setSoTimeout(READ_TIMEOUT_MS);
                return s;
            });
        } catch (Exception e) {
            listener.close();
            throw new IOException("cannot connect from " + clientAddress + " in " + client.name() + " to " + serverAddress + ":" + port
                    + ": " + e.getMessage(), e);
        }
        TcpTransfer t = new TcpTransfer(bytes, listener, socket);
        Thread.ofPlatform().daemon().name("transfer-send-" + port).start(() -> t.send(seed, bytesPerSecond));
        Thread.ofPlatform().daemon().name("transfer-receive-" + port).start(t::receive);
        return t;
    }

    private void send(long seed, long bytesPerSecond) {
        try (Socket s = listener.accept(); OutputStream out = s.getOutputStream()) {
            MessageDigest md = sha256();
            SplittableRandom random = new SplittableRandom(seed);
            byte[] chunk = new byte[CHUNK];
            long due = System.nanoTime();
            long chunkNanos = bytesPerSecond > 0 ? CHUNK * 1_000_000_000L / bytesPerSecond : 0;
            for (long left = bytes; left > 0; ) {
                if (bytesPerSecond > 0) {
                    // A rate cap, not a schedule: after a stall at most MAX_BURST of catching up, as a link would allow.
                    long now = System.nanoTime();
                    due = Math.max(due + chunkNanos, now - MAX_BURST_NANOS);
                    long wait = due - now;
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int n = (int) Math.min(CHUNK, left);
                random.nextBytes(chunk);
                md.update(chunk, 0, n);
                out.write(chunk, 0, n);
                left -= n;
            }
            out.flush();
            sentDigest = HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            serverError = e.toString();
        } catch (InterruptedException e) {
            serverError = "interrupted";
            Thread.currentThread().interrupt();
        } finally {
            done.countDown();
        }
    }

    private void receive() {
        try (InputStream in = socket.getInputStream()) {
            MessageDigest md = sha256();
            byte[] buf = new byte[CHUNK];
            long last = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                long now = System.nanoTime();
                if (last != 0 && now - last > largestGapNanos) largestGapNanos = now - last;
                last = now;
                lastReadNanos = now;
                md.update(buf, 0, n);
                received += n;
            }
            receivedDigest = HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            clientError = e.toString();
        } finally {
            done.countDown();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes the client has read so far. */
    public long received() {
        return received;
    }

    /** {@link System#nanoTime()} of the client's last read with data, 0 before the first. */
    public long lastReadNanos() {
        return lastReadNanos;
    }

    /** Waits until {@code received() >= count} or the timeout passes; true if reached. */
    public boolean awaitReceived(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received < count) {
            if (System.nanoTime() > deadline || done.getCount() == 0) return received >= count;
            Thread.sleep(5);
        }
        return true;
    }

    /** Waits for both ends to finish, at most {@code timeout}; the result says how far it got. */
    public Result await(Duration timeout) throws InterruptedException {
        boolean finished = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return result(finished);
    }

    /** What happened so far, without waiting. */
    public Result result(boolean finished) {
        return new Result(bytes, received, finished, sentDigest, receivedDigest, serverError, clientError,
                Duration.ofNanos(largestGapNanos));
    }

    /** Aborts the transfer (closes both sockets); no-op when done. */
    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            listener.close();
        }
    }

    /**
     * How a transfer went.
     *
     * @param expected       bytes the server was to send
     * @param received       bytes the client read
     * @param finished       both ends are done (completed or failed)
     * @param sentDigest     SHA-256 of what the server sent, null unless it sent everything
     * @param receivedDigest SHA-256 of what the client read, null unless it saw the end of the stream
     * @param serverError    the server's I/O error, null if none
     * @param clientError    the client's I/O error (a reset, a timeout), null if none
     * @param largestGap     the longest time between two reads with data
     */
    public record Result(long expected, long received, boolean finished, String sentDigest, String receivedDigest,
                         String serverError, String clientError, Duration largestGap) {

        /** Everything arrived, ended normally, and the digests match. */
        public boolean intact() {
            return finished && received == expected && serverError == null && clientError == null
                    && sentDigest != null && sentDigest.equals(receivedDigest);
        }

        @Override
        public String toString() {
            return received + " of " + expected + " bytes" + (finished ? "" : ", unfinished")
                    + (intact() ? ", intact" : ", sha256 sent " + sentDigest + " received " + receivedDigest)
                    + (serverError != null ? ", server: " + serverError : "") + (clientError != null ? ", client: " + clientError : "")
                    + ", largest gap " + largestGap.toMillis() + " ms";
        }
    }
}
