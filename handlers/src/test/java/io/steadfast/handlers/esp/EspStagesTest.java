package io.steadfast.handlers.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.steadfast.esp.EspAlgorithm;
import io.steadfast.esp.EspDecryptor;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.esp.Lifetime;
import io.steadfast.esp.SecurityAssociation;
import io.steadfast.handlers.esp.EspDecryptHandler.InboundSa;
import io.steadfast.handlers.testing.Packets;
import io.steadfast.handlers.udp.UdpReceiveHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * esp-encrypt on one side, udp-recv + esp-decrypt on the other, through EmbeddedChannels with real keys:
 * round trips, selection by traffic selector, and every kind of bad input dropped and counted.
 */
class EspStagesTest {
    private static final InetSocketAddress GATEWAY = new InetSocketAddress("192.0.2.1", 4500);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.2", 4500);
    private static final int SPI = 0x1001;

    private final List<ByteBuf> tracked = new ArrayList<>();
    private final List<SecurityAssociation> sas = new ArrayList<>();

    @AfterEach
    void noLeaks() {
        for (ByteBuf b : tracked) assertThat(b.refCnt()).as("leaked").isZero();
        sas.forEach(SecurityAssociation::close);
    }

    private byte[] key(EspAlgorithm alg, int seed) {
        byte[] k = new byte[alg.keyMaterialLength()];
        new Random(seed).nextBytes(k);
        return k;
    }

    private EspEncryptHandler encrypt(EspAlgorithm alg, byte[] key) {
        SecurityAssociation sa = SecurityAssociation.outbound(SPI, alg, key, false, Lifetime.UNLIMITED);
        sas.add(sa);
        return new EspEncryptHandler(List.of(new OutboundSa("to-gw", new EspEncryptor(sa), GATEWAY, 0, 0)));
    }

    private EspDecryptHandler decrypt(EspAlgorithm alg, byte[] key) {
        SecurityAssociation sa = SecurityAssociation.inbound(SPI, alg, key, false, 1024, Lifetime.UNLIMITED);
        sas.add(sa);
        return new EspDecryptHandler(List.of(new InboundSa("from-client", SPI, new EspDecryptor(sa))));
    }

    /** Runs a packet through esp-encrypt and returns the datagram it emitted. */
    private static DatagramPacket seal(EmbeddedChannel sender, ByteBuf packet) {
        sender.writeInbound(packet);
        DatagramPacket d = sender.readInbound();
        assertThat(d).as("esp-encrypt emitted a datagram").isNotNull();
        return d;
    }

    private static DatagramPacket from(ByteBuf esp) {
        return new DatagramPacket(esp, GATEWAY, CLIENT);
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void packetsOfEverySizeRoundTripThroughTheStages(EspAlgorithm alg) {
        byte[] key = key(alg, 1);
        EmbeddedChannel sender = new EmbeddedChannel(encrypt(alg, key));
        EspDecryptHandler decrypt = decrypt(alg, key);
        EmbeddedChannel receiver = new EmbeddedChannel(new UdpReceiveHandler(), decrypt);
        for (int payload = 0; payload <= 1400; payload += 97) {
            ByteBuf inner = Packets.udp4("10.9.0.1", "10.2.0.2", 1000, 2000, payload, payload);
            byte[] expected = ByteBufUtil.getBytes(inner);
            DatagramPacket d = seal(sender, inner);
            assertThat(d.recipient()).isEqualTo(GATEWAY);
            receiver.writeInbound(new DatagramPacket(d.content(), CLIENT, GATEWAY));
            ByteBuf out = receiver.readInbound();
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(expected);
            tracked.add(out);
            out.release();
        }
        Map<String, Long> c = decrypt.counters();
        assertThat(c.get("from-client.packets")).isEqualTo(15);
        assertThat(c.keySet()).noneMatch(k -> k.startsWith("dropped"));
        assertThat(decrypt.lastInboundNanos()).isPositive();
    }

    @Test
    void aPacketWithoutSpareRoomIsCopiedOnceAndStillSealed() {
        EspAlgorithm alg = EspAlgorithm.AES128GCM16;
        byte[] key = key(alg, 2);
        EspEncryptHandler enc = encrypt(alg, key);
        EmbeddedChannel sender = new EmbeddedChannel(enc);
        ByteBuf original = tracked(Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 40, 0));
        ByteBuf tight = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(original)); // no room before or after
        original.release();
        DatagramPacket d = seal(sender, tight);
        assertThat(enc.counters()).containsEntry("copies", 1L);
        EmbeddedChannel receiver = new EmbeddedChannel(decrypt(alg, key));
        receiver.writeInbound(from(d.content()));
        ByteBuf out = receiver.readInbound();
        assertThat(out.readableBytes()).isEqualTo(68);
        out.release();
        tracked.add(tight);

        ByteBuf roomy = PooledByteBufAllocator.DEFAULT.directBuffer(256);
        roomy.writerIndex(64).readerIndex(64);
        ByteBuf src = tracked(Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 40, 0));
        roomy.writeBytes(src, src.readerIndex(), src.readableBytes());
        src.release();
        DatagramPacket d2 = seal(sender, roomy);
        assertThat(d2.content()).isSameAs(roomy);
        assertThat(enc.counters()).containsEntry("copies", 1L);
        d2.release();
    }

    private ByteBuf tracked(ByteBuf b) {
        tracked.add(b);
        return b;
    }

    @Test
    void theFirstSaWhoseTrafficSelectorCoversTheDestinationWins() {
        EspAlgorithm alg = EspAlgorithm.AES128GCM16;
        SecurityAssociation a = SecurityAssociation.outbound(0x100, alg, key(alg, 3), false, Lifetime.UNLIMITED);
        SecurityAssociation b = SecurityAssociation.outbound(0x200, alg, key(alg, 4), false, Lifetime.UNLIMITED);
        sas.add(a);
        sas.add(b);
        InetSocketAddress peerA = new InetSocketAddress("192.0.2.10", 4500);
        InetSocketAddress peerB = new InetSocketAddress("192.0.2.20", 4500);
        EspEncryptHandler enc = new EspEncryptHandler(List.of(
                new OutboundSa("a", new EspEncryptor(a), peerA, 0x0a090000, 24),      // 10.9.0.0/24
                new OutboundSa("b", new EspEncryptor(b), peerB, 0x0a000000, 8)));      // 10.0.0.0/8
        EmbeddedChannel ch = new EmbeddedChannel(enc);
        DatagramPacket toA = seal(ch, Packets.udp4("10.2.0.2", "10.9.0.7", 1, 2, 10, 0));
        DatagramPacket toB = seal(ch, Packets.udp4("10.2.0.2", "10.10.0.7", 1, 2, 10, 0));
        assertThat(toA.recipient()).isEqualTo(peerA);
        assertThat(toA.content().getInt(toA.content().readerIndex())).isEqualTo(0x100);
        assertThat(toB.recipient()).isEqualTo(peerB);
        assertThat(toB.content().getInt(toB.content().readerIndex())).isEqualTo(0x200);
        toA.release();
        toB.release();
        ByteBuf nowhere = tracked(Packets.udp4("10.2.0.2", "192.168.1.1", 1, 2, 10, 0));
        ch.writeInbound(nowhere);
        assertThat((Object) ch.readInbound()).isNull();
        ByteBuf v6 = tracked(Packets.udp6("2001:db8::1", "2001:db8::2", 1, 2, 10, 0));
        ch.writeInbound(v6);
        assertThat((Object) ch.readInbound()).as("no SA covers IPv6 here").isNull();
        assertThat(enc.counters()).containsEntry("dropped.no-sa", 2L).containsEntry("a.packets", 1L).containsEntry("b.packets", 1L);
    }

    /** Two gateways, both for every destination: "use" moves the traffic and announces the new care-of. */
    private EspEncryptHandler twoGateways(InetSocketAddress peerA, InetSocketAddress peerB, int careOfB) {
        EspAlgorithm alg = EspAlgorithm.AES128GCM16;
        SecurityAssociation a = SecurityAssociation.outbound(0x100, alg, key(alg, 6), false, Lifetime.UNLIMITED);
        SecurityAssociation b = SecurityAssociation.outbound(0x200, alg, key(alg, 7), false, Lifetime.UNLIMITED);
        sas.add(a);
        sas.add(b);
        return new EspEncryptHandler(List.of(
                new OutboundSa("to-a", new EspEncryptor(a), peerA, 0, 0, 0x0a640105),          // care-of 10.100.1.5
                new OutboundSa("to-b", new EspEncryptor(b), peerB, 0, 0, careOfB)));
    }

    /** Records the user events that reach the end of the pipeline. */
    private static final class Events extends io.netty.channel.ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
        }
    }

    @Test
    void useMovesTheTrafficToAnotherGatewayAndAnnouncesItsCareOfAddress() {
        InetSocketAddress peerA = new InetSocketAddress("192.0.2.10", 4500);
        InetSocketAddress peerB = new InetSocketAddress("192.0.2.20", 4500);
        EspEncryptHandler enc = twoGateways(peerA, peerB, 0x0a640205);                        // care-of 10.100.2.5
        Events events = new Events();
        EmbeddedChannel ch = new EmbeddedChannel(enc, events);
        DatagramPacket before = seal(ch, Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 10, 0));
        assertThat(before.recipient()).as("the first listed SA carries traffic at first").isEqualTo(peerA);
        before.release();
        assertThat(enc.active().name()).isEqualTo("to-a");

        String answer = enc.control("use to-b");
        assertThat(answer).isEqualTo("EspEncryptHandler#0: now using to-b to 192.0.2.20:4500, care-of 10.100.2.5 announced");
        assertThat(events.seen).containsExactly(new io.steadfast.handlers.event.TunnelChanged(0x0a640205));
        DatagramPacket after = seal(ch, Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 10, 1));
        assertThat(after.recipient()).isEqualTo(peerB);
        assertThat(after.content().getInt(after.content().readerIndex())).as("SPI of to-b").isEqualTo(0x200);
        after.release();

        enc.control("use to-a");
        DatagramPacket back = seal(ch, Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 10, 2));
        assertThat(back.recipient()).isEqualTo(peerA);
        assertThat(back.content().getInt(back.content().readerIndex() + 4)).as("to-a's sequence numbers go on").isEqualTo(2);
        back.release();
        assertThat(events.seen).hasSize(2);
        assertThat(enc.counters()).containsEntry("switches", 2L).containsEntry("to-a.packets", 2L).containsEntry("to-b.packets", 1L);
        assertThat(enc.control("status")).isEqualTo("EspEncryptHandler#0: using to-a to 192.0.2.10:4500; SAs to-a, to-b");
    }

    @Test
    void aPacketFromAGatewaysCareOfAddressGoesThroughThatGatewayWhicheverIsInUse() {
        InetSocketAddress peerA = new InetSocketAddress("192.0.2.10", 4500);
        InetSocketAddress peerB = new InetSocketAddress("192.0.2.20", 4500);
        EspEncryptHandler enc = twoGateways(peerA, peerB, 0x0a640205);
        EmbeddedChannel ch = new EmbeddedChannel(enc);
        DatagramPacket fromVb = seal(ch, Packets.udp4("10.100.2.5", "10.2.0.2", 1, 2, 10, 0));
        assertThat(fromVb.recipient()).as("only B accepts V_B").isEqualTo(peerB);
        fromVb.release();
        enc.use("to-b");
        DatagramPacket fromVa = seal(ch, Packets.udp4("10.100.1.5", "10.2.0.2", 1, 2, 10, 0));
        assertThat(fromVa.recipient()).as("only A accepts V_A").isEqualTo(peerA);
        fromVa.release();
        DatagramPacket fromS = seal(ch, Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 10, 0));
        assertThat(fromS.recipient()).as("any other source: the SA in use").isEqualTo(peerB);
        fromS.release();
    }

    @Test
    void sasComeAndGoAtRunTimeAsIkeNegotiatesRekeysAndDeletesThem() {
        EspAlgorithm alg = EspAlgorithm.AES128GCM16;
        InetSocketAddress peer = new InetSocketAddress("192.0.2.10", 4500);
        byte[] k1 = key(alg, 11), k2 = key(alg, 12);
        SecurityAssociation out1 = SecurityAssociation.outbound(0x100, alg, k1, false, Lifetime.UNLIMITED);
        SecurityAssociation out2 = SecurityAssociation.outbound(0x200, alg, k2, false, Lifetime.UNLIMITED);
        SecurityAssociation in1 = SecurityAssociation.inbound(0x100, alg, k1, false, 64, Lifetime.UNLIMITED);
        SecurityAssociation in2 = SecurityAssociation.inbound(0x200, alg, k2, false, 64, Lifetime.UNLIMITED);
        sas.addAll(List.of(out1, out2, in1, in2));
        EspEncryptHandler enc = new EspEncryptHandler(List.of());
        EspDecryptHandler dec = new EspDecryptHandler(List.of());
        EmbeddedChannel sender = new EmbeddedChannel(enc);
        EmbeddedChannel receiver = new EmbeddedChannel(new UdpReceiveHandler(), dec);

        ByteBuf early = tracked(Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 10, 0));
        sender.writeInbound(early);
        assertThat((Object) sender.readInbound()).as("no SA yet").isNull();

        enc.add(new OutboundSa("gw", new EspEncryptor(out1), peer, 0, 0));
        dec.add(new InboundSa("gw-in", 0x100, new EspDecryptor(in1)));
        receiver.writeInbound(from(seal(sender, Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 10, 1)).content()));
        ((ByteBuf) receiver.readInbound()).release();

        // A rekey: the new inbound SA first, then the outbound one swapped, then the old inbound one removed.
        dec.add(new InboundSa("gw-in-2", 0x200, new EspDecryptor(in2)));
        EspEncryptor first = enc.replace("gw", new OutboundSa("gw", new EspEncryptor(out2), peer, 0, 0)).encryptor();
        assertThat(first).isNotNull();
        DatagramPacket rekeyed = seal(sender, Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 10, 2));
        assertThat(rekeyed.content().getInt(rekeyed.content().readerIndex())).isEqualTo(0x200);
        receiver.writeInbound(from(rekeyed.content()));
        ((ByteBuf) receiver.readInbound()).release();
        assertThat(dec.remove("gw-in").spi()).isEqualTo(0x100);
        assertThat(dec.lastInboundNanos("gw-in-2")).isPositive();
        assertThat(dec.lastInboundNanos("gw-in")).isZero();
        assertThat(enc.counters()).containsEntry("gw.packets", 2L);

        assertThat(enc.remove("gw")).isNotNull();
        assertThat(enc.remove("gw")).isNull();
        ByteBuf late = tracked(Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 10, 3));
        sender.writeInbound(late);
        assertThat((Object) sender.readInbound()).as("the gateway is gone").isNull();
        assertThat(enc.counters()).containsEntry("dropped.no-sa", 2L).doesNotContainKey("gw.packets");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dec.add(new InboundSa("again", 0x200, new EspDecryptor(in2))))
                .hasMessageContaining("two inbound SAs with SPI 0x200");
    }

    @Test
    void aSwitchToAnSaWithoutCareOfFiresNoEventAndUnknownNamesAndCommandsAreRefused() {
        EspEncryptHandler enc = twoGateways(new InetSocketAddress("192.0.2.10", 4500), new InetSocketAddress("192.0.2.20", 4500), 0);
        Events events = new Events();
        new EmbeddedChannel(enc, events);
        assertThat(enc.control("use to-b")).isEqualTo("EspEncryptHandler#0: now using to-b to 192.0.2.20:4500");
        assertThat(events.seen).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> enc.control("use to-c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no outbound SA named \"to-c\"; there are to-a, to-b");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> enc.control("jump"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("EspEncryptHandler#0 takes: use SA-NAME (one of to-a, to-b) | status");
        assertThat(enc.active().name()).as("a refused command changes nothing").isEqualTo("to-b");
    }

    @Test
    void thePreferredSaIsSkippedForDestinationsOutsideItsSelector() {
        EspAlgorithm alg = EspAlgorithm.AES128GCM16;
        SecurityAssociation a = SecurityAssociation.outbound(0x100, alg, key(alg, 8), false, Lifetime.UNLIMITED);
        SecurityAssociation b = SecurityAssociation.outbound(0x200, alg, key(alg, 9), false, Lifetime.UNLIMITED);
        sas.add(a);
        sas.add(b);
        InetSocketAddress peerA = new InetSocketAddress("192.0.2.10", 4500);
        InetSocketAddress peerB = new InetSocketAddress("192.0.2.20", 4500);
        EspEncryptHandler enc = new EspEncryptHandler(List.of(
                new OutboundSa("wide", new EspEncryptor(a), peerA, 0, 0),
                new OutboundSa("narrow", new EspEncryptor(b), peerB, 0x0a090000, 24)));    // 10.9.0.0/24
        EmbeddedChannel ch = new EmbeddedChannel(enc);
        enc.use("narrow");
        DatagramPacket inside = seal(ch, Packets.udp4("10.2.0.2", "10.9.0.7", 1, 2, 10, 0));
        DatagramPacket outside = seal(ch, Packets.udp4("10.2.0.2", "10.10.0.7", 1, 2, 10, 0));
        assertThat(inside.recipient()).isEqualTo(peerB);
        assertThat(outside.recipient()).isEqualTo(peerA);
        inside.release();
        outside.release();
    }

    @Test
    void badInputIsDroppedAndCountedByReasonAndNothingPasses() {
        EspAlgorithm alg = EspAlgorithm.AES128GCM16;
        byte[] key = key(alg, 5);
        EmbeddedChannel sender = new EmbeddedChannel(encrypt(alg, key));
        UdpReceiveHandler recv = new UdpReceiveHandler();
        EspDecryptHandler dec = decrypt(alg, key);
        EmbeddedChannel receiver = new EmbeddedChannel(recv, dec);

        // A valid packet, kept to replay it.
        DatagramPacket good = seal(sender, Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 100, 0));
        byte[] goodBytes = ByteBufUtil.getBytes(good.content());
        receiver.writeInbound(from(good.content()));
        ByteBuf first = receiver.readInbound();
        first.release();

        List<ByteBuf> bad = new ArrayList<>();
        bad.add(Unpooled.copiedBuffer(goodBytes));                                   // replayed
        DatagramPacket fresh = seal(sender, Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 100, 1));
        byte[] flipped = ByteBufUtil.getBytes(fresh.content());
        fresh.release();
        flipped[flipped.length - 1] ^= 1;                                            // bad ICV (a new sequence number)
        bad.add(Unpooled.wrappedBuffer(flipped));
        byte[] unknown = goodBytes.clone();
        unknown[3] ^= 0x7f;                                                           // unknown SPI
        bad.add(Unpooled.wrappedBuffer(unknown));
        bad.add(Unpooled.wrappedBuffer(java.util.Arrays.copyOf(goodBytes, 12)));     // truncated
        bad.add(Unpooled.buffer(0));                                                  // empty datagram
        bad.add(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 1, 2, 3, 4}));        // IKE (non-ESP marker)
        bad.add(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff}));                    // NAT keepalive
        bad.add(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));                        // garbage
        bad.add(Unpooled.wrappedBuffer(new byte[70_000 - 28]));                       // oversized zeros: a zero marker means IKE
        Random random = new Random(6);
        for (int i = 0; i < 200; i++) {                                               // random garbage
            byte[] g = new byte[random.nextInt(1500)];
            random.nextBytes(g);
            bad.add(Unpooled.wrappedBuffer(g));
        }
        for (ByteBuf b : bad) {
            tracked.add(b);
            receiver.writeInbound(from(b));
        }
        assertThat(receiver.inboundMessages()).as("nothing bad reaches the TUN").isEmpty();
        Map<String, Long> d = dec.counters();
        assertThat(d).containsEntry("from-client.packets", 1L);
        assertThat(d.get("dropped.replayed")).isEqualTo(1);
        assertThat(d.get("dropped.bad-icv")).isEqualTo(1);
        assertThat(d.get("dropped.unknown-spi")).isGreaterThanOrEqualTo(1);
        assertThat(d.get("dropped.truncated")).isEqualTo(1);
        Map<String, Long> r = recv.counters();
        assertThat(r).containsEntry("keepalives", 1L).containsEntry("dropped.ike", 2L);
        assertThat(r.get("dropped.invalid")).isGreaterThanOrEqualTo(3);
        long dropped = d.entrySet().stream().filter(e -> e.getKey().startsWith("dropped")).mapToLong(Map.Entry::getValue).sum()
                + r.get("keepalives") + r.get("dropped.ike") + r.get("dropped.invalid");
        assertThat(dropped).as("every bad datagram is counted once").isEqualTo(bad.size());

        // The tunnel still works after all that.
        DatagramPacket next = seal(sender, Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 10, 1));
        receiver.writeInbound(from(next.content()));
        ByteBuf ok = receiver.readInbound();
        assertThat(ok).isNotNull();
        ok.release();
    }

    @Test
    void wrongKeysDecryptNothing() {
        EspAlgorithm alg = EspAlgorithm.CHACHA20POLY1305;
        EmbeddedChannel sender = new EmbeddedChannel(encrypt(alg, key(alg, 7)));
        EspDecryptHandler dec = decrypt(alg, key(alg, 8));
        EmbeddedChannel receiver = new EmbeddedChannel(dec);
        for (int i = 0; i < 10; i++) {
            receiver.writeInbound(from(seal(sender, Packets.udp4("10.9.0.1", "10.2.0.2", 1, 2, 10, i)).content()));
        }
        assertThat(receiver.inboundMessages()).isEmpty();
        assertThat(dec.counters()).containsEntry("dropped.bad-icv", 10L);
    }

    @Test
    void twoInboundSasWithOneSpiAreRefused() {
        EspAlgorithm alg = EspAlgorithm.AES128GCM16;
        SecurityAssociation a = SecurityAssociation.inbound(SPI, alg, key(alg, 9), false, 1024, Lifetime.UNLIMITED);
        sas.add(a);
        InboundSa one = new InboundSa("a", SPI, new EspDecryptor(a));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EspDecryptHandler(List.of(one, one)))
                .hasMessageContaining("two inbound SAs with SPI 0x1001");
    }
}
