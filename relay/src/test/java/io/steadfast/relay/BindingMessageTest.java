package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Binding messages round-trip through encode and parse, lay their fields out exactly as the Javadoc's
 * table says, and match hex fixtures made with a known key by a separate script (Python's hmac module).
 */
class BindingMessageTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final byte[] FIXTURE_KEY = Hex.bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final long FIXTURE_SEQUENCE = 1_718_000_000_000L << 16;
    static final int S = TestPackets.address("10.1.0.7");
    static final int V = TestPackets.address("10.2.0.9");
    static final int R = TestPackets.address("10.0.0.1");

    /** Update: client 7, sequence 1718000000000 << 16, 10.1.0.7 -> 10.2.0.9, 300 s. */
    static final String UPDATE_FIXTURE = """
            5346 01 01 00000007 019000c79c000000 0a010007 0a020009 0000012c 00 000000
            fdb338755cbb0d7c5e0e0f99178aa772""";
    /** Its ACCEPTED ack, 300 s granted. */
    static final String ACK_FIXTURE = """
            5346 01 02 00000007 019000c79c000000 0a010007 0a020009 0000012c 00 000000
            52951e42e1058562cab35342b46de11c""";
    /** The update in its IPv4/UDP packet 10.2.0.9:4505 -> 10.0.0.1:4505. */
    static final String UPDATE_PACKET_FIXTURE = "4500004c00004000401126960a0200090a000001 119911990038f356" + UPDATE_FIXTURE;

    final BindingCodec codec = new BindingCodec();

    @Test
    void encodesTheUpdateFixture() {
        assertThat(Hex.of(codec.encodeUpdate(FIXTURE_KEY, 7, FIXTURE_SEQUENCE, S, V, 300))).isEqualTo(Hex.of(Hex.bytes(UPDATE_FIXTURE)));
    }

    @Test
    void encodesTheAckFixture() {
        assertThat(Hex.of(codec.encodeAck(FIXTURE_KEY, 7, FIXTURE_SEQUENCE, S, V, 300, AckStatus.ACCEPTED)))
                .isEqualTo(Hex.of(Hex.bytes(ACK_FIXTURE)));
    }

    @Test
    void parsesTheFixtures() {
        assertThat(parse(Hex.bytes(UPDATE_FIXTURE), FIXTURE_KEY).message())
                .isEqualTo(new BindingMessage(BindingMessage.Type.UPDATE, 7, FIXTURE_SEQUENCE, S, V, 300, null));
        assertThat(parse(Hex.bytes(ACK_FIXTURE), FIXTURE_KEY).message())
                .isEqualTo(new BindingMessage(BindingMessage.Type.ACK, 7, FIXTURE_SEQUENCE, S, V, 300, AckStatus.ACCEPTED));
    }

    @Test
    void theUpdatePacketFixture() {
        byte[] packet = BindingPacket.encode(V, Relay.DEFAULT_PORT, R, Relay.DEFAULT_PORT, Hex.bytes(UPDATE_FIXTURE));
        assertThat(Hex.of(packet)).isEqualTo(Hex.of(Hex.bytes(UPDATE_PACKET_FIXTURE)));
        assertThat(packet).hasSize(Relay.MESSAGE_PACKET_LENGTH);
    }

    @Test
    void updateRoundTripsWithExtremeValues() {
        byte[] key = TestPackets.key(1);
        long[] sequences = {0, 1, Long.MAX_VALUE, Long.MIN_VALUE, -1L};
        int[] ids = {0, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, -1};
        for (long sequence : sequences) {
            for (int id : ids) {
                BindingMessage m = parse(codec.encodeUpdate(key, id, sequence, -1, 0, Integer.MAX_VALUE), key).message();
                assertThat(m).isEqualTo(new BindingMessage(BindingMessage.Type.UPDATE, id, sequence, -1, 0, Integer.MAX_VALUE, null));
                assertThat(m.isUpdate()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AckStatus.class)
    void ackRoundTripsWithEveryStatus(AckStatus status) {
        byte[] key = TestPackets.key(2);
        BindingMessage m = parse(codec.encodeAck(key, 9, 12345, S, V, 0, status), key).message();
        assertThat(m).isEqualTo(new BindingMessage(BindingMessage.Type.ACK, 9, 12345, S, V, 0, status));
        assertThat(m.isUpdate()).isFalse();
    }

    @Test
    void layoutIsTheDocumentedOne() {
        byte[] wire = codec.encodeAck(TestPackets.key(3), 0x01020304, 0x1112131415161718L, 0x21222324, 0x31323334, 0x41424344,
                AckStatus.STABLE_ADDRESS_NOT_ALLOWED);
        assertThat(wire).hasSize(48);
        assertThat(Hex.of(java.util.Arrays.copyOf(wire, 32)))
                .isEqualTo("5346" + "01" + "02" + "01020304" + "1112131415161718" + "21222324" + "31323334" + "41424344" + "02" + "000000");
        assertThat(Relay.MAC_OFFSET + Relay.MAC_LENGTH).isEqualTo(Relay.MESSAGE_LENGTH);
        assertThat(Relay.RESERVED_OFFSET + 3).isEqualTo(Relay.MAC_OFFSET);
    }

    @Test
    void theTagIsTheFirstHalfOfHmacSha256OverTheFirst32Bytes() throws Exception {
        byte[] key = TestPackets.key(4);
        byte[] wire = codec.encodeUpdate(key, 5, 6, S, V, 7);
        javax.crypto.Mac reference = javax.crypto.Mac.getInstance("HmacSHA256");
        reference.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        byte[] full = reference.doFinal(java.util.Arrays.copyOf(wire, 32));
        assertThat(java.util.Arrays.copyOfRange(wire, 32, 48)).isEqualTo(java.util.Arrays.copyOf(full, 16));
    }

    @Test
    void oneCodecServesManyKeysInTurn() {
        byte[] a = TestPackets.key(10);
        byte[] b = TestPackets.key(11);
        byte[] fromA = codec.encodeUpdate(a, 1, 1, S, V, 1);
        byte[] fromB = codec.encodeUpdate(b, 1, 1, S, V, 1);
        assertThat(fromA).isNotEqualTo(fromB);
        for (int i = 0; i < 3; i++) {
            assertThat(parse(fromA, a).ok()).isTrue();
            assertThat(parse(fromB, b).ok()).isTrue();
            assertThat(parse(fromA, b).reason()).isEqualTo(RelayDropReason.BAD_MAC);
        }
        byte[] sameBytesOtherArray = a.clone();
        assertThat(parse(fromA, sameBytesOtherArray).ok()).isTrue();
        assertThat(new BindingCodec().encodeUpdate(a, 1, 1, S, V, 1)).as("a fresh codec writes the same").isEqualTo(fromA);
    }

    @Test
    void parsingLeavesTheIndicesAlone() {
        byte[] key = TestPackets.key(5);
        ByteBuf buf = buffers.packet(28, codec.encodeUpdate(key, 1, 2, S, V, 3), 4);
        try {
            assertThat(codec.parse(buf, key).ok()).isTrue();
            assertThat(buf.readerIndex()).isEqualTo(28);
            assertThat(buf.readableBytes()).isEqualTo(48);
            assertThat(BindingMessage.clientId(buf)).isEqualTo(1);
            assertThat(BindingMessage.checkFormat(buf)).isNull();
        } finally {
            buf.release();
        }
    }

    @Test
    void countsEveryMacItComputes() {
        byte[] key = TestPackets.key(6);
        BindingCodec fresh = new BindingCodec();
        byte[] wire = fresh.encodeUpdate(key, 1, 2, S, V, 3);
        parseWith(fresh, wire, key);
        parseWith(fresh, new byte[47], key); // malformed: no MAC computed
        assertThat(fresh.macComputations()).isEqualTo(2);
    }

    @Test
    void refusesNonsenseToEncode() {
        byte[] key = TestPackets.key(7);
        assertThatThrownBy(() -> codec.encodeUpdate(key, 1, 1, S, V, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encodeUpdate(key, 1, 1, S, V, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encodeAck(key, 1, 1, S, V, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encodeUpdate(new byte[15], 1, 1, S, V, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BindingMessage(null, 1, 1, S, V, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BindingMessage(BindingMessage.Type.UPDATE, 1, 1, S, V, 1, AckStatus.ACCEPTED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(codec.encodeUpdate(new byte[16], 1, 1, S, V, 1)).as("16 bytes is the shortest key").hasSize(48);
    }

    @Test
    void describesItselfReadably() {
        assertThat(new BindingMessage(BindingMessage.Type.UPDATE, -1, -1L, S, V, 300, null))
                .hasToString("UPDATE client 4294967295 seq 18446744073709551615 10.1.0.7 -> 10.2.0.9 lifetime 300s");
        assertThat(AckStatus.ofCode(1)).isEqualTo(AckStatus.STALE_SEQUENCE);
        assertThat(AckStatus.ofCode(3)).isNull();
    }

    private BindingCodec.Parsed parse(byte[] wire, byte[] key) {
        return parseWith(codec, wire, key);
    }

    private BindingCodec.Parsed parseWith(BindingCodec c, byte[] wire, byte[] key) {
        ByteBuf buf = buffers.packet(0, wire, 0);
        try {
            return c.parse(buf, key);
        } finally {
            buf.release();
        }
    }
}
