package io.steadfast.handlers.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.steadfast.handlers.event.TunnelChanged;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.testing.Packets;
import io.steadfast.relay.ClientKeys;
import io.steadfast.relay.IpIp;
import io.steadfast.relay.RelayClient;
import io.steadfast.relay.RelayClientConfig;
import io.steadfast.relay.RelayServer;
import io.steadfast.relay.AddressPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay stages on EmbeddedChannels with the real relay logic on both ends: the client's outbound
 * (ipip-encap, relay-client), the relay (relay-server) and the client's inbound (ipip-decap), wired by
 * hand the way the network would carry the packets.
 */
class RelayStagesTest {
    static final int S = 0x0a090001;        // 10.9.0.1
    static final int V = 0x0a640105;        // 10.100.1.5
    static final int V2 = 0x0a640205;       // 10.100.2.5
    static final int R = 0x0a140002;        // 10.20.0.2
    static final String SERVER = "10.2.0.2";
    static final byte[] KEY = new byte[32];

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<ByteBuf> tracked = new ArrayList<>();

    @AfterEach
    void noLeaks() {
        for (ByteBuf b : tracked) assertThat(b.refCnt()).as("leaked").isZero();
    }

    private RelayClient client() {
        return new RelayClient(7, KEY, S, R, 60, System.currentTimeMillis(), clock::get);
    }

    private RelayServer server() {
        return new RelayServer(R, List.of(AddressPrefix.parse("10.9.0.0/16")),
                ClientKeys.of(List.of(new RelayClientConfig(7, S, KEY))), clock::get);
    }

    private ByteBuf fromS(int seq) {
        ByteBuf p = Packets.icmpEcho4("10.9.0.1", SERVER, 1, seq, 32, seq);
        tracked.add(p);
        return p;
    }

    /** Moves every inbound message of {@code from} into {@code to}, as the network would. */
    private static void carry(EmbeddedChannel from, EmbeddedChannel to) {
        for (Object m; (m = from.readInbound()) != null; ) to.writeInbound(m);
    }

    @Test
    void aBindingUpdateIsSentAcknowledgedAndTrafficFlowsBothWays() {
        RelayClient client = client();
        RelayClientHandler relayClient = new RelayClientHandler(client, clock::get);
        IpipEncapHandler encap = new IpipEncapHandler(client);
        EmbeddedChannel outbound = new EmbeddedChannel(encap, relayClient);
        RelayServerHandler relay = new RelayServerHandler(server(), clock::get);
        EmbeddedChannel cloud = new EmbeddedChannel(relay);
        IpipDecapHandler decap = new IpipDecapHandler(client);
        EmbeddedChannel inbound = new EmbeddedChannel(decap);

        // Before any care-of address, nothing leaves.
        outbound.writeInbound(fromS(1));
        assertThat(outbound.inboundMessages()).isEmpty();
        assertThat(encap.counters()).containsEntry("dropped.no-care-of", 1L);

        outbound.pipeline().fireUserEventTriggered(new TunnelChanged(V));
        ByteBuf update = outbound.readInbound();
        assertThat(update).as("the binding update goes out at once").isNotNull();
        assertThat(Ipv4.source(update)).isEqualTo(V);
        assertThat(Ipv4.destination(update)).isEqualTo(R);
        cloud.writeInbound(update);
        ByteBuf ack = cloud.readInbound();
        assertThat(Ipv4.destination(ack)).isEqualTo(V);
        inbound.writeInbound(ack);
        assertThat(inbound.inboundMessages()).as("the ack is consumed").isEmpty();
        assertThat(decap.counters()).containsEntry("acks", 1L);
        assertThat(client.isBound()).isTrue();
        assertThat(relayClient.counters()).containsEntry("bound", 1L).containsEntry("updates", 1L);

        // S -> server, wrapped V -> R, unwrapped by the relay.
        ByteBuf request = fromS(2);
        byte[] original = ByteBufUtil.getBytes(request);
        outbound.writeInbound(request);
        ByteBuf wrapped = outbound.readInbound();
        assertThat(Ipv4.protocol(wrapped)).isEqualTo(Ipv4.PROTOCOL_IPIP);
        assertThat(IpIp.outerSource(wrapped)).isEqualTo(V);
        assertThat(encap.counters()).containsEntry("wrapped", 1L).containsEntry("copies", 1L); // test packets have no headroom
        cloud.writeInbound(wrapped);
        ByteBuf unwrapped = cloud.readInbound();
        assertThat(ByteBufUtil.getBytes(unwrapped)).isEqualTo(original);
        unwrapped.release();

        // server -> S, wrapped R -> V by the relay, unwrapped by the client.
        ByteBuf reply = Packets.icmpEcho4(SERVER, "10.9.0.1", 1, 2, 32, 2);
        tracked.add(reply);
        byte[] replyBytes = ByteBufUtil.getBytes(reply);
        cloud.writeInbound(reply);
        ByteBuf toClient = cloud.readInbound();
        assertThat(IpIp.outerDestination(toClient)).isEqualTo(V);
        inbound.writeInbound(toClient);
        ByteBuf delivered = inbound.readInbound();
        assertThat(ByteBufUtil.getBytes(delivered)).isEqualTo(replyBytes);
        delivered.release();
        Map<String, Long> r = relay.counters();
        assertThat(r).containsEntry("bindings", 1L).containsEntry("packets.from-clients", 1L).containsEntry("packets.to-clients", 1L);
        assertThat(relay.bindings()).singleElement().satisfies(b -> assertThat(b.careOfAddress()).isEqualTo(V));
        outbound.finishAndReleaseAll();
        cloud.finishAndReleaseAll();
        inbound.finishAndReleaseAll();
    }

    @Test
    void aTunnelChangeMovesTheBindingAndRepliesFollow() {
        RelayClient client = client();
        EmbeddedChannel outbound = new EmbeddedChannel(new IpipEncapHandler(client), new RelayClientHandler(client, clock::get));
        RelayServerHandler relay = new RelayServerHandler(server(), clock::get);
        EmbeddedChannel cloud = new EmbeddedChannel(relay);
        EmbeddedChannel inbound = new EmbeddedChannel(new IpipDecapHandler(client));
        outbound.pipeline().fireUserEventTriggered(new TunnelChanged(V));
        carry(outbound, cloud);
        carry(cloud, inbound);
        outbound.pipeline().fireUserEventTriggered(new TunnelChanged(V2));
        carry(outbound, cloud);
        carry(cloud, inbound);
        assertThat(client.acknowledgedCareOf()).isEqualTo(V2);
        ByteBuf reply = Packets.icmpEcho4(SERVER, "10.9.0.1", 1, 1, 8, 1);
        tracked.add(reply);
        cloud.writeInbound(reply);
        ByteBuf toClient = cloud.readInbound();
        assertThat(IpIp.outerDestination(toClient)).as("the reply follows the client to V2").isEqualTo(V2);
        toClient.release();
        assertThat(relay.counters()).containsEntry("updates.accepted", 2L);
        outbound.finishAndReleaseAll();
        cloud.finishAndReleaseAll();
        inbound.finishAndReleaseAll();
    }

    @Test
    void anUnansweredUpdateIsRetransmittedWithBackoffOnTheEventLoopTimer() {
        RelayClient client = client();
        RelayClientHandler handler = new RelayClientHandler(client, clock::get);
        EmbeddedChannel outbound = new EmbeddedChannel();
        outbound.freezeTime();
        outbound.pipeline().addLast(handler);
        outbound.pipeline().fireUserEventTriggered(new TunnelChanged(V));
        ((ByteBuf) outbound.readInbound()).release();
        for (long step : new long[] {100, 200, 400}) {
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(step));
            outbound.advanceTimeBy(step, TimeUnit.MILLISECONDS);
            outbound.runScheduledPendingTasks();
            ByteBuf again = outbound.readInbound();
            assertThat(again).as("retransmission after " + step + " ms").isNotNull();
            again.release();
        }
        assertThat(handler.counters()).containsEntry("retransmits", 3L).containsEntry("bound", 0L);
        outbound.finishAndReleaseAll();
    }

    @Test
    void theRelayDropsSpoofedTrafficAndWhatItDoesNotServe() {
        RelayServerHandler relay = new RelayServerHandler(server(), clock::get);
        EmbeddedChannel cloud = new EmbeddedChannel(relay);
        // IP-in-IP from S without a binding.
        ByteBuf spoofed = fromS(1);
        ByteBuf copy = Unpooled.directBuffer(200).writeZero(64).readerIndex(64);
        copy.writeBytes(spoofed, spoofed.readerIndex(), spoofed.readableBytes());
        spoofed.release();
        IpIp.encapsulate(copy, V, R);
        tracked.add(copy);
        cloud.writeInbound(copy);
        // A packet for an address the relay does not serve, and one for S without a binding.
        ByteBuf elsewhere = Packets.icmpEcho4(SERVER, "192.0.2.9", 1, 1, 8, 1);
        ByteBuf unbound = Packets.icmpEcho4(SERVER, "10.9.0.1", 1, 1, 8, 1);
        ByteBuf garbageUdp = Packets.udp4("10.100.1.5", "10.20.0.2", 4505, 4505, 10, 1);
        tracked.add(elsewhere);
        tracked.add(unbound);
        tracked.add(garbageUdp);
        cloud.writeInbound(elsewhere, unbound, garbageUdp);
        assertThat(cloud.inboundMessages()).isEmpty();
        Map<String, Long> c = relay.counters();
        assertThat(c).containsEntry("dropped.spoofed-inner-source", 1L).containsEntry("dropped.not-served", 1L)
                .containsEntry("dropped.no-binding", 1L).containsEntry("bindings", 0L);
        assertThat(c.get("dropped.malformed-update")).isEqualTo(1L);
    }

    @Test
    void theClientDropsIpipThatIsNotFromTheRelayAndPassesOtherTraffic() {
        RelayClient client = client();
        client.tunnelChanged(V, clock.get());
        IpipDecapHandler decap = new IpipDecapHandler(client);
        EmbeddedChannel inbound = new EmbeddedChannel(decap);
        ByteBuf inner = Packets.icmpEcho4(SERVER, "10.9.0.1", 1, 1, 8, 1);
        ByteBuf forged = Unpooled.directBuffer(200).writeZero(64).readerIndex(64);
        forged.writeBytes(inner, inner.readerIndex(), inner.readableBytes());
        inner.release();
        IpIp.encapsulate(forged, 0xc0000201, V); // from 192.0.2.1, not R
        tracked.add(inner);
        tracked.add(forged);
        ByteBuf plain = Packets.udp4(SERVER, "10.100.1.5", 53, 5353, 8, 1);
        inbound.writeInbound(forged, plain);
        ByteBuf passed = inbound.readInbound();
        assertThat(passed).isSameAs(plain);
        passed.release();
        tracked.add(plain);
        assertThat((Object) inbound.readInbound()).isNull();
        assertThat(decap.counters()).containsEntry("unwrapped", 0L).containsEntry("dropped.wrong-address", 1L);
    }

    @Test
    void encapWithoutRoomCopiesOnceAndDropsPacketsNotFromS() {
        RelayClient client = client();
        client.tunnelChanged(V, clock.get());
        IpipEncapHandler encap = new IpipEncapHandler(client);
        EmbeddedChannel outbound = new EmbeddedChannel(encap);
        ByteBuf source = fromS(1);
        ByteBuf tight = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(source));
        source.release();
        tracked.add(tight);
        outbound.writeInbound(tight);
        ByteBuf wrapped = outbound.readInbound();
        assertThat(IpIp.outerSource(wrapped)).isEqualTo(V);
        wrapped.release();
        ByteBuf other = Packets.udp4("10.9.0.77", SERVER, 1, 2, 8, 1);
        tracked.add(other);
        outbound.writeInbound(other);
        assertThat(outbound.inboundMessages()).isEmpty();
        assertThat(encap.counters()).containsEntry("copies", 1L).containsEntry("dropped.not-from-stable", 1L);
    }

    @Test
    void careOfByHandThroughTheControlCommand() {
        RelayClient client = client();
        RelayClientHandler handler = new RelayClientHandler(client, clock::get);
        EmbeddedChannel outbound = new EmbeddedChannel(handler);
        assertThat(handler.control("care-of 10.100.2.5")).startsWith("relay-client: care-of 10.100.2.5");
        ByteBuf update = outbound.readInbound();
        assertThat(Ipv4.source(update)).isEqualTo(V2);
        update.release();
        assertThat(handler.control("status")).contains("care-of 10.100.2.5").contains("outstanding");
        assertThatThrownBy(() -> handler.control("care-of 10.100.2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> handler.control("care-of 0.0.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> handler.control("fly")).hasMessageContaining("care-of A.B.C.D | status");
        outbound.finishAndReleaseAll();
    }
}
