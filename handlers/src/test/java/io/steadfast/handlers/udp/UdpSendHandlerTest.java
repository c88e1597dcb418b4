package io.steadfast.handlers.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UdpSendHandlerTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.1", 4500);

    @Test
    void writesDatagramsToTheUdpChannelAndFlushesOncePerBatch() {
        EmbeddedChannel udp = new EmbeddedChannel();
        UdpSendHandler send = new UdpSendHandler(() -> udp, Duration.ZERO, false);
        EmbeddedChannel source = new EmbeddedChannel(send);
        source.pipeline().fireChannelRead(new DatagramPacket(Unpooled.wrappedBuffer(new byte[10]), PEER));
        source.pipeline().fireChannelRead(new DatagramPacket(Unpooled.wrappedBuffer(new byte[20]), PEER));
        assertThat(udp.outboundMessages()).isEmpty();
        source.pipeline().fireChannelReadComplete();
        assertThat(udp.outboundMessages()).hasSize(2);
        udp.finishAndReleaseAll();
        assertThat(send.counters()).containsEntry("sent", 2L).containsEntry("bytes", 30L);
    }

    @Test
    void dropsWhatIsNotADatagramAndWhatComesWhileTheSocketIsClosed() {
        EmbeddedChannel udp = new EmbeddedChannel();
        UdpSendHandler send = new UdpSendHandler(() -> udp, Duration.ZERO, false);
        EmbeddedChannel source = new EmbeddedChannel(send);
        var notDatagram = Unpooled.wrappedBuffer(new byte[4]);
        source.writeInbound(notDatagram);
        assertThat(notDatagram.refCnt()).isZero();
        udp.close();
        var d = new DatagramPacket(Unpooled.wrappedBuffer(new byte[4]), PEER);
        source.writeInbound(d);
        assertThat(d.refCnt()).isZero();
        assertThat(send.counters()).containsEntry("dropped.not-a-datagram", 1L).containsEntry("dropped.udp-closed", 1L);
    }

    @Test
    void sendsAOneByteKeepaliveToAPeerIdleForTheInterval() {
        EmbeddedChannel udp = new EmbeddedChannel();
        UdpSendHandler send = new UdpSendHandler(() -> udp, Duration.ofSeconds(20), false);
        EmbeddedChannel source = new EmbeddedChannel();
        source.freezeTime();
        source.pipeline().addLast(send);
        source.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(new byte[10]), PEER));
        ((DatagramPacket) udp.readOutbound()).release();

        source.advanceTimeBy(10, TimeUnit.SECONDS);
        source.runScheduledPendingTasks();
        assertThat((Object) udp.readOutbound()).as("not idle long enough yet").isNull();

        source.advanceTimeBy(11, TimeUnit.SECONDS);
        source.runScheduledPendingTasks();
        DatagramPacket keepalive = udp.readOutbound();
        assertThat(keepalive.recipient()).isEqualTo(PEER);
        assertThat(keepalive.content().readableBytes()).isEqualTo(1);
        assertThat(keepalive.content().getUnsignedByte(0)).isEqualTo((short) 0xff);
        keepalive.release();
        assertThat(send.counters()).containsEntry("keepalives", 1L);

        source.advanceTimeBy(10, TimeUnit.SECONDS);
        source.runScheduledPendingTasks();
        assertThat((Object) udp.readOutbound()).as("the next one after another interval").isNull();
        source.advanceTimeBy(11, TimeUnit.SECONDS);
        source.runScheduledPendingTasks();
        ((DatagramPacket) udp.readOutbound()).release();
        assertThat(send.counters()).containsEntry("keepalives", 2L);

        source.advanceTimeBy(11, TimeUnit.MINUTES);
        source.runScheduledPendingTasks();
        udp.finishAndReleaseAll();
        long before = send.counters().get("keepalives");
        source.advanceTimeBy(1, TimeUnit.MINUTES);
        source.runScheduledPendingTasks();
        assertThat(send.counters().get("keepalives")).as("a long-idle peer is forgotten").isEqualTo(before);
        source.finishAndReleaseAll();
    }

    private static final InetSocketAddress OTHER = new InetSocketAddress("192.0.2.2", 4500);

    /** A sender whose (embedded) UDP channel is taken to accept GSO sends. */
    private static UdpSendHandler gsoSender(EmbeddedChannel udp) {
        return new UdpSendHandler(() -> udp, Duration.ZERO, true, c -> true);
    }

    private static DatagramPacket datagram(int length, int fill, InetSocketAddress to) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        for (int i = 0; i < length; i++) b.writeByte(fill + i);
        return new DatagramPacket(b, to);
    }

    /** What the UDP channel got: each send as "length/segment" ("40" for a plain one, "100/20" for GSO). */
    private static List<String> sends(EmbeddedChannel udp) {
        List<String> out = new ArrayList<>();
        for (Object m; (m = udp.readOutbound()) != null; ) {
            DatagramPacket d = (DatagramPacket) m;
            out.add(d.content().readableBytes() + (d instanceof SegmentedDatagramPacket s ? "/" + s.segmentSize() : "")
                    + (d.recipient().equals(OTHER) ? "@other" : ""));
            d.release();
        }
        return out;
    }

    @Test
    void aRunOfEqualDatagramsToOnePeerLeavesAsOneGsoSendWithTheirBytesInOrder() {
        EmbeddedChannel udp = new EmbeddedChannel();
        UdpSendHandler send = gsoSender(udp);
        EmbeddedChannel source = new EmbeddedChannel(send);
        List<DatagramPacket> in = new ArrayList<>();
        for (int i = 0; i < 5; i++) in.add(datagram(100, i * 7, PEER));
        in.add(datagram(30, 99, PEER));
        StringBuilder expected = new StringBuilder();
        for (DatagramPacket d : in) expected.append(ByteBufUtil.hexDump(d.content()));
        in.forEach(source.pipeline()::fireChannelRead);
        assertThat(udp.outboundMessages()).as("nothing before the batch ends").isEmpty();
        source.pipeline().fireChannelReadComplete();

        SegmentedDatagramPacket gso = udp.readOutbound();
        assertThat(gso.segmentSize()).isEqualTo(100);
        assertThat(gso.recipient()).isEqualTo(PEER);
        assertThat(ByteBufUtil.hexDump(gso.content())).isEqualTo(expected.toString());
        gso.release();
        assertThat(in).allSatisfy(d -> assertThat(d.refCnt()).as("each original released").isZero());
        assertThat(send.counters()).containsEntry("sent", 6L).containsEntry("bytes", 530L).containsEntry("gso.sends", 1L);
        source.finishAndReleaseAll();
    }

    @Test
    void aRunEndsAtAnotherPeerALongerDatagramAndAfterAShorterOne() {
        EmbeddedChannel udp = new EmbeddedChannel();
        EmbeddedChannel source = new EmbeddedChannel(gsoSender(udp));
        int[][] batch = {{100, 0}, {100, 0}, {100, 1}, {100, 1}, {120, 1}, {120, 1}, {50, 1}, {120, 1}, {120, 0}};
        for (int[] d : batch) source.pipeline().fireChannelRead(datagram(d[0], 1, d[1] == 1 ? OTHER : PEER));
        source.pipeline().fireChannelReadComplete();
        assertThat(sends(udp)).containsExactly("200/100", "200/100@other", "290/120@other", "120@other", "120");
        source.finishAndReleaseAll();
    }

    @Test
    void aRunHoldsAtMost64DatagramsAndAtMostTheBytesOfOneUdpPayload() {
        EmbeddedChannel udp = new EmbeddedChannel();
        EmbeddedChannel source = new EmbeddedChannel(gsoSender(udp));
        for (int i = 0; i < 70; i++) source.pipeline().fireChannelRead(datagram(100, i, PEER));
        source.pipeline().fireChannelReadComplete();
        assertThat(sends(udp)).containsExactly("6400/100", "600/100");

        for (int i = 0; i < 50; i++) source.pipeline().fireChannelRead(datagram(1500, i, PEER));
        source.pipeline().fireChannelReadComplete();
        assertThat(sends(udp)).as("65507 / 1500 = 43 per send").containsExactly("64500/1500", "10500/1500");
        source.finishAndReleaseAll();
    }

    @Test
    void aLoneDatagramAndAChannelWithoutGsoGetPlainSends() {
        EmbeddedChannel udp = new EmbeddedChannel();
        EmbeddedChannel source = new EmbeddedChannel(gsoSender(udp));
        source.pipeline().fireChannelRead(datagram(100, 0, PEER));
        source.pipeline().fireChannelReadComplete();
        assertThat(sends(udp)).containsExactly("100");

        EmbeddedChannel plainUdp = new EmbeddedChannel();
        UdpSendHandler send = new UdpSendHandler(() -> plainUdp, Duration.ZERO, true); // an embedded channel: no GSO
        EmbeddedChannel plainSource = new EmbeddedChannel(send);
        for (int i = 0; i < 3; i++) plainSource.pipeline().fireChannelRead(datagram(100, i, PEER));
        plainSource.pipeline().fireChannelReadComplete();
        assertThat(sends(plainUdp)).containsExactly("100", "100", "100");
        assertThat(send.counters()).containsEntry("gso.sends", 0L).containsEntry("sent", 3L);
        source.finishAndReleaseAll();
        plainSource.finishAndReleaseAll();
    }

    @Test
    void aRunPendingWhenTheSocketClosesOrTheStageIsRemovedIsReleasedAndCounted() {
        EmbeddedChannel udp = new EmbeddedChannel();
        UdpSendHandler send = gsoSender(udp);
        EmbeddedChannel source = new EmbeddedChannel(send);
        List<DatagramPacket> in = List.of(datagram(100, 0, PEER), datagram(100, 1, PEER), datagram(100, 2, PEER));
        in.forEach(source.pipeline()::fireChannelRead);
        udp.close();
        source.pipeline().fireChannelReadComplete();
        assertThat(send.counters()).containsEntry("dropped.udp-closed", 3L).containsEntry("sent", 0L);
        assertThat(in).allSatisfy(d -> assertThat(d.refCnt()).isZero());

        EmbeddedChannel udp2 = new EmbeddedChannel();
        EmbeddedChannel source2 = new EmbeddedChannel(gsoSender(udp2));
        DatagramPacket pending = datagram(100, 0, PEER);
        source2.pipeline().fireChannelRead(pending);
        source2.pipeline().removeFirst();
        assertThat(pending.refCnt()).isZero();
        source.finishAndReleaseAll();
        source2.finishAndReleaseAll();
    }

    /** The kernel cuts a GSO send into the datagrams it joined: a receiver sees each with its own bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring"})
    void onARealSocketTheReceiverGetsEachDatagramOfTheRun(String transport) throws Exception {
        IoHandlerFactory factory = transport.equals("epoll") ? EpollIoHandler.newFactory() : IoUringIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            receiver.setSoTimeout(5000);
            Channel udp = transport.equals("epoll") ? new EpollDatagramChannel() : new IoUringDatagramChannel();
            group.register(udp).sync();
            udp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync();
            UdpSendHandler send = new UdpSendHandler(() -> udp, Duration.ZERO, true);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), receiver.getLocalPort());
            List<byte[]> expected = new ArrayList<>();
            group.submit(() -> {
                EmbeddedChannel source = new EmbeddedChannel(send);
                for (int i = 0; i < 45; i++) {
                    DatagramPacket d = datagram(i == 44 ? 333 : 1440, i, to);
                    expected.add(ByteBufUtil.getBytes(d.content()));
                    source.pipeline().fireChannelRead(d);
                }
                source.pipeline().fireChannelReadComplete();
                source.finishAndReleaseAll();
            }).sync();
            for (byte[] want : expected) {
                java.net.DatagramPacket got = new java.net.DatagramPacket(new byte[2048], 2048);
                receiver.receive(got);
                assertThat(java.util.Arrays.copyOf(got.getData(), got.getLength())).isEqualTo(want);
            }
            assertThat(group.submit(send::counters).get()).containsEntry("gso.sends", 1L).containsEntry("sent", 45L);
            udp.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
