package io.steadfast.handlers.tun;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ReferenceCountUtil;
import io.steadfast.handlers.basic.IcmpEchoHandler;
import io.steadfast.handlers.basic.TunReadHandler;
import io.steadfast.handlers.basic.TunWriteHandler;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.tun.Netns;
import io.steadfast.handlers.testing.RootTests;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A TunChannel on each transport, with its TUN in a namespace of its own (address 10.77.0.1/24). */
class TunChannelTest {
    private static final String DEV = "sft0";
    private static final byte[] LOCAL = {10, 77, 0, 1};  // the TUN's address, inside the namespace
    private static final byte[] PEER = {10, 77, 0, 2};   // "beyond" the TUN: the channel's side

    @ParameterizedTest
    @EnumSource(Transport.class)
    void answersPingsThroughThePipeline(Transport transport) throws Exception {
        RootTests.requireRootAndNetns();
        RootTests.requireTool("ping");
        // The product's own stages: drop IPv6 noise, answer echo requests, write the replies back.
        IcmpEchoHandler echo = new IcmpEchoHandler();
        AtomicReference<Channel> self = new AtomicReference<>();
        try (Bed bed = Bed.open(transport, "ping", TunChannel.DEFAULT_MAX_PACKET_SIZE, true,
                new TunReadHandler(TunReadHandler.Ipv6Policy.DROP), echo, new TunWriteHandler(self::get))) {
            self.set(bed.tun);
            String out = bed.ns.run("ping", "-c", "3", "-i", "0.2", "-W", "1", "10.77.0.2");

            assertThat(out).contains("3 packets transmitted, 3 received");
            assertThat(bed.onLoop(() -> echo.counters().get("answered"))).isEqualTo(3L);
            Map<String, Long> c = bed.counters();
            assertThat(c).containsOnlyKeys("rx.packets", "rx.bytes", "rx.truncated",
                    "tx.packets", "tx.bytes", "tx.dropped", "tx.errors");
            assertThat(c.get("rx.packets")).isGreaterThanOrEqualTo(3); // plus whatever IPv6 noise the kernel sends
            assertThat(c.get("rx.bytes")).isGreaterThanOrEqualTo(3 * 84);
            assertThat(c).containsEntry("rx.truncated", 0L).containsEntry("tx.packets", 3L)
                    .containsEntry("tx.bytes", 3 * 84L).containsEntry("tx.dropped", 0L).containsEntry("tx.errors", 0L);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void countsPacketsAndDropsThoseLongerThanMaxPacketSize(Transport transport) throws Exception {
        RootTests.requireRootAndNetns();
        Collector collector = new Collector();
        try (Bed bed = Bed.open(transport, "count", 256, true, collector);
             DatagramSocket socket = bed.socket(0)) {
            for (int payload : new int[] {100, 1000, 100, 228, 1000, 100}) {
                socket.send(new DatagramPacket(new byte[payload], payload, new InetSocketAddress("10.77.0.2", 9)));
            }

            List<Integer> lengths = new ArrayList<>();
            for (int i = 0; i < 4; i++) lengths.add(collector.nextUdp().length);
            assertThat(lengths).containsExactly(128, 128, 256, 128); // 20 IP + 8 UDP + payload; 256 fits exactly
            await(() -> bed.counters().get("rx.truncated") == 2, "two 1028-byte packets counted as truncated");
            Map<String, Long> c = bed.counters();
            assertThat(c.get("rx.packets")).isGreaterThanOrEqualTo(4);
            assertThat(c.get("rx.bytes")).isGreaterThanOrEqualTo(3 * 128 + 256);
            assertThat(c).containsEntry("tx.packets", 0L).containsEntry("tx.errors", 0L);
            assertThat(collector.udp).isEmpty();
            assertThat(collector.errors).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drainsABacklogLargerThanOneBatch(Transport transport) throws Exception {
        RootTests.requireRootAndNetns();
        Collector collector = new Collector();
        int packets = 500; // below the TUN's queue (txqueuelen 1000), so the kernel drops none
        try (Bed bed = Bed.open(transport, "batch", TunChannel.DEFAULT_MAX_PACKET_SIZE, 8, true, collector);
             DatagramSocket socket = bed.socket(0)) {
            byte[] payload = new byte[2];
            for (int i = 0; i < packets; i++) {
                payload[0] = (byte) (i >> 8);
                payload[1] = (byte) i;
                socket.send(new DatagramPacket(payload, 2, InetAddress.getByAddress(PEER), 9));
            }
            for (int i = 0; i < packets; i++) {
                byte[] packet = collector.nextUdp();
                assertThat(((packet[28] & 0xff) << 8) | (packet[29] & 0xff)).isEqualTo(i);
            }
            assertThat(collector.readCompletes).isGreaterThanOrEqualTo(packets / 8);
            assertThat(bed.counters().get("rx.packets")).isGreaterThanOrEqualTo(packets);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void writesHeapAndDirectBuffersAsPackets(Transport transport) throws Exception {
        RootTests.requireRootAndNetns();
        try (Bed bed = Bed.open(transport, "write", TunChannel.DEFAULT_MAX_PACKET_SIZE, true, new Collector());
             DatagramSocket socket = bed.socket(0)) {
            socket.setSoTimeout(5000);
            int port = socket.getLocalPort();

            ByteBuf heap = udp(Unpooled.buffer(), PEER, 4000, LOCAL, port, "from a heap buffer");
            assertThat(heap.hasMemoryAddress()).isFalse();
            bed.tun.writeAndFlush(heap).sync();
            assertThat(receive(socket)).isEqualTo("from a heap buffer");

            ByteBuf direct = udp(PooledByteBufAllocator.DEFAULT.directBuffer(), PEER, 4000, LOCAL, port, "direct");
            bed.tun.writeAndFlush(direct).sync();
            assertThat(receive(socket)).isEqualTo("direct");

            assertThat(bed.counters()).containsEntry("tx.packets", 2L)
                    .containsEntry("tx.bytes", (long) (28 + 18 + 28 + 6)).containsEntry("tx.errors", 0L);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void failsBadWritesWithoutStallingLaterOnes(Transport transport) throws Exception {
        RootTests.requireRootAndNetns();
        Collector collector = new Collector();
        try (Bed bed = Bed.open(transport, "badwr", TunChannel.DEFAULT_MAX_PACKET_SIZE, true, collector);
             DatagramSocket socket = bed.socket(0)) {
            socket.setSoTimeout(5000);

            ChannelFuture notABuffer = bed.tun.writeAndFlush("not a packet").await();
            assertThat(notABuffer.cause()).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("TunChannel writes IP packets as ByteBuf, one per message; got java.lang.String");

            ChannelFuture empty = bed.tun.writeAndFlush(Unpooled.EMPTY_BUFFER).await();
            assertThat(empty.cause()).isInstanceOf(IOException.class)
                    .hasMessage("cannot write an empty packet to TUN device sft0");

            ChannelFuture garbage = bed.tun.writeAndFlush(Unpooled.wrappedBuffer(new byte[40])).await(); // version 0
            assertThat(garbage.cause()).isInstanceOf(IOException.class).hasMessageContaining("Invalid argument");

            // Queued behind a bad one in the same flush, a good packet still goes out.
            bed.tun.write(Unpooled.wrappedBuffer(new byte[40]));
            bed.tun.writeAndFlush(udp(Unpooled.buffer(), PEER, 4000, LOCAL, socket.getLocalPort(), "still flowing"))
                    .sync();
            assertThat(receive(socket)).isEqualTo("still flowing");

            assertThat(bed.tun.isOpen()).isTrue();
            assertThat(bed.counters()).containsEntry("tx.packets", 1L).containsEntry("tx.errors", 3L)
                    .containsEntry("tx.dropped", 0L);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void withAutoReadOffReadsOnlyWhenAsked(Transport transport) throws Exception {
        RootTests.requireRootAndNetns();
        Collector collector = new Collector();
        try (Bed bed = Bed.open(transport, "noauto", TunChannel.DEFAULT_MAX_PACKET_SIZE, false, collector);
             DatagramSocket socket = bed.socket(0)) {
            for (int i = 1; i <= 3; i++) send(socket, i);
            assertThat(collector.udp.poll(300, TimeUnit.MILLISECONDS)).as("nothing read before read()").isNull();

            bed.tun.read();
            for (int i = 1; i <= 3; i++) assertThat(payloadByte(collector.nextUdp())).isEqualTo(i);
            await(() -> collector.readCompletes > 0, "the batch to end"); // a 4th packet sent sooner joins it

            send(socket, 4);
            assertThat(collector.udp.poll(300, TimeUnit.MILLISECONDS)).as("one batch per read()").isNull();
            bed.tun.read();
            assertThat(payloadByte(collector.nextUdp())).isEqualTo(4);

            bed.tun.config().setAutoRead(true);
            send(socket, 5);
            send(socket, 6);
            assertThat(payloadByte(collector.nextUdp())).isEqualTo(5);
            assertThat(payloadByte(collector.nextUdp())).isEqualTo(6);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingTheChannelRemovesTheDevice(Transport transport) throws Exception {
        RootTests.requireRootAndNetns();
        Collector collector = new Collector();
        try (Bed bed = Bed.open(transport, "close", TunChannel.DEFAULT_MAX_PACKET_SIZE, true, collector)) {
            assertThat(bed.ns.run("ip", "-o", "link", "show")).contains(DEV);
            assertThat(bed.tun.localAddress()).isEqualTo(new TunAddress(DEV));

            bed.tun.close().sync();

            assertThat(bed.tun.isOpen()).isFalse();
            assertThat(bed.tun.isActive()).isFalse();
            assertThat(bed.tun.device().fd()).isEqualTo(-1);
            await(() -> collector.inactive, "channelInactive"); // fired just after the close future completes
            await(() -> !linkListed(bed.ns), DEV + " gone from `ip -n NS link show`");
            assertThat(bed.tun.writeAndFlush(Unpooled.buffer().writeInt(0x45000000)).await().isSuccess()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void shuttingTheEventLoopDownClosesTheChannel(Transport transport) throws Exception {
        RootTests.requireRootAndNetns();
        try (Bed bed = Bed.open(transport, "shut", TunChannel.DEFAULT_MAX_PACKET_SIZE, true, new Collector())) {
            bed.loop.close();
            assertThat(bed.tun.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
            await(() -> !linkListed(bed.ns), DEV + " gone after the loop shut down");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closesItselfWhenTheDeviceIsDeletedUnderIt(Transport transport) throws Exception {
        RootTests.requireRootAndNetns();
        Collector collector = new Collector();
        try (Bed bed = Bed.open(transport, "del", TunChannel.DEFAULT_MAX_PACKET_SIZE, true, collector)) {
            bed.ns.run("ip", "link", "del", "dev", DEV);
            assertThat(bed.tun.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
            Throwable error = collector.errors.poll(5, TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(IOException.class).hasMessageContaining("TUN device sft0")
                    .hasMessageContaining("deleted");
        }
    }

    @Test
    void refusesAnEventLoopItCannotUse() throws Exception {
        RootTests.requireRootAndNetns();
        MultiThreadIoEventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (Netns ns = Netns.create("nio")) {
            TunChannel tun = new TunChannel(InNetns.call(ns.name(), () -> TunDevice.open(DEV)));
            try {
                ChannelFuture registered = nio.register(tun).await();
                assertThat(registered.cause()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("incompatible event loop");
            } finally {
                tun.device().close();
            }
        } finally {
            nio.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ---- fixtures ----

    /** A namespace with {@value #DEV} at 10.77.0.1/24 and a TunChannel registered on one transport. */
    private record Bed(Netns ns, Transport.Loop loop, TunChannel tun) implements AutoCloseable {
        static Bed open(Transport transport, String label, int maxPacketSize, boolean autoRead,
                        ChannelHandler... handlers) throws Exception {
            return open(transport, label, maxPacketSize, TunChannel.DEFAULT_MAX_PACKETS_PER_READ, autoRead, handlers);
        }

        static Bed open(Transport transport, String label, int maxPacketSize, int maxPacketsPerRead,
                        boolean autoRead, ChannelHandler... handlers) throws Exception {
            Netns ns = Netns.create(label);
            TunDevice device = null;
            Transport.Loop loop = null;
            try {
                device = InNetns.call(ns.name(), () -> TunDevice.open(DEV));
                InNetns.run(ns.name(), () -> {
                    TunInterface.configure(DEV, 1400, 1000, List.of("10.77.0.1/24"), List.of());
                    return null;
                });
                TunChannel tun = new TunChannel(device, maxPacketSize, maxPacketsPerRead);
                tun.config().setAutoRead(autoRead);
                tun.pipeline().addLast(handlers);
                loop = transport.newLoop();
                loop.group().register(tun).sync();
                return new Bed(ns, loop, tun);
            } catch (Throwable t) {
                try {
                    if (device != null) device.close();
                    if (loop != null) loop.close();
                } finally {
                    ns.close();
                }
                throw t;
            }
        }

        /** A UDP socket bound to 10.77.0.1 inside the namespace. */
        DatagramSocket socket(int port) throws Exception {
            return InNetns.call(ns.name(), () -> new DatagramSocket(new InetSocketAddress("10.77.0.1", port)));
        }

        <T> T onLoop(Callable<T> task) throws Exception {
            return tun.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
        }

        Map<String, Long> counters() throws Exception {
            return onLoop(tun::counters);
        }

        @Override
        public void close() throws IOException {
            try {
                tun.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            } finally {
                try {
                    loop.close();
                } finally {
                    ns.close();
                }
            }
        }
    }

    /** Keeps copies of the UDP packets to 10.77.0.2 (ignoring the kernel's IPv6 chatter); releases everything. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        final BlockingQueue<byte[]> udp = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        volatile boolean inactive;
        volatile int readCompletes;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf p = (ByteBuf) msg;
            try {
                int at = p.readerIndex();
                if (p.readableBytes() >= 28 && p.getByte(at) == 0x45 && p.getByte(at + 9) == 17
                        && p.getInt(at + 16) == 0x0a4d0002) {
                    udp.add(ByteBufUtil.getBytes(p));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readCompletes++;
            ctx.fireChannelReadComplete();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive = true;
            ctx.fireChannelInactive();
        }

        byte[] nextUdp() throws InterruptedException {
            byte[] packet = udp.poll(5, TimeUnit.SECONDS);
            assertThat(packet).as("a UDP packet read from the TUN").isNotNull();
            return packet;
        }
    }

    /** Writes an IPv4/UDP packet (header checksum set, UDP checksum 0 = none) into {@code buf}. */
    private static ByteBuf udp(ByteBuf buf, byte[] source, int sourcePort, byte[] destination, int destinationPort,
                               String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int start = buf.writerIndex();
        buf.writeByte(0x45).writeByte(0).writeShort(28 + payload.length)
                .writeShort(0x1234).writeShort(0x4000).writeByte(64).writeByte(17).writeShort(0)
                .writeBytes(source).writeBytes(destination);
        buf.setShort(start + 10, Ipv4.checksum(buf, start, 20));
        buf.writeShort(sourcePort).writeShort(destinationPort).writeShort(8 + payload.length).writeShort(0)
                .writeBytes(payload);
        return buf;
    }

    private static void send(DatagramSocket socket, int marker) throws IOException {
        byte[] payload = {(byte) marker};
        socket.send(new DatagramPacket(payload, 1, InetAddress.getByAddress(PEER), 9));
    }

    private static int payloadByte(byte[] packet) {
        return packet[28];
    }

    private static String receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        socket.receive(packet);
        assertThat(packet.getAddress().getAddress()).isEqualTo(PEER);
        return new String(Arrays.copyOf(packet.getData(), packet.getLength()), StandardCharsets.UTF_8);
    }

    private static boolean linkListed(Netns ns) {
        try {
            return ns.run("ip", "-o", "link", "show").contains(DEV);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CheckedCondition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(20);
        }
    }

    private interface CheckedCondition {
        boolean holds() throws Exception;
    }
}
