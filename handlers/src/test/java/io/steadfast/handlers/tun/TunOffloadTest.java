package io.steadfast.handlers.tun;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.steadfast.handlers.testing.RootTests;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two namespaces joined by a wire of two TunChannels with offloads (A: sfa0 10.78.0.1/24, B: sfb0 10.78.1.1/24,
 * each routing the other's net into its TUN; whatever one channel reads the other writes). The real kernel is
 * the peer: TCP from A arrives as TSO super-packets that the channel must cut into valid segments, and B's
 * kernel accepts only segments and coalesced super-packets whose headers and checksums are right.
 */
class TunOffloadTest {
    private static final String A = "10.78.0.1", B = "10.78.1.1";

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aTcpStreamCrossesAsSuperPacketsIntactBothWays(Transport transport) throws Exception {
        RootTests.requireRootAndNetns();
        try (Wire wire = Wire.open(transport, "tso"); var threads = Executors.newCachedThreadPool()) {
            byte[] data = new byte[8 << 20];
            new Random(7).nextBytes(data);
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
            try (ServerSocket server = InNetns.call(wire.b.name(), () -> new ServerSocket(5001, 1, InetAddress.getByName(B)))) {
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> receiveAndEcho(server, data.length), threads);
                try (Socket client = InNetns.call(wire.a.name(), () -> { // connect creates the socket: in A
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(B, 5001), 5000);
                    return s;
                })) {
                    client.setSoTimeout(20_000);
                    OutputStream out = client.getOutputStream();
                    CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> readFully(client, data.length), threads);
                    try {
                        out.write(data);
                        out.flush();
                    } catch (IOException e) {
                        try {
                            received.get(5, TimeUnit.SECONDS);
                        } catch (Exception why) {
                            e.addSuppressed(why);
                        }
                        throw e;
                    }
                    assertThat(received.get(30, TimeUnit.SECONDS)).as("SHA-256 received by B").isEqualTo(expected);
                    assertThat(echoed.get(30, TimeUnit.SECONDS)).as("SHA-256 echoed back to A").isEqualTo(expected);
                }
            }
            Map<String, Long> a = wire.counters(wire.tunA), b = wire.counters(wire.tunB);
            assertThat(a.get("rx.gso")).as("A's kernel handed over TSO super-packets").isPositive();
            assertThat(b.get("tx.gso")).as("B got coalesced super-packets").isPositive();
            assertThat(b.get("rx.gso")).as("the echo came back as super-packets too").isPositive();
            assertThat(a.get("tx.gso")).isPositive();
            assertThat(a.get("rx.packets")).as("segments delivered outnumber reads").isGreaterThan(a.get("rx.gso"));
            for (Map<String, Long> c : List.of(a, b)) {
                assertThat(c).containsEntry("rx.malformed", 0L).containsEntry("tx.errors", 0L);
            }
            assertThat(wire.b.run("nstat", "-az", "TcpExtTCPCsumErrors", "TcpInCsumErrors"))
                    .as("B's kernel found no bad TCP checksum").doesNotContainPattern("InCsumErrors\\s+[1-9]");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void udpDatagramsWithPartialChecksumsArriveWithCompletedOnes(Transport transport) throws Exception {
        RootTests.requireRootAndNetns();
        try (Wire wire = Wire.open(transport, "csum");
             DatagramSocket receiver = InNetns.call(wire.b.name(), () -> new DatagramSocket(new InetSocketAddress(B, 5002)));
             DatagramSocket sender = InNetns.call(wire.a.name(), () -> new DatagramSocket(new InetSocketAddress(A, 0)))) {
            receiver.setSoTimeout(5000);
            for (int length : new int[] {1, 7, 100, 1371, 1372}) { // 1372: the largest that fits a 1400-byte MTU
                byte[] payload = new byte[length];
                new Random(length).nextBytes(payload);
                sender.send(new DatagramPacket(payload, length, new InetSocketAddress(B, 5002)));
                DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
                receiver.receive(got); // B's kernel drops a datagram whose UDP checksum is wrong
                assertThat(java.util.Arrays.copyOf(got.getData(), got.getLength())).isEqualTo(payload);
            }
            assertThat(wire.b.run("nstat", "-az", "UdpInCsumErrors")).doesNotContainPattern("UdpInCsumErrors\\s+[1-9]");
            assertThat(wire.a.run("ping", "-c", "2", "-i", "0.2", "-W", "2", B)).contains("2 received");
        }
    }

    /** Reads {@code length} bytes from the first connection, echoes them back, returns their SHA-256. */
    private static byte[] receiveAndEcho(ServerSocket server, int length) {
        try (Socket s = server.accept()) {
            s.setSoTimeout(20_000);
            byte[] buf = new byte[length];
            new DataInputStream(s.getInputStream()).readFully(buf);
            s.getOutputStream().write(buf);
            s.getOutputStream().flush();
            s.shutdownOutput();
            return MessageDigest.getInstance("SHA-256").digest(buf);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readFully(Socket socket, int length) {
        try {
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[length];
            new DataInputStream(in).readFully(buf);
            return MessageDigest.getInstance("SHA-256").digest(buf);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes every packet read on its channel to the other channel; flushes once per read batch. */
    private static final class Cross extends ChannelInboundHandlerAdapter {
        private final Supplier<Channel> other;

        Cross(Supplier<Channel> other) {
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            other.get().write(msg, other.get().voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            other.get().flush();
        }
    }

    /** Namespaces a and b, a TUN with offloads in each, both channels on one event loop, crossed. */
    private record Wire(Netns a, Netns b, Transport.Loop loop, TunChannel tunA, TunChannel tunB) implements AutoCloseable {
        static Wire open(Transport transport, String label) throws Exception {
            Netns a = Netns.create(label + "a");
            Netns b = null;
            Transport.Loop loop = null;
            TunChannel[] tuns = new TunChannel[2];
            try {
                b = Netns.create(label + "b");
                tuns[0] = new TunChannel(InNetns.call(a.name(), () -> TunDevice.open("sfa0", true)));
                tuns[1] = new TunChannel(InNetns.call(b.name(), () -> TunDevice.open("sfb0", true)));
                InNetns.run(a.name(), () -> {
                    TunInterface.configure("sfa0", 1400, 1000, List.of(A + "/24"), List.of("10.78.1.0/24"));
                    return null;
                });
                InNetns.run(b.name(), () -> {
                    TunInterface.configure("sfb0", 1400, 1000, List.of(B + "/24"), List.of("10.78.0.0/24"));
                    return null;
                });
                tuns[0].pipeline().addLast(new Cross(() -> tuns[1]));
                tuns[1].pipeline().addLast(new Cross(() -> tuns[0]));
                loop = transport.newLoop();
                loop.group().register(tuns[0]).sync();
                loop.group().register(tuns[1]).sync();
                return new Wire(a, b, loop, tuns[0], tuns[1]);
            } catch (Throwable t) {
                for (TunChannel tun : tuns) if (tun != null && !tun.isRegistered()) tun.device().close();
                if (loop != null) loop.close();
                if (b != null) b.close();
                a.close();
                throw t;
            }
        }

        Map<String, Long> counters(TunChannel tun) throws Exception {
            return tun.eventLoop().submit(tun::counters).get(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            try {
                tunA.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                tunB.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                loop.close();
            } finally {
                try {
                    b.close();
                } finally {
                    a.close();
                }
            }
        }
    }
}
