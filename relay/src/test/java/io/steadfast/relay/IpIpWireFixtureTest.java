package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hex wire fixtures of encapsulated packets, computed once by a separate script (Python's struct module
 * and the RFC 1071 sum) and pinned here: we must produce exactly these bytes and read them back.
 */
class IpIpWireFixtureTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final int S = TestPackets.address("10.1.0.7");
    static final int SERVER = TestPackets.address("10.9.0.1");
    static final int V = TestPackets.address("10.2.0.9");
    static final int R = TestPackets.address("10.0.0.1");

    /** ICMP echo S -> server, TOS 0x10, DF, TTL 63, id 0xabcd, 8 data bytes. */
    static final String ECHO = "45100024abcd40003f017bea0a0100070a090001 0800d9ba12340001 0001020304050607";
    /** The echo in IP-in-IP V -> R: TOS 0x10 and DF copied, identification 0 (DF: atomic), TTL 64, protocol 4. */
    static final String ECHO_IN_IPIP = "4510003800004000400426a70a0200090a000001" + ECHO;

    /** UDP server:53 -> S:40000 "steadfast", DF clear, id 0x7777. */
    static final String REPLY = "45000025777700004011ef3f0a0900010a010007 00359c4000113c95 737465616466617374";
    /** The reply in IP-in-IP R -> V with identification 0x0102, DF clear. */
    static final String REPLY_IN_IPIP = "4500003901020000400465b40a0000010a020009" + REPLY;

    @Test
    void theClientWrapsTheEchoToTheFixture() {
        ByteBuf buf = buffers.fromTun(Hex.bytes(ECHO));
        try {
            assertThat(IpIp.encapsulate(buf, V, R)).isTrue();
            assertThat(Hex.of(buf)).isEqualTo(Hex.of(Hex.bytes(ECHO_IN_IPIP)));
        } finally {
            buf.release();
        }
    }

    @Test
    void theRelayWrapsTheReplyToTheFixture() {
        ByteBuf buf = buffers.fromTun(Hex.bytes(REPLY));
        try {
            assertThat(IpIp.encapsulate(buf, R, V, 0x0102)).isTrue();
            assertThat(Hex.of(buf)).isEqualTo(Hex.of(Hex.bytes(REPLY_IN_IPIP)));
        } finally {
            buf.release();
        }
    }

    @Test
    void theFixturesDecapsulateToTheirInnerPackets() {
        for (String[] pair : new String[][] {{ECHO_IN_IPIP, ECHO}, {REPLY_IN_IPIP, REPLY}}) {
            ByteBuf buf = buffers.fromTun(Hex.bytes(pair[0]));
            try {
                assertThat(IpIp.decapsulate(buf)).isNull();
                assertThat(Hex.of(buf)).isEqualTo(Hex.of(Hex.bytes(pair[1])));
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void theReferenceBuilderAgreesWithTheFixtures() {
        assertThat(Hex.of(TestPackets.ipip(V, R, 0, Hex.bytes(ECHO)))).isEqualTo(Hex.of(Hex.bytes(ECHO_IN_IPIP)));
        assertThat(Hex.of(TestPackets.ipip(R, V, 0x0102, Hex.bytes(REPLY)))).isEqualTo(Hex.of(Hex.bytes(REPLY_IN_IPIP)));
        byte[] reply = Hex.bytes(REPLY);
        byte[] udp = java.util.Arrays.copyOfRange(reply, 20, reply.length);
        assertThat(TestPackets.udpChecksum(SERVER, S, udp)).as("the fixture's UDP checksum").isZero();
    }
}
