package io.steadfast.handlers.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.steadfast.handlers.esp.EspDecryptHandler;
import io.steadfast.handlers.esp.EspEncryptHandler;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.testing.Packets;
import io.steadfast.handlers.udp.UdpReceiveHandler;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.sa.IkeResponder;
import io.steadfast.ike.sa.InitiatorConfig;
import io.steadfast.ike.sa.ResponderConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our client stage ({@code ike}) against our gateway stage ({@code ike-responder}), each with its ESP stages
 * on EmbeddedChannels: two clients get addresses from the pool, and traffic in both directions is sealed and
 * opened with the negotiated keys, each client's packets selected by its virtual IP.
 */
class IkeResponderStageTest {
    private static final byte[] PSK_1 = "client one key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PSK_2 = "client two key".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress GW = new InetSocketAddress("198.51.100.1", 4500);
    private static final List<TrafficSelector> CLOUD = List.of(TrafficSelector.ipv4Subnet("10.2.0.0", 16));

    private final SecureRandom random = new SecureRandom();
    private long now = 1_000_000_000_000L;

    /** One side: a TUN channel with esp-encrypt, a UDP channel with udp-recv, an IKE stage and esp-decrypt. */
    private static final class Side {
        final EspEncryptHandler encrypt = new EspEncryptHandler(List.of());
        final EmbeddedChannel tun = new EmbeddedChannel(encrypt);
        final EmbeddedChannel udp;
        final InetSocketAddress address;

        Side(InetSocketAddress address, java.util.function.Function<Side, io.netty.channel.ChannelHandler> ike) {
            this.address = address;
            this.udp = new EmbeddedChannel();
            udp.pipeline().addLast(new UdpReceiveHandler(), ike.apply(this), new EspDecryptHandler(List.of()));
        }
    }

    private int pump(Side gateway, Side... clients) {
        int moved = 0;
        boolean any = true;
        while (any) {
            any = false;
            for (Side c : clients) {
                for (DatagramPacket d; (d = c.udp.readOutbound()) != null; ) {
                    moved++;
                    any = true;
                    if (gateway.udp.isOpen()) gateway.udp.writeInbound(new DatagramPacket(d.content(), GW, c.address));
                    else d.release();
                }
            }
            for (DatagramPacket d; (d = gateway.udp.readOutbound()) != null; ) {
                moved++;
                any = true;
                for (Side c : clients) {
                    if (c.address.equals(d.recipient())) c.udp.writeInbound(new DatagramPacket(d.content(), c.address, GW));
                }
            }
        }
        return moved;
    }

    private Side client(String address, String id, byte[] psk) {
        return new Side(new InetSocketAddress(address, 4500), s -> new IkeHandler(List.of(new IkeGateway("gw", GW,
                InitiatorConfig.psk(id, psk, "aes128gcm16-prfsha256-x25519", "aes128gcm16", CLOUD), 0x0a020000, 16)),
                () -> s.tun, random, () -> now));
    }

    @Test
    void twoClientsGetAddressesFromThePoolAndTrafficFlowsToEachByItsVirtualIp() {
        IkeResponder responder = new IkeResponder(ResponderConfig.psk("gw.example", Map.of("one.example", PSK_1, "two.example", PSK_2),
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", CLOUD, "10.99.0.0/24"), GW, random, now);
        Side gateway = new Side(GW, s -> new IkeResponderHandler(responder, () -> s.tun, () -> now));
        Side one = client("192.0.2.1", "one.example", PSK_1);
        Side two = client("192.0.2.2", "two.example", PSK_2);
        assertThat(pump(gateway, one, two)).isEqualTo(8);
        IkeResponderHandler gwStage = gateway.udp.pipeline().get(IkeResponderHandler.class);
        assertThat(gwStage.counters()).containsEntry("ike-sas", 2L).containsEntry("child-sas.up", 2L).containsEntry("addresses.leased", 2L);
        assertThat(gateway.encrypt.has("10.99.0.1")).isTrue();
        assertThat(gateway.encrypt.has("10.99.0.2")).isTrue();
        assertThat(gwStage.describe()).contains("client fqdn:one.example at 192.0.2.1:4500: ESTABLISHED, virtual IP 10.99.0.1");

        // cloud -> client two, by its virtual IP
        gateway.tun.writeInbound(Packets.udp4("10.2.0.2", "10.99.0.2", 53, 1000, 30, 0));
        DatagramPacket toTwo = gateway.tun.readInbound();
        assertThat(toTwo.recipient()).isEqualTo(two.address);
        two.udp.writeInbound(new DatagramPacket(toTwo.content(), two.address, GW));
        ByteBuf atTwo = two.udp.readInbound();
        assertThat(Ipv4.destination(atTwo)).isEqualTo(0x0a630002);
        atTwo.release();
        // client one -> cloud
        one.tun.writeInbound(Packets.udp4("10.99.0.1", "10.2.0.2", 1000, 53, 30, 0));
        DatagramPacket fromOne = one.tun.readInbound();
        gateway.udp.writeInbound(new DatagramPacket(fromOne.content(), GW, one.address));
        ByteBuf atGw = gateway.udp.readInbound();
        assertThat(Ipv4.source(atGw)).isEqualTo(0x0a630001);
        atGw.release();

        // The gateway shuts down: both clients hear of it and take their SAs out.
        gateway.udp.close();
        pump(gateway, one, two);
        assertThat(one.encrypt.has("gw")).isFalse();
        assertThat(two.encrypt.has("gw")).isFalse();
    }

    @Test
    void anInitiatorStartingOnPort500IsAnsweredFromThereAndMovesToTheEspSocket() {
        IkeResponder responder = new IkeResponder(ResponderConfig.psk("gw.example", Map.of("one.example", PSK_1),
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", CLOUD, "10.99.0.0/24"), GW, random, now);
        Side gateway = new Side(GW, s -> new IkeResponderHandler(responder, () -> s.tun, () -> now));
        IkeResponderHandler stage = gateway.udp.pipeline().get(IkeResponderHandler.class);
        EmbeddedChannel port500 = new EmbeddedChannel(stage.ikePortHandler());
        InetSocketAddress gw500 = new InetSocketAddress(GW.getAddress(), 500);
        InetSocketAddress client500 = new InetSocketAddress("192.0.2.1", 500);
        io.steadfast.ike.sa.IkeSa sa = io.steadfast.ike.sa.IkeSa.initiator(InitiatorConfig.psk("one.example", PSK_1,
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", CLOUD), client500, gw500, random);

        byte[] init = sa.start(now).datagrams().getFirst().payload();
        port500.writeInbound(new DatagramPacket(io.netty.buffer.Unpooled.wrappedBuffer(init), gw500, client500));
        assertThat((Object) gateway.udp.readOutbound()).isNull();
        DatagramPacket initAnswer = port500.readOutbound();
        assertThat(initAnswer.recipient()).isEqualTo(client500);
        byte[] answer = new byte[initAnswer.content().readableBytes()];
        initAnswer.content().readBytes(answer);
        initAnswer.release();
        assertThat(io.steadfast.ike.NatTraversal.hasNonEspMarker(answer)).isFalse();

        var auth = sa.receive(gw500, answer, now).datagrams().getFirst(); // the initiator moves to 4500
        assertThat(auth.peer()).isEqualTo(GW);
        InetSocketAddress client4500 = new InetSocketAddress("192.0.2.1", 4500);
        gateway.udp.writeInbound(new DatagramPacket(io.netty.buffer.Unpooled.wrappedBuffer(auth.payload()), GW, client4500));
        assertThat((Object) port500.readOutbound()).isNull();
        DatagramPacket authAnswer = gateway.udp.readOutbound();
        assertThat(authAnswer.recipient()).isEqualTo(client4500);
        byte[] authBytes = new byte[authAnswer.content().readableBytes()];
        authAnswer.content().readBytes(authBytes);
        authAnswer.release();
        sa.receive(GW, authBytes, now);
        assertThat(sa.state()).isEqualTo(io.steadfast.ike.sa.IkeSa.State.ESTABLISHED);
        assertThat(gateway.encrypt.has("10.99.0.1")).isTrue();
        assertThat(stage.describe()).contains("client fqdn:one.example at 192.0.2.1:4500: ESTABLISHED");
    }
}
