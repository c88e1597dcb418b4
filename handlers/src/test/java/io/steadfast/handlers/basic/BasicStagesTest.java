package io.steadfast.handlers.basic;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.steadfast.handlers.basic.TunReadHandler.Ipv6Policy;
import io.steadfast.handlers.ip.Icmp;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.testing.Packets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BasicStagesTest {
    private final List<ByteBuf> sent = new ArrayList<>();

    private ByteBuf track(ByteBuf b) {
        sent.add(b);
        return b;
    }

    @AfterEach
    void everyBufferWasReleased() {
        for (ByteBuf b : sent) assertThat(b.refCnt()).as("leaked buffer").isZero();
    }

    @Test
    void tunReadPassesIpv4AndDropsMalformedPackets() {
        TunReadHandler read = new TunReadHandler(Ipv6Policy.DROP);
        EmbeddedChannel ch = new EmbeddedChannel(read);
        ByteBuf good = track(Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 10, 0));
        ByteBuf truncated = track(Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 10, 0));
        truncated.writerIndex(25);
        ByteBuf garbage = track(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        ByteBuf empty = track(Unpooled.buffer(0));
        ch.writeInbound(good, truncated, garbage, empty);
        ByteBuf out = ch.readInbound();
        assertThat(out).isSameAs(good);
        out.release();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(read.counters()).containsEntry("ipv4", 1L).containsEntry("dropped.malformed", 3L);
        ch.finishAndReleaseAll();
    }

    @Test
    void tunReadCountsIpv6AndFollowsItsPolicy() {
        TunReadHandler drop = new TunReadHandler(Ipv6Policy.DROP);
        EmbeddedChannel a = new EmbeddedChannel(drop);
        a.writeInbound(track(Packets.udp6("2001:db8::1", "2001:db8::2", 1, 2, 8, 0)));
        assertThat((Object) a.readInbound()).isNull();
        assertThat(drop.counters()).containsEntry("ipv6", 1L).containsEntry("dropped.ipv6", 1L);

        TunReadHandler forward = new TunReadHandler(Ipv6Policy.FORWARD);
        EmbeddedChannel b = new EmbeddedChannel(forward);
        b.writeInbound(track(Packets.udp6("2001:db8::1", "2001:db8::2", 1, 2, 8, 0)));
        ByteBuf out = b.readInbound();
        assertThat(Ipv4.version(out)).isEqualTo(6);
        out.release();
        assertThat(forward.counters()).containsEntry("ipv6", 1L).containsEntry("dropped.ipv6", 0L);
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }

    @Test
    void tunReadPassesOtherMessagesUntouched() {
        EmbeddedChannel ch = new EmbeddedChannel(new TunReadHandler(Ipv6Policy.DROP));
        ch.writeInbound("an event");
        assertThat((Object) ch.readInbound()).isEqualTo("an event");
    }

    @Test
    void icmpEchoAnswersRequestsAndPassesTheRest() {
        IcmpEchoHandler echo = new IcmpEchoHandler();
        EmbeddedChannel ch = new EmbeddedChannel(echo);
        ch.writeInbound(track(Packets.icmpEcho4("10.0.0.1", "10.0.0.2", 1, 1, 8, 0)),
                track(Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 8, 0)));
        ByteBuf reply = ch.readInbound();
        assertThat(reply.getUnsignedByte(20)).isEqualTo((short) Icmp.ECHO_REPLY);
        assertThat(Ipv4.toString(Ipv4.destination(reply))).isEqualTo("10.0.0.1");
        reply.release();
        ByteBuf udp = ch.readInbound();
        assertThat(Ipv4.protocol(udp)).isEqualTo(Ipv4.PROTOCOL_UDP);
        udp.release();
        assertThat(echo.counters()).containsEntry("answered", 1L).containsEntry("passed", 1L);
    }

    @Test
    void tunWriteWritesToTheTunAndFlushesOncePerBatch() {
        EmbeddedChannel tun = new EmbeddedChannel();
        TunWriteHandler write = new TunWriteHandler(() -> tun);
        EmbeddedChannel source = new EmbeddedChannel(write);
        ByteBuf a = track(Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 8, 0));
        ByteBuf b = track(Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 8, 1));
        source.pipeline().fireChannelRead(a).fireChannelRead(b);
        assertThat(tun.outboundMessages()).as("not flushed before read-complete").isEmpty();
        source.pipeline().fireChannelReadComplete();
        assertThat(tun.outboundMessages()).hasSize(2);
        ((ByteBuf) tun.readOutbound()).release();
        ((ByteBuf) tun.readOutbound()).release();
        assertThat(write.counters()).containsEntry("written", 2L);
    }

    @Test
    void tunWriteDropsWhileTheTunIsClosedAndDropsNonPackets() {
        EmbeddedChannel tun = new EmbeddedChannel();
        tun.close();
        TunWriteHandler write = new TunWriteHandler(() -> tun);
        EmbeddedChannel source = new EmbeddedChannel(write);
        source.writeInbound(track(Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 8, 0)));
        source.writeInbound("not a packet");
        assertThat(write.counters()).containsEntry("dropped.tun-closed", 1L).containsEntry("dropped.not-a-packet", 1L)
                .containsEntry("written", 0L);
    }

    @Test
    void tunWriteToItsOwnChannelSendsThePacketBackOut() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Channel self = ch;
        ch.pipeline().addLast(new TunWriteHandler(() -> self));
        ch.writeInbound(track(Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 8, 0)));
        ByteBuf out = ch.readOutbound();
        assertThat(Ipv4.totalLength(out)).isEqualTo(36);
        out.release();
    }

    @Test
    void passCountsAndDiscardReleases() {
        PassThroughHandler pass = new PassThroughHandler();
        DiscardHandler discard = new DiscardHandler();
        EmbeddedChannel ch = new EmbeddedChannel(pass, discard);
        ch.writeInbound(track(Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 8, 0)),
                track(Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 8, 1)));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(pass.counters()).containsEntry("passed", 2L);
        assertThat(discard.counters()).containsEntry("discarded", 2L);
    }
}
