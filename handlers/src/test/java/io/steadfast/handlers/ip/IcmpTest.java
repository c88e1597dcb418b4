package io.steadfast.handlers.ip;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.steadfast.handlers.testing.Packets;
import org.junit.jupiter.api.Test;

class IcmpTest {

    @Test
    void recognisesEchoRequestsOnly() {
        ByteBuf echo = Packets.icmpEcho4("10.0.0.1", "10.0.0.2", 7, 1, 32, 0);
        ByteBuf udp = Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 32, 0);
        try {
            assertThat(Icmp.isEchoRequest(echo)).isTrue();
            assertThat(Icmp.isEchoRequest(udp)).isFalse();
            Icmp.turnIntoEchoReply(echo);
            assertThat(Icmp.isEchoRequest(echo)).as("a reply is not a request").isFalse();
        } finally {
            echo.release();
            udp.release();
        }
    }

    @Test
    void fragmentsAndTruncatedEchoesAreNotAnswered() {
        ByteBuf fragment = Packets.icmpEcho4("10.0.0.1", "10.0.0.2", 7, 1, 32, 0);
        fragment.setShort(6, 0x2000); // more fragments
        Ipv4.updateHeaderChecksum(fragment);
        assertThat(Icmp.isEchoRequest(fragment)).isFalse();
        fragment.release();

        ByteBuf shortOne = Packets.icmpEcho4("10.0.0.1", "10.0.0.2", 7, 1, 0, 0);
        shortOne.setShort(2, 24); // claims only 4 bytes of ICMP
        Ipv4.updateHeaderChecksum(shortOne);
        assertThat(Icmp.isEchoRequest(shortOne)).isFalse();
        shortOne.release();
    }

    @Test
    void theReplyIsWhatAKernelWouldSend() {
        ByteBuf p = Packets.icmpEcho4("10.77.0.1", "10.77.0.2", 0x1234, 9, 56, 3);
        byte[] before = ByteBufUtil.getBytes(p);
        try {
            Icmp.turnIntoEchoReply(p);
            byte[] after = ByteBufUtil.getBytes(p);
            assertThat(Ipv4.toString(Ipv4.source(p))).isEqualTo("10.77.0.2");
            assertThat(Ipv4.toString(Ipv4.destination(p))).isEqualTo("10.77.0.1");
            assertThat(p.getUnsignedByte(8)).isEqualTo((short) 64);
            assertThat(p.getUnsignedByte(20)).isEqualTo((short) Icmp.ECHO_REPLY);
            assertThat(p.getUnsignedShort(24)).as("identifier").isEqualTo(0x1234);
            assertThat(p.getUnsignedShort(26)).as("sequence").isEqualTo(9);
            assertThat(java.util.Arrays.copyOfRange(after, 28, after.length))
                    .as("data echoed unchanged").isEqualTo(java.util.Arrays.copyOfRange(before, 28, before.length));
            assertThat(Ipv4.malformation(p)).isNull();
            assertThat(Packets.checksumOk(after, 20, after.length - 20)).as("ICMP checksum").isTrue();
        } finally {
            p.release();
        }
    }

    @Test
    void oddLengthDataKeepsAValidChecksum() {
        ByteBuf p = Packets.icmpEcho4("10.0.0.1", "10.0.0.2", 1, 1, 33, 0);
        Icmp.turnIntoEchoReply(p);
        byte[] b = ByteBufUtil.getBytes(p);
        assertThat(Packets.checksumOk(b, 20, b.length - 20)).isTrue();
        p.release();
    }
}
