package io.steadfast.handlers.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UdpSendHandlerTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.1", 4500);

    @Test
    void writesDatagramsToTheUdpChannelAndFlushesOncePerBatch() {
        EmbeddedChannel udp = new EmbeddedChannel();
        UdpSendHandler send = new UdpSendHandler(() -> udp, Duration.ZERO);
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
        UdpSendHandler send = new UdpSendHandler(() -> udp, Duration.ZERO);
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
        UdpSendHandler send = new UdpSendHandler(() -> udp, Duration.ofSeconds(20));
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
}
