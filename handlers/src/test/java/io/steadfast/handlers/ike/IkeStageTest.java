package io.steadfast.handlers.ike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.steadfast.esp.EspDecryptor;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.handlers.esp.EspDecryptHandler;
import io.steadfast.handlers.esp.EspEncryptHandler;
import io.steadfast.handlers.testing.Packets;
import io.steadfast.handlers.udp.UdpReceiveHandler;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.sa.ChildSa;
import io.steadfast.ike.sa.Datagram;
import io.steadfast.ike.sa.IkeResponder;
import io.steadfast.ike.sa.IkeSa;
import io.steadfast.ike.sa.InitiatorConfig;
import io.steadfast.ike.sa.ResponderConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ike stage on EmbeddedChannels against our own IKEv2 responder in memory: the handshake on the ESP
 * socket, the Child SA put into esp-encrypt and esp-decrypt, ESP both ways with the negotiated keys, and the
 * DELETE on close. (Against strongSwan: the pipeline module's interop tests.)
 */
class IkeStageTest {
    private static final byte[] PSK = "stage test key".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress("198.51.100.1", 4500);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 4500);
    private static final List<TrafficSelector> CLOUD = List.of(TrafficSelector.ipv4Subnet("10.2.0.0", 16));

    private final SecureRandom random = new SecureRandom();
    private long now = 1_000_000_000_000L;
    private final IkeResponder gateway = new IkeResponder(ResponderConfig.psk("gw.example", Map.of("client.example", PSK),
            "aes128gcm16-prfsha256-x25519", "aes128gcm16", CLOUD, "10.99.0.0/24"), new InetSocketAddress("198.51.100.1", 500), random, now);
    private final EspEncryptHandler encrypt = new EspEncryptHandler(List.of());
    private final EmbeddedChannel tun = new EmbeddedChannel(encrypt);
    private final EspDecryptHandler decrypt = new EspDecryptHandler(List.of());
    private final IkeHandler ike = new IkeHandler(List.of(new IkeGateway("gw-a", GATEWAY,
            InitiatorConfig.psk("client.example", PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16", CLOUD), 0x0a020000, 16)),
            () -> tun, random, () -> now);
    private final EmbeddedChannel udp = new EmbeddedChannel(new UdpReceiveHandler(), ike, decrypt);

    /** Carries datagrams between the stage and the gateway until both are quiet; returns how many crossed. */
    private int pump() {
        int crossed = 0;
        for (DatagramPacket out; (out = udp.readOutbound()) != null; ) {
            crossed++;
            assertThat(out.recipient()).isEqualTo(GATEWAY);
            byte[] payload = ByteBufUtil.getBytes(out.content());
            out.release();
            for (Datagram answer : gateway.receive(CLIENT, payload, now).datagrams()) {
                if (udp.isOpen()) udp.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(answer.payload()), CLIENT, GATEWAY));
            }
        }
        return crossed;
    }

    @Test
    void theHandshakeOnTheEspSocketPutsTheChildSaIntoTheDataPathAndEspFlowsBothWays() {
        assertThat(pump()).as("IKE_SA_INIT and IKE_AUTH").isEqualTo(2);
        assertThat(ike.counters()).containsEntry("ike-sas", 1L).containsEntry("child-sas.up", 1L);
        assertThat(encrypt.has("gw-a")).isTrue();
        assertThat(encrypt.active().careOf()).as("the virtual IP from the gateway's pool").isEqualTo(0x0a630001);
        assertThat(ike.describe()).contains("gateway gw-a 198.51.100.1:4500: ESTABLISHED, virtual IP 10.99.0.1");

        IkeSa gwSa = gateway.sas().getFirst();
        ChildSa gwChild = gwSa.childSas().getFirst();
        // Client -> gateway: our esp-encrypt seals with the negotiated key; the gateway's inbound SA opens it.
        tun.writeInbound(Packets.udp4("10.99.0.1", "10.2.0.2", 1000, 53, 40, 0));
        DatagramPacket esp = tun.readInbound();
        assertThat(esp.recipient()).isEqualTo(GATEWAY);
        assertThat(new EspDecryptor(gwChild.inbound()).open(esp.content())).isNull();
        esp.release();
        // Gateway -> client: sealed with the gateway's outbound SA, opened by our esp-decrypt.
        ByteBuf inner = receiveFromGateway(gwChild);
        assertThat(io.steadfast.handlers.ip.Ipv4.destination(inner)).isEqualTo(0x0a630001);
        inner.release();

        // Closing the socket deletes the IKE SA at the gateway first.
        udp.close();
        pump();
        assertThat(gwSa.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(encrypt.has("gw-a")).isTrue(); // our side's SAs go with the channels
    }

    @Test
    void aWrongKeyEndsTheSaWithoutAChildAndItIsTriedAgainLater() {
        IkeHandler wrong = new IkeHandler(List.of(new IkeGateway("gw-a", GATEWAY,
                InitiatorConfig.psk("client.example", "not the key".getBytes(StandardCharsets.UTF_8), "aes128gcm16-prfsha256-x25519",
                        "aes128gcm16", CLOUD), 0, 0)), () -> tun, random, () -> now);
        EmbeddedChannel ch = new EmbeddedChannel(new UdpReceiveHandler(), wrong, new EspDecryptHandler(List.of()));
        for (DatagramPacket out; (out = ch.readOutbound()) != null; ) {
            byte[] payload = ByteBufUtil.getBytes(out.content());
            out.release();
            for (Datagram answer : gateway.receive(CLIENT, payload, now).datagrams()) {
                ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(answer.payload()), CLIENT, GATEWAY));
            }
        }
        assertThat(wrong.counters()).containsEntry("ike-sas", 0L).containsEntry("child-sas.up", 0L);
        assertThat(encrypt.has("gw-a")).isFalse();
        assertThat(wrong.describe()).contains("failed:");
        // Two seconds later the timer starts a new attempt.
        now += 2_100_000_000L;
        ch.advanceTimeBy(2_100, java.util.concurrent.TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        DatagramPacket retry = ch.readOutbound();
        assertThat(retry).as("a new IKE_SA_INIT").isNotNull();
        retry.release();
    }

    @Test
    void ikeFromAnUnknownSourceIsCountedAndDropped() {
        pump();
        byte[] stray = new byte[40];
        stray[20] = 0x25; // after a zero marker: looks like IKE
        udp.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(stray), CLIENT, new InetSocketAddress("203.0.113.9", 4500)));
        assertThat((Object) udp.readInbound()).isNull();
        assertThat(ike.counters()).containsEntry("dropped.unknown-source", 1L);
    }

    /** Moves both clocks (the handler's and the channel's) on and runs what fell due. */
    private void advance(long millis) {
        now += millis * 1_000_000L;
        udp.advanceTimeBy(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        udp.runScheduledPendingTasks();
    }

    /** Seals a packet for the client with the gateway's outbound SA of {@code gwChild}; returns what esp-decrypt passes on. */
    private ByteBuf receiveFromGateway(ChildSa gwChild) {
        ByteBuf reply = Packets.udp4("10.2.0.2", "10.99.0.1", 53, 1000, 40, 0);
        ByteBuf room = Unpooled.directBuffer(512).writerIndex(64).readerIndex(64).writeBytes(reply);
        reply.release();
        assertThat(new EspEncryptor(gwChild.outbound()).seal(room, 4)).isNull();
        udp.writeInbound(new DatagramPacket(room, CLIENT, GATEWAY));
        return udp.readInbound();
    }

    /** Seals one packet from the client through esp-encrypt; returns the SPI it went out with. */
    private int sendOne() {
        tun.writeInbound(Packets.udp4("10.99.0.1", "10.2.0.2", 1000, 53, 40, 0));
        DatagramPacket esp = tun.readInbound();
        int spi = esp.content().getInt(esp.content().readerIndex());
        esp.release();
        return spi;
    }

    @Test
    void whileSequenceNumbersLastNoRekeyIsStarted() {
        pump();
        sendOne();
        advance(5_000);
        assertThat(pump()).as("no IKE message").isZero();
        assertThat(ike.counters()).containsEntry("child-sas.rekeys-started", 0L);
    }

    @Test
    void aChildSaRunningOutOfSequenceNumbersIsRekeyedBeforeItRunsOutAndTrafficMovesToTheNewOne() {
        pump();
        io.steadfast.esp.SecurityAssociation out = encrypt.active().encryptor().securityAssociation();
        int oldSpi = sendOne();
        out.skipSequenceTo(io.steadfast.esp.Esp.MAX_SEQUENCE - 1000);
        assertThat(pump()).as("nothing before the check").isZero();

        advance(1_100);
        assertThat(pump()).as("CREATE_CHILD_SA, then the INFORMATIONAL deleting the old pair").isEqualTo(2);
        assertThat(ike.counters()).containsEntry("child-sas.rekeys-started", 1L).containsEntry("ike-sas", 1L);
        int newSpi = sendOne();
        assertThat(newSpi).as("the new outbound SA").isNotEqualTo(oldSpi);
        ChildSa gwChild = gateway.sas().getFirst().childSas().getFirst();
        assertThat(gateway.sas().getFirst().childSas()).as("the gateway kept only the new pair").hasSize(1);
        assertThat(gwChild.inboundSpi()).isEqualTo(newSpi);
        assertThat(encrypt.active().encryptor().securityAssociation().lastSequenceNumber()).isEqualTo(1);

        advance(5_000);
        assertThat(pump()).as("the new SA has all its sequence numbers: no second rekey").isZero();
    }

    @Test
    void aGatewayRunningOutOfSequenceNumbersTowardUsIsRekeyedToo() {
        pump();
        int oldSpi = sendOne();
        ChildSa gwChild = gateway.sas().getFirst().childSas().getFirst();
        gwChild.outbound().skipSequenceTo(io.steadfast.esp.Esp.MAX_SEQUENCE - 1000);
        ByteBuf inner = receiveFromGateway(gwChild);
        assertThat(inner).as("accepted, so the client saw the sequence number").isNotNull();
        inner.release();

        advance(1_100);
        assertThat(pump()).as("CREATE_CHILD_SA, then the INFORMATIONAL deleting the old pair").isEqualTo(2);
        assertThat(ike.counters()).containsEntry("child-sas.rekeys-started", 1L);
        assertThat(sendOne()).isNotEqualTo(oldSpi);
    }

    @Test
    void aRekeyTheGatewayDoesNotAnswerIsAskedForAgainAfterThirtySeconds() {
        pump();
        encrypt.active().encryptor().securityAssociation().skipSequenceTo(io.steadfast.esp.Esp.MAX_SEQUENCE - 1000);
        advance(1_100);
        DatagramPacket lost = udp.readOutbound();
        assertThat(lost).as("the CREATE_CHILD_SA request").isNotNull();
        lost.release(); // the gateway never sees it
        assertThat(ike.counters()).containsEntry("child-sas.rekeys-started", 1L);
        advance(10_000);
        assertThat(ike.counters()).as("not asked again within 30 s").containsEntry("child-sas.rekeys-started", 1L);
        for (DatagramPacket d; (d = udp.readOutbound()) != null; ) d.release(); // retransmissions of the same request
        advance(21_000);
        assertThat(ike.counters()).containsEntry("child-sas.rekeys-started", 2L);
    }

    @Test
    void withRekeyPacketsAChildSaIsRekeyedOnceItCarriedThatManyPackets() {
        ike.rekeyPackets(3);
        pump();
        int oldSpi = sendOne();
        sendOne();
        advance(1_100);
        assertThat(pump()).as("two packets: no rekey yet").isZero();
        sendOne();
        advance(1_000);
        assertThat(pump()).as("CREATE_CHILD_SA, then the INFORMATIONAL deleting the old pair").isEqualTo(2);
        assertThat(ike.counters()).containsEntry("child-sas.rekeys-started", 1L);
        assertThat(sendOne()).isNotEqualTo(oldSpi);
        advance(1_000);
        assertThat(pump()).as("the new SA carried one packet").isZero();
        assertThatThrownBy(() -> ike.rekeyPackets(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
