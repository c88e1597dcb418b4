package io.steadfast.handlers.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.steadfast.esp.EspAlgorithm;
import io.steadfast.esp.EspDecryptor;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.esp.Lifetime;
import io.steadfast.esp.SecurityAssociation;
import io.steadfast.handlers.esp.EspDecryptHandler;
import io.steadfast.handlers.esp.EspDecryptHandler.InboundSa;
import io.steadfast.handlers.esp.EspEncryptHandler;
import io.steadfast.handlers.esp.OutboundSa;
import io.steadfast.handlers.event.TunnelChanged;
import io.steadfast.handlers.ip.Icmp;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.testing.Packets;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The failover stages on EmbeddedChannels with real ESP: probes leave through the active gateway's SA,
 * replies are taken out, a dead gateway's silence switches esp-encrypt to the next one and announces its V.
 */
class FailoverStagesTest {
    private static final int P = 0x0a020002;                          // 10.2.0.2
    private static final int V_A = 0x0a64010b, V_B = 0x0a64020b;      // 10.100.1.11, 10.100.2.11
    private static final int ID = 0x5346;
    private static final InetSocketAddress PEER_A = new InetSocketAddress("192.0.2.10", 4500);
    private static final InetSocketAddress PEER_B = new InetSocketAddress("192.0.2.20", 4500);
    private static final Gateway A = new Gateway("gw-a", "to-a", "from-a", V_A);
    private static final Gateway B = new Gateway("gw-b", "to-b", "from-b", V_B);

    private static final FailoverSettings SETTINGS = new FailoverSettings(java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(300),
            null, java.time.Duration.ofMillis(50), java.time.Duration.ofSeconds(10), null);

    private final List<SecurityAssociation> sas = new ArrayList<>();
    private long now = 1_000_000_000L;

    @AfterEach
    void closeSas() {
        sas.forEach(SecurityAssociation::close);
    }

    private SecurityAssociation sa(boolean outbound, int spi, int seed) {
        byte[] key = new byte[EspAlgorithm.AES128GCM16.keyMaterialLength()];
        new Random(seed).nextBytes(key);
        SecurityAssociation sa = outbound ? SecurityAssociation.outbound(spi, EspAlgorithm.AES128GCM16, key, false, Lifetime.UNLIMITED)
                : SecurityAssociation.inbound(spi, EspAlgorithm.AES128GCM16, key, false, 64, Lifetime.UNLIMITED);
        sas.add(sa);
        return sa;
    }

    private EspEncryptHandler twoGateways() {
        return new EspEncryptHandler(List.of(
                new OutboundSa("to-a", new EspEncryptor(sa(true, 0x1001, 1)), PEER_A, 0, 0, V_A),
                new OutboundSa("to-b", new EspEncryptor(sa(true, 0x3001, 3)), PEER_B, 0, 0, V_B)));
    }

    @Test
    void aProbeIsAnIcmpEchoFromVToPWithRoomForEsp() {
        ProbeInjectorHandler injector = new ProbeInjectorHandler(P, ID);
        EmbeddedChannel ch = new EmbeddedChannel(injector);
        injector.probe(V_A, 7);
        ByteBuf probe = ch.readInbound();
        assertThat(Ipv4.malformation(probe)).isNull();
        assertThat(Ipv4.source(probe)).isEqualTo(V_A);
        assertThat(Ipv4.destination(probe)).isEqualTo(P);
        assertThat(Icmp.isEchoRequest(probe)).isTrue();
        assertThat(probe.readerIndex()).isGreaterThanOrEqualTo(ProbeInjectorHandler.SPARE_ROOM);
        assertThat(probe.writableBytes()).isGreaterThanOrEqualTo(ProbeInjectorHandler.SPARE_ROOM);
        // Its reply, as P's kernel would make it, is recognised with the same identifier and sequence.
        Icmp.turnIntoEchoReply(probe);
        assertThat(Icmp.echoReplySequence(probe, P, ID)).isEqualTo(7);
        assertThat(Icmp.echoReplySequence(probe, P, ID + 1)).isEqualTo(-1);
        assertThat(Icmp.echoReplySequence(probe, V_A, ID)).as("from elsewhere").isEqualTo(-1);
        probe.release();
        assertThat(injector.counters()).containsEntry("probes", 1L);
    }

    @Test
    void theMonitorTakesProbeRepliesOutAndPassesEverythingElse() {
        EspDecryptHandler decrypt = new EspDecryptHandler(List.of(
                new InboundSa("from-a", 0x2001, new EspDecryptor(sa(false, 0x2001, 2))),
                new InboundSa("from-b", 0x4001, new EspDecryptor(sa(false, 0x4001, 4)))));
        FailoverController controller = new FailoverController(List.of(A, B), SETTINGS, now);
        InboundMonitorHandler monitor = new InboundMonitorHandler(controller, P, ID, () -> now);
        EmbeddedChannel ch = new EmbeddedChannel(decrypt, monitor);

        ByteBuf reply = echoReply(P, V_A, ID, 3);
        ch.writeInbound(reply);
        assertThat((Object) ch.readInbound()).as("our probe's reply never reaches the OS").isNull();
        assertThat(reply.refCnt()).isZero();
        ByteBuf otherId = echoReply(P, V_A, 0x1234, 3);
        ByteBuf otherSource = echoReply(0x0a020003, V_A, ID, 3);
        ByteBuf udp = Packets.udp4("10.2.0.2", "10.9.0.1", 1, 2, 10, 0);
        for (ByteBuf b : List.of(otherId, otherSource, udp)) {
            ch.writeInbound(b);
            ByteBuf out = ch.readInbound();
            assertThat(out).isSameAs(b);
            out.release();
        }
        assertThat(monitor.counters()).containsEntry("probe.replies", 1L).containsEntry("idle.ms", -1L);
    }

    @Test
    void silenceOnTheActiveGatewaySwitchesEspEncryptAndAnnouncesTheNewCareOf() {
        FailoverController controller = new FailoverController(List.of(A, B), SETTINGS, now);
        List<Object> events = new ArrayList<>();
        EspEncryptHandler encrypt = twoGateways();
        EmbeddedChannel out = new EmbeddedChannel(new ProbeInjectorHandler(P, ID), new FailoverHandler(controller, () -> now),
                encrypt, new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
                        events.add(evt);
                    }
                });
        out.runPendingTasks();
        assertThat(events).as("the first gateway's V, announced at the start").containsExactly(new TunnelChanged(V_A));
        events.clear();
        // 150 ms of silence: a probe through A (idle) and one through B (the standby), each by its own SA.
        now += 150_000_000L;
        controller.tick(now, g -> 0);
        assertThat(recipients(out)).containsExactlyInAnyOrder(PEER_A, PEER_B);
        // F passes with no answer from A while B answered its probe: the controller switches; esp-encrypt now
        // seals for B, the relay hears of V_B, and B is probed.
        now += 200_000_000L;
        long answeredByB = now - 150_000_000L;
        controller.tick(now, g -> g == 1 ? answeredByB : 0);
        assertThat(encrypt.active().name()).isEqualTo("to-b");
        assertThat(events).containsExactly(new TunnelChanged(V_B));
        assertThat(recipients(out)).as("B's standby probe, then its probe on taking over").containsExactly(PEER_B, PEER_B);
        assertThat(((io.steadfast.handlers.stage.CountingStage) out.pipeline().get(FailoverHandler.class)).counters())
                .containsEntry("switches", 1L).containsEntry("failures", 1L).containsEntry("probes", 4L)
                .containsEntry("last-switch.ms", -1L);
    }

    @Test
    void commandsThroughTheControlSocket() {
        FailoverController controller = new FailoverController(List.of(A, B), SETTINGS, now);
        EspEncryptHandler encrypt = twoGateways();
        FailoverHandler handler = new FailoverHandler(controller, () -> now);
        EmbeddedChannel out = new EmbeddedChannel(new ProbeInjectorHandler(P, ID), handler, encrypt);
        out.runPendingTasks();
        assertThat(handler.control("fail")).isEqualTo("failover-controller: gw-a declared dead, now using gw-b");
        assertThat(encrypt.active().name()).isEqualTo("to-b");
        assertThat(handler.control("use gw-a")).isEqualTo("failover-controller: now using gw-a");
        assertThat(encrypt.active().name()).isEqualTo("to-a");
        assertThat(handler.control("status")).startsWith("failover: active gw-a")
                .contains("switched gw-a -> gw-b: declared dead by command").contains("switched gw-b -> gw-a: by command");
        assertThat(handler.describe()).contains("gateway gw-b (standby)");
        assertThatThrownBy(() -> handler.control("jump")).hasMessage("failover-controller takes: status | use GATEWAY | fail");
        assertThatThrownBy(() -> handler.control("use gw-x")).hasMessageStartingWith("no gateway named \"gw-x\"");
        for (Object m; (m = out.readInbound()) != null; ) io.netty.util.ReferenceCountUtil.release(m);
    }

    @Test
    void theMonitorNeedsEspDecryptAndKnownInboundSas() {
        FailoverController controller = new FailoverController(List.of(A, B), SETTINGS, now);
        assertThatThrownBy(() -> added(new InboundMonitorHandler(controller, P, ID, () -> now)).checkException())
                .rootCause().hasMessageContaining("inbound-monitor needs esp-decrypt in the same pipeline");
        EspDecryptHandler onlyA = new EspDecryptHandler(List.of(new InboundSa("from-a", 0x2001, new EspDecryptor(sa(false, 0x2001, 2)))));
        assertThatThrownBy(() -> added(onlyA, new InboundMonitorHandler(controller, P, ID, () -> now)).checkException())
                .rootCause().hasMessageContaining("gateway gw-b: esp-decrypt has no inbound SA named from-b");
    }

    /** Where the datagrams esp-encrypt emitted since the last call go, in order; releases them. */
    private static List<InetSocketAddress> recipients(EmbeddedChannel ch) {
        List<InetSocketAddress> r = new ArrayList<>();
        for (DatagramPacket d; (d = ch.readInbound()) != null; ) {
            r.add(d.recipient());
            d.release();
        }
        return r;
    }

    /** A channel the handlers are added to one by one after registration, so handlerAdded errors are recorded. */
    private static EmbeddedChannel added(io.netty.channel.ChannelHandler... handlers) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(handlers);
        return ch;
    }

    private static ByteBuf echoReply(int from, int to, int id, int seq) {
        ByteBuf b = io.netty.buffer.Unpooled.buffer(64);
        Icmp.writeEchoRequest(b, to, from, id, seq, 8);
        Icmp.turnIntoEchoReply(b);
        return b;
    }
}
