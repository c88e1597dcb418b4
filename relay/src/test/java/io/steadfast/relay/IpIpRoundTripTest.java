package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Encapsulation writes exactly the outer header RFC 2003 asks for (compared with a header built by hand
 * and its checksum verified by the reference RFC 1071 code), in place, and decapsulation gives back the
 * inner packet byte for byte, for every size from 20 to 1480 bytes and every kind of buffer.
 */
class IpIpRoundTripTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final int V = TestPackets.address("10.2.0.9");
    static final int R = TestPackets.address("10.0.0.1");
    static final int S = TestPackets.address("10.1.0.7");
    static final int SERVER = TestPackets.address("10.9.0.1");

    @Test
    void everySizeFrom20To1480RoundTripsAndMatchesTheHandBuiltHeader() {
        for (int size = 20; size <= 1480; size++) {
            byte[] inner = TestPackets.ipv4OfLength(S, SERVER, size, size);
            ByteBuf buf = buffers.fromTun(inner);
            try {
                assertThat(IpIp.encapsulate(buf, V, R, size)).isTrue();
                byte[] outer = Hex.readable(buf);
                assertThat(outer).as("size %d", size).isEqualTo(TestPackets.ipip(V, R, size, inner));
                assertThat(TestPackets.checksum(outer, 0, 20)).as("outer checksum, size %d", size).isZero();
                assertThat(buf.readerIndex()).isEqualTo(TestPackets.TUN_ROOM - 20);

                assertThat(IpIp.decapsulate(buf)).isNull();
                assertThat(Hex.readable(buf)).isEqualTo(inner);
                assertThat(buf.readerIndex()).isEqualTo(TestPackets.TUN_ROOM);
                assertThat(buf.writerIndex()).isEqualTo(TestPackets.TUN_ROOM + size);
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void roundTripsInEveryKindOfBuffer(BufferKind kind) {
        for (int size : new int[] {20, 21, 28, 64, 65, 576, 1399, 1400, 1480}) {
            byte[] inner = TestPackets.ipv4OfLength(S, SERVER, size, -size);
            ByteBuf buf = buffers.fromTun(kind, inner);
            try {
                assertThat(IpIp.encapsulate(buf, R, V, 0xBEEF)).isTrue();
                assertThat(Hex.readable(buf)).as("%s size %d", kind, size).isEqualTo(TestPackets.ipip(R, V, 0xBEEF, inner));
                assertThat(IpIp.check(buf)).isNull();
                assertThat(IpIp.outerSource(buf)).isEqualTo(R);
                assertThat(IpIp.outerDestination(buf)).isEqualTo(V);
                assertThat(IpIp.innerSource(buf)).isEqualTo(S);
                assertThat(IpIp.innerDestination(buf)).isEqualTo(SERVER);
                assertThat(IpIp.decapsulate(buf)).isNull();
                assertThat(Hex.readable(buf)).isEqualTo(inner);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void copiesTosAndDfAndNothingElseOfTheFlags() {
        byte[] dfAndTos = TestPackets.ipv4(S, SERVER, 6, 0xB8, 77, Relay.IPV4_FLAG_DF, 3, new byte[12]);
        byte[] outer = encapsulated(dfAndTos, 5);
        assertThat(outer[1] & 0xff).as("TOS").isEqualTo(0xB8);
        assertThat(TestPackets.u16(outer, 6)).as("flags and offset").isEqualTo(Relay.IPV4_FLAG_DF);
        assertThat(outer[8] & 0xff).as("TTL is ours, not the inner 3").isEqualTo(Relay.OUTER_TTL);
        assertThat(outer[9]).isEqualTo((byte) Relay.PROTOCOL_IPIP);

        byte[] fragmentNoDf = TestPackets.ipv4(S, SERVER, 17, 0x02, 78, Relay.IPV4_FLAG_MF | 100, 64, new byte[16]);
        outer = encapsulated(fragmentNoDf, 6);
        assertThat(outer[1] & 0xff).isEqualTo(0x02);
        assertThat(TestPackets.u16(outer, 6)).as("MF and offset belong to the inner packet").isZero();
    }

    @Test
    void anInnerFragmentIsCarriedAndComesOutUnchanged() {
        byte[] fragment = TestPackets.ipv4(S, SERVER, 17, 0, 78, Relay.IPV4_FLAG_MF | 100, 64, new byte[16]);
        ByteBuf buf = buffers.fromTun(fragment);
        try {
            assertThat(IpIp.encapsulate(buf, V, R)).isTrue();
            assertThat(IpIp.decapsulate(buf)).isNull();
            assertThat(Hex.readable(buf)).isEqualTo(fragment);
        } finally {
            buf.release();
        }
    }

    @Test
    void writesTheTotalLengthAndTheGivenIdentification() {
        byte[] inner = TestPackets.ipv4OfLength(S, SERVER, 100, 1);
        byte[] outer = encapsulated(inner, 0x1_2345); // only the low 16 bits fit
        assertThat(TestPackets.u16(outer, 2)).isEqualTo(120);
        assertThat(TestPackets.u16(outer, 4)).isEqualTo(0x2345);
        assertThat(outer).hasSize(120);
    }

    @Test
    void identificationIsZeroWithDfAndACounterWithout() {
        byte[] withDf = TestPackets.ipv4(S, SERVER, 6, 0, 1, Relay.IPV4_FLAG_DF, 64, new byte[8]);
        byte[] withoutDf = TestPackets.ipv4(S, SERVER, 17, 0, 1, 0, 64, new byte[8]);
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertThat(TestPackets.u16(encapsulatedByDefault(withDf), 4)).isZero();
            ids.add(TestPackets.u16(encapsulatedByDefault(withoutDf), 4));
        }
        assertThat(ids).as("100 packets that may be fragmented get 100 identifications").hasSize(100);
    }

    @Test
    void needsTwentyBytesOfHeadroomAndLeavesTheBufferAloneWithout() {
        byte[] inner = TestPackets.ipv4OfLength(S, SERVER, 40, 2);
        ByteBuf short19 = buffers.packet(19, inner, 0);
        ByteBuf exactly20 = buffers.packet(20, inner, 0);
        try {
            byte[] before = Hex.whole(short19);
            assertThat(IpIp.encapsulate(short19, V, R)).isFalse();
            assertThat(IpIp.encapsulate(short19, V, R, 1)).isFalse();
            assertThat(Hex.whole(short19)).isEqualTo(before);
            assertThat(short19.readerIndex()).isEqualTo(19);

            assertThat(IpIp.encapsulate(exactly20, V, R, 1)).isTrue();
            assertThat(exactly20.readerIndex()).isZero();
            assertThat(Hex.readable(exactly20)).isEqualTo(TestPackets.ipip(V, R, 1, inner));
        } finally {
            short19.release();
            exactly20.release();
        }
    }

    @Test
    void refusesSomethingThatCannotBeAnIpv4Packet() {
        ByteBuf tiny = buffers.packet(64, new byte[19], 0);
        ByteBuf huge = buffers.track(BufferKind.UNPOOLED_HEAP.allocate(64 + Relay.MAX_INNER_LENGTH + 1));
        try {
            huge.setIndex(64, huge.capacity());
            assertThatThrownBy(() -> IpIp.encapsulate(tiny, V, R)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> IpIp.encapsulate(huge, V, R, 0)).isInstanceOf(IllegalArgumentException.class);
            huge.writerIndex(huge.capacity() - 1); // exactly 65515 bytes: the largest that fits
            assertThat(IpIp.encapsulate(huge, V, R, 0)).isTrue();
            assertThat(TestPackets.u16(Hex.readable(huge.slice(huge.readerIndex(), 4)), 2)).isEqualTo(65535);
        } finally {
            tiny.release();
            huge.release();
        }
    }

    @Test
    void theInnerPacketIsNeverWrittenTo() {
        byte[] inner = TestPackets.icmpEcho(S, SERVER, 1, 2, 56);
        ByteBuf buf = buffers.fromTun(inner);
        try {
            byte[] room = Hex.whole(buf);
            assertThat(IpIp.encapsulate(buf, V, R)).isTrue();
            byte[] after = Hex.whole(buf);
            for (int i = 0; i < after.length; i++) {
                if (i < TestPackets.TUN_ROOM - 20 || i >= TestPackets.TUN_ROOM) {
                    assertThat(after[i]).as("byte %d outside the new header", i).isEqualTo(room[i]);
                }
            }
        } finally {
            buf.release();
        }
    }

    @Test
    void decapsulationHonoursOuterOptionsAndIgnoresBytesBeyondTheTotalLengths() {
        byte[] inner = TestPackets.icmpEcho(S, SERVER, 1, 2, 8);
        byte[] options = {1, 1, 1, 0}; // NOP, NOP, NOP, end of options: IHL 6
        byte[] outer = new byte[24 + inner.length + 6]; // 6 bytes of trailer beyond the outer total length
        System.arraycopy(TestPackets.ipip(V, R, 9, inner), 0, outer, 0, 20);
        outer[0] = 0x46;
        outer[3] = (byte) (24 + inner.length);
        System.arraycopy(options, 0, outer, 20, 4);
        System.arraycopy(inner, 0, outer, 24, inner.length);
        TestPackets.fixChecksum(outer, 0);
        ByteBuf buf = buffers.fromTun(outer);
        try {
            assertThat(IpIp.innerSource(buf)).isEqualTo(S);
            assertThat(IpIp.innerDestination(buf)).isEqualTo(SERVER);
            assertThat(IpIp.decapsulate(buf)).isNull();
            assertThat(Hex.readable(buf)).isEqualTo(inner);
        } finally {
            buf.release();
        }
    }

    @Test
    void outerPayloadLongerThanTheInnerPacketIsTrimmed() {
        byte[] inner = TestPackets.icmpEcho(S, SERVER, 1, 2, 8);
        byte[] padded = new byte[inner.length + 5];
        System.arraycopy(inner, 0, padded, 0, inner.length);
        byte[] outer = TestPackets.ipv4(V, R, Relay.PROTOCOL_IPIP, padded);
        ByteBuf buf = buffers.fromTun(outer);
        try {
            assertThat(IpIp.decapsulate(buf)).isNull();
            assertThat(Hex.readable(buf)).isEqualTo(inner);
        } finally {
            buf.release();
        }
    }

    private byte[] encapsulated(byte[] inner, int id) {
        ByteBuf buf = buffers.fromTun(inner);
        try {
            assertThat(IpIp.encapsulate(buf, V, R, id)).isTrue();
            byte[] outer = Hex.readable(buf);
            assertThat(TestPackets.checksum(outer, 0, 20)).isZero();
            return outer;
        } finally {
            buf.release();
        }
    }

    private byte[] encapsulatedByDefault(byte[] inner) {
        ByteBuf buf = buffers.fromTun(inner);
        try {
            assertThat(IpIp.encapsulate(buf, V, R)).isTrue();
            byte[] outer = Hex.readable(buf);
            assertThat(TestPackets.checksum(outer, 0, 20)).isZero();
            return outer;
        } finally {
            buf.release();
        }
    }
}
