package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The IPv4/UDP packet around binding messages: headers and both checksums right, and checked on the way in. */
class BindingPacketTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final int V = TestPackets.address("10.2.0.9");
    static final int R = TestPackets.address("10.0.0.1");
    static final byte[] PAYLOAD = TestPackets.random(48, 5);

    @Test
    void encodesWhatTheReferenceBuilds() {
        byte[] packet = BindingPacket.encode(V, 40001, R, Relay.DEFAULT_PORT, PAYLOAD);
        assertThat(packet).isEqualTo(TestPackets.udp(V, R, 40001, Relay.DEFAULT_PORT, PAYLOAD));
        assertThat(TestPackets.checksum(packet, 0, 20)).as("IPv4 header checksum").isZero();
        assertThat(TestPackets.udpChecksum(V, R, Arrays.copyOfRange(packet, 20, packet.length))).as("UDP checksum").isZero();
        assertThat(TestPackets.u16(packet, 26)).as("a checksum is present").isNotZero();
        assertThat(packet[8] & 0xff).isEqualTo(Relay.MESSAGE_TTL);
        assertThat(TestPackets.u16(packet, 6)).isEqualTo(Relay.IPV4_FLAG_DF);
    }

    @Test
    void oddLengthsAndEveryPayloadSizeChecksumRight() {
        for (int length = 0; length < 200; length++) {
            byte[] payload = TestPackets.random(length, length);
            byte[] packet = BindingPacket.encode(R, Relay.DEFAULT_PORT, V, 1234, payload);
            assertThat(packet).as("length %d", length).isEqualTo(TestPackets.udp(R, V, Relay.DEFAULT_PORT, 1234, payload));
            assertThat(open(packet)).isNull();
        }
    }

    @Test
    void aComputedChecksumOfZeroIsSentAsAllOnes() {
        // Find a two-byte payload whose UDP checksum comes out 0: RFC 768 then transmits 0xFFFF.
        for (int word = 0; word <= 0xFFFF; word++) {
            byte[] payload = {(byte) (word >>> 8), (byte) word};
            byte[] datagram = {0x11, (byte) 0x99, 0x11, (byte) 0x99, 0, 10, 0, 0, payload[0], payload[1]};
            if (TestPackets.udpChecksum(V, R, datagram) == 0) {
                byte[] packet = BindingPacket.encode(V, Relay.DEFAULT_PORT, R, Relay.DEFAULT_PORT, payload);
                assertThat(TestPackets.u16(packet, 26)).isEqualTo(0xFFFF);
                assertThat(open(packet)).isNull();
                return;
            }
        }
        throw new AssertionError("some payload has checksum 0");
    }

    @Test
    void writesAtTheWriterIndex() {
        ByteBuf buf = buffers.track(BufferKind.POOLED_HEAP.allocate(200));
        try {
            buf.writerIndex(64).readerIndex(64);
            BindingPacket.write(buf, V, 1, R, 2, PAYLOAD);
            assertThat(Hex.readable(buf)).isEqualTo(TestPackets.udp(V, R, 1, 2, PAYLOAD));
        } finally {
            buf.release();
        }
    }

    @Test
    void classifiesByAddressAndPort() {
        ByteBuf buf = buffers.fromTun(BindingPacket.encode(V, 40001, R, Relay.DEFAULT_PORT, PAYLOAD));
        try {
            assertThat(BindingPacket.isUdpTo(buf, R, Relay.DEFAULT_PORT)).isTrue();
            assertThat(BindingPacket.isUdpTo(buf, R, 4500)).isFalse();
            assertThat(BindingPacket.isUdpTo(buf, V, Relay.DEFAULT_PORT)).isFalse();
            assertThat(BindingPacket.isUdpFrom(buf, V, 40001)).isTrue();
            assertThat(BindingPacket.isUdpFrom(buf, R, Relay.DEFAULT_PORT)).isFalse();
            assertThat(BindingPacket.sourcePort(buf)).isEqualTo(40001);
            assertThat(BindingPacket.destinationPort(buf)).isEqualTo(Relay.DEFAULT_PORT);
        } finally {
            buf.release();
        }
    }

    @Test
    void classifyingNeverThrowsAndRefusesNonUdp() {
        assertThat(classify(new byte[0])).isFalse();
        assertThat(classify(new byte[27])).isFalse();
        assertThat(classify(TestPackets.icmpEcho(V, R, 1, 1, 40))).isFalse();
        byte[] fragment = BindingPacket.encode(V, 1, R, Relay.DEFAULT_PORT, PAYLOAD);
        fragment[6] = 0x20;
        assertThat(classify(fragment)).isFalse();
        byte[] headerOnly = Arrays.copyOf(BindingPacket.encode(V, 1, R, Relay.DEFAULT_PORT, PAYLOAD), 27);
        assertThat(classify(headerOnly)).as("no room for the UDP header").isFalse();
        byte[] v6 = BindingPacket.encode(V, 1, R, Relay.DEFAULT_PORT, PAYLOAD);
        v6[0] = 0x65;
        assertThat(classify(v6)).isFalse();
    }

    @Test
    void openingLeavesExactlyThePayload() {
        ByteBuf buf = buffers.fromTun(BindingPacket.encode(V, 40001, R, Relay.DEFAULT_PORT, PAYLOAD));
        try {
            assertThat(BindingPacket.openUdp(buf)).isNull();
            assertThat(Hex.readable(buf)).isEqualTo(PAYLOAD);
            assertThat(buf.readerIndex()).isEqualTo(TestPackets.TUN_ROOM + 28);
        } finally {
            buf.release();
        }
    }

    @Test
    void openingRefusesDamageAndLeavesTheBufferAlone() {
        byte[] good = BindingPacket.encode(V, 40001, R, Relay.DEFAULT_PORT, PAYLOAD);
        byte[] badUdp = good.clone();
        badUdp[40] ^= 1;
        assertThat(open(badUdp)).isEqualTo(RelayDropReason.BAD_CHECKSUM);
        byte[] badIp = good.clone();
        badIp[12] ^= 1;
        assertThat(open(badIp)).isEqualTo(RelayDropReason.BAD_CHECKSUM);
        byte[] noUdpChecksum = good.clone();
        noUdpChecksum[26] = 0;
        noUdpChecksum[27] = 0;
        noUdpChecksum[40] ^= 1;
        assertThat(open(noUdpChecksum)).as("checksum 0: none to check").isNull();
        assertThat(open(TestPackets.icmpEcho(V, R, 1, 1, 40))).isEqualTo(RelayDropReason.NOT_UDP);
        byte[] fragment = good.clone();
        fragment[7] = 1;
        assertThat(open(TestPackets.fixChecksum(fragment, 0))).isEqualTo(RelayDropReason.FRAGMENT);
        byte[] udpTooLong = good.clone();
        udpTooLong[25] += 1;
        assertThat(open(udpTooLong)).isEqualTo(RelayDropReason.NOT_UDP);
        byte[] udpTooShort = good.clone();
        udpTooShort[24] = 0;
        udpTooShort[25] = 7;
        assertThat(open(udpTooShort)).isEqualTo(RelayDropReason.NOT_UDP);
        assertThat(open(TestPackets.ipv4(V, R, 17, new byte[7]))).isEqualTo(RelayDropReason.TRUNCATED);
        assertThat(open(Arrays.copyOf(good, 50))).isEqualTo(RelayDropReason.TRUNCATED);
        assertThat(open(new byte[3])).isEqualTo(RelayDropReason.TRUNCATED);
    }

    @Test
    void aShorterUdpLengthThanTheIpPayloadIsHonoured() {
        byte[] good = BindingPacket.encode(V, 1, R, 2, PAYLOAD);
        byte[] padded = TestPackets.ipv4(V, R, 17, 0, 0, Relay.IPV4_FLAG_DF, 64, Arrays.copyOf(Arrays.copyOfRange(good, 20, good.length), 28 + 48 - 20 + 4));
        ByteBuf buf = buffers.fromTun(padded);
        try {
            assertThat(BindingPacket.openUdp(buf)).isNull();
            assertThat(Hex.readable(buf)).isEqualTo(PAYLOAD);
        } finally {
            buf.release();
        }
    }

    @Test
    void refusesAPayloadTooLargeForIpv4() {
        assertThatThrownBy(() -> BindingPacket.encode(V, 1, R, 2, new byte[65535 - 28 + 1])).isInstanceOf(IllegalArgumentException.class);
        assertThat(BindingPacket.encode(V, 1, R, 2, new byte[65535 - 28])).hasSize(65535);
    }

    private boolean classify(byte[] packet) {
        ByteBuf buf = buffers.fromTun(packet);
        try {
            return BindingPacket.isUdpTo(buf, R, Relay.DEFAULT_PORT) || BindingPacket.isUdpFrom(buf, V, 1);
        } finally {
            buf.release();
        }
    }

    private RelayDropReason open(byte[] packet) {
        ByteBuf buf = buffers.fromTun(packet);
        try {
            byte[] before = Hex.whole(buf);
            int readerIndex = buf.readerIndex();
            RelayDropReason reason = BindingPacket.openUdp(buf);
            if (reason != null) {
                assertThat(Hex.whole(buf)).isEqualTo(before);
                assertThat(buf.readerIndex()).isEqualTo(readerIndex);
            }
            return reason;
        } finally {
            buf.release();
        }
    }
}
