package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ICMP "fragmentation needed" for our tunnel (RFC 2003 4.1 / 5.1): recognised only when it quotes one of
 * our IP-in-IP packets, and then the tunnel MTU is the next-hop MTU minus the 20-byte outer header.
 */
class IcmpTunnelMtuTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final int S = TestPackets.address("10.1.0.7");
    static final int SERVER = TestPackets.address("10.9.0.1");
    static final int V = TestPackets.address("10.2.0.9");
    static final int R = TestPackets.address("10.0.0.1");
    static final int ROUTER = TestPackets.address("10.5.0.254");
    static final byte[] INNER = TestPackets.ipv4OfLength(SERVER, S, 1400, 1);
    static final byte[] RELAY_TO_CLIENT = TestPackets.ipip(R, V, 0, INNER);
    static final byte[] CLIENT_TO_RELAY = TestPackets.ipip(V, R, 0, TestPackets.ipv4OfLength(S, SERVER, 1400, 2));

    @Test
    void aFragmentationNeededForOurPacketGivesTheTunnelMtu() {
        assertThat(mtu(TestPackets.fragmentationNeeded(ROUTER, R, 1400, RELAY_TO_CLIENT), R)).isEqualTo(1380);
        assertThat(mtu(TestPackets.fragmentationNeeded(ROUTER, V, 1280, CLIENT_TO_RELAY), R)).as("client side").isEqualTo(1260);
        assertThat(mtu(TestPackets.fragmentationNeeded(ROUTER, R, 68, RELAY_TO_CLIENT), R)).isEqualTo(48);
        assertThat(mtu(TestPackets.fragmentationNeeded(ROUTER, R, 65535, RELAY_TO_CLIENT), R)).isEqualTo(65515);
    }

    @Test
    void quotingOnlyTheOuterHeaderIsEnough() {
        byte[] headerOnly = java.util.Arrays.copyOf(RELAY_TO_CLIENT, 20);
        assertThat(mtu(TestPackets.fragmentationNeeded(ROUTER, R, 1400, headerOnly), R)).isEqualTo(1380);
    }

    @Test
    void anUnusableNextHopMtuIsNotReported() {
        assertThat(mtu(TestPackets.fragmentationNeeded(ROUTER, R, 0, RELAY_TO_CLIENT), R)).as("pre-RFC 1191 router").isEqualTo(-1);
        assertThat(mtu(TestPackets.fragmentationNeeded(ROUTER, R, 67, RELAY_TO_CLIENT), R)).isEqualTo(-1);
    }

    @Test
    void otherPacketsAreNotOurs() {
        assertThat(mtu(TestPackets.fragmentationNeeded(ROUTER, R, 1400, INNER), R)).as("quotes a plain packet").isEqualTo(-1);
        int elsewhere = TestPackets.address("10.77.0.1");
        assertThat(mtu(TestPackets.fragmentationNeeded(ROUTER, R, 1400, TestPackets.ipip(elsewhere, V, 0, INNER)), R))
                .as("someone else's tunnel").isEqualTo(-1);
        assertThat(mtu(RELAY_TO_CLIENT, R)).as("not ICMP").isEqualTo(-1);
        assertThat(mtu(TestPackets.icmpEcho(ROUTER, R, 1, 1, 28), R)).as("an echo request").isEqualTo(-1);
        assertThat(mtu(new byte[0], R)).isEqualTo(-1);
        assertThat(mtu(TestPackets.random(60, 3), R)).isEqualTo(-1);
    }

    @Test
    void otherTypesCodesAndDamageAreRefused() {
        byte[] good = TestPackets.fragmentationNeeded(ROUTER, R, 1400, RELAY_TO_CLIENT);
        assertThat(mtu(withIcmpByte(good, 1, 1), R)).as("host unreachable").isEqualTo(-1);
        assertThat(mtu(withIcmpByte(good, 0, 11), R)).as("time exceeded").isEqualTo(-1);
        byte[] badChecksum = good.clone();
        badChecksum[22] ^= 0x01;
        assertThat(mtu(badChecksum, R)).isEqualTo(-1);
        byte[] quotedV6 = good.clone();
        quotedV6[28] = 0x65;
        assertThat(mtu(fixIcmpChecksum(quotedV6), R)).isEqualTo(-1);
        byte[] quotedUdp = good.clone();
        quotedUdp[28 + 9] = 17;
        assertThat(mtu(fixIcmpChecksum(quotedUdp), R)).isEqualTo(-1);
        assertThat(mtu(java.util.Arrays.copyOf(good, 20 + 8 + 19), R)).as("truncated").isEqualTo(-1);
        byte[] fragment = good.clone();
        fragment[6] = 0x20;
        assertThat(mtu(TestPackets.fixChecksum(fragment, 0), R)).isEqualTo(-1);
    }

    private static byte[] withIcmpByte(byte[] packet, int icmpOffset, int value) {
        byte[] changed = packet.clone();
        changed[20 + icmpOffset] = (byte) value;
        return fixIcmpChecksum(changed);
    }

    private static byte[] fixIcmpChecksum(byte[] packet) {
        packet[22] = 0;
        packet[23] = 0;
        int checksum = TestPackets.checksum(packet, 20, packet.length - 20);
        packet[22] = (byte) (checksum >>> 8);
        packet[23] = (byte) checksum;
        return packet;
    }

    private int mtu(byte[] packet, int relay) {
        ByteBuf buf = buffers.fromTun(packet);
        try {
            byte[] before = Hex.whole(buf);
            int mtu = IpIp.tunnelMtuFromIcmp(buf, relay);
            assertThat(Hex.whole(buf)).isEqualTo(before);
            return mtu;
        } finally {
            buf.release();
        }
    }
}
