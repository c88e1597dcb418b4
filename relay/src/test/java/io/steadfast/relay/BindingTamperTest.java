package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every damaged or forged binding message is refused: each single bit flip (MALFORMED_UPDATE in the
 * cleartext-checked first four bytes, BAD_MAC anywhere else), every truncation and extension, the wrong
 * key; and authentic messages whose fields are out of range are MALFORMED_UPDATE.
 */
class BindingTamperTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final byte[] KEY = TestPackets.key(42);
    static final int S = TestPackets.address("10.1.0.7");
    static final int V = TestPackets.address("10.2.0.9");

    final BindingCodec codec = new BindingCodec();

    @ParameterizedTest
    @EnumSource(BindingMessage.Type.class)
    void everySingleBitFlipIsRefused(BindingMessage.Type type) {
        byte[] wire = type == BindingMessage.Type.UPDATE
                ? codec.encodeUpdate(KEY, 7, 0x0123_4567_89ab_cdefL, S, V, 300)
                : codec.encodeAck(KEY, 7, 0x0123_4567_89ab_cdefL, S, V, 300, AckStatus.ACCEPTED);
        for (int bit = 0; bit < wire.length * 8; bit++) {
            byte[] flipped = wire.clone();
            flipped[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            RelayDropReason reason = parse(flipped, KEY).reason();
            if (bit < 32) {
                // magic, version and type are checked before the MAC; a flipped type bit never yields the other type
                assertThat(reason).as("bit %d", bit).isEqualTo(RelayDropReason.MALFORMED_UPDATE);
            } else {
                assertThat(reason).as("bit %d", bit).isEqualTo(RelayDropReason.BAD_MAC);
            }
        }
        assertThat(parse(wire, KEY).ok()).as("the original").isTrue();
    }

    @Test
    void everyTruncationAndExtensionIsMalformed() {
        byte[] wire = codec.encodeUpdate(KEY, 7, 1, S, V, 300);
        for (int length = 0; length < wire.length; length++) {
            assertThat(parse(Arrays.copyOf(wire, length), KEY).reason()).as("%d bytes", length).isEqualTo(RelayDropReason.MALFORMED_UPDATE);
        }
        assertThat(parse(Arrays.copyOf(wire, 49), KEY).reason()).isEqualTo(RelayDropReason.MALFORMED_UPDATE);
        assertThat(parse(Arrays.copyOf(wire, 96), KEY).reason()).isEqualTo(RelayDropReason.MALFORMED_UPDATE);
    }

    @Test
    void theWrongKeyIsBadMac() {
        byte[] wire = codec.encodeUpdate(KEY, 7, 1, S, V, 300);
        assertThat(parse(wire, TestPackets.key(43)).reason()).isEqualTo(RelayDropReason.BAD_MAC);
        byte[] oneBitOff = KEY.clone();
        oneBitOff[31] ^= 1;
        assertThat(parse(wire, oneBitOff).reason()).isEqualTo(RelayDropReason.BAD_MAC);
        assertThat(parse(wire, Arrays.copyOf(KEY, 16)).reason()).as("a prefix of the key").isEqualTo(RelayDropReason.BAD_MAC);
    }

    @Test
    void aZeroOrRandomTagIsBadMac() {
        byte[] wire = codec.encodeUpdate(KEY, 7, 1, S, V, 300);
        byte[] zeroTag = wire.clone();
        Arrays.fill(zeroTag, 32, 48, (byte) 0);
        assertThat(parse(zeroTag, KEY).reason()).isEqualTo(RelayDropReason.BAD_MAC);
        byte[] randomTag = wire.clone();
        System.arraycopy(TestPackets.random(16, 1), 0, randomTag, 32, 16);
        assertThat(parse(randomTag, KEY).reason()).isEqualTo(RelayDropReason.BAD_MAC);
    }

    @Test
    void authenticButOutOfRangeFieldsAreMalformed() throws Exception {
        byte[] update = codec.encodeUpdate(KEY, 7, 1, S, V, 300);
        assertThat(parse(resigned(update, 29, 1), KEY).reason()).as("reserved byte").isEqualTo(RelayDropReason.MALFORMED_UPDATE);
        assertThat(parse(resigned(update, 31, 0x80), KEY).reason()).as("last reserved byte").isEqualTo(RelayDropReason.MALFORMED_UPDATE);
        assertThat(parse(resigned(update, 28, 1), KEY).reason()).as("status in an update").isEqualTo(RelayDropReason.MALFORMED_UPDATE);
        byte[] zeroLifetime = update.clone();
        ByteBuffer.wrap(zeroLifetime).putInt(24, 0);
        assertThat(parse(resign(zeroLifetime), KEY).reason()).as("update lifetime 0").isEqualTo(RelayDropReason.MALFORMED_UPDATE);
        byte[] negativeLifetime = update.clone();
        ByteBuffer.wrap(negativeLifetime).putInt(24, -5);
        assertThat(parse(resign(negativeLifetime), KEY).reason()).isEqualTo(RelayDropReason.MALFORMED_UPDATE);
        byte[] ack = codec.encodeAck(KEY, 7, 1, S, V, 300, AckStatus.ACCEPTED);
        assertThat(parse(resigned(ack, 28, 9), KEY).reason()).as("unknown ack status").isEqualTo(RelayDropReason.MALFORMED_UPDATE);
        assertThat(parse(resigned(ack, 28, 2), KEY).message().status()).isEqualTo(AckStatus.STABLE_ADDRESS_NOT_ALLOWED);
    }

    @Test
    void wrongMagicVersionOrTypeIsMalformedEvenWithAGoodTag() throws Exception {
        byte[] update = codec.encodeUpdate(KEY, 7, 1, S, V, 300);
        assertThat(parse(resigned(update, 0, 0x54), KEY).reason()).isEqualTo(RelayDropReason.MALFORMED_UPDATE);
        assertThat(parse(resigned(update, 2, 2), KEY).reason()).as("version 2").isEqualTo(RelayDropReason.MALFORMED_UPDATE);
        assertThat(parse(resigned(update, 3, 3), KEY).reason()).as("type 3").isEqualTo(RelayDropReason.MALFORMED_UPDATE);
        assertThat(parse(resigned(update, 3, 0), KEY).reason()).as("type 0").isEqualTo(RelayDropReason.MALFORMED_UPDATE);
    }

    @Test
    void garbageNeverThrows() {
        java.util.Random random = new java.util.Random(99);
        for (int i = 0; i < 5_000; i++) {
            byte[] garbage = TestPackets.random(random.nextInt(60), i);
            if (garbage.length >= 4 && random.nextBoolean()) {
                garbage[0] = 0x53;
                garbage[1] = 0x46;
                garbage[2] = 1;
                garbage[3] = (byte) (1 + random.nextInt(2));
            }
            BindingCodec.Parsed parsed = parse(garbage, KEY);
            assertThat(parsed.ok()).isFalse();
            assertThat(parsed.reason()).isIn(RelayDropReason.MALFORMED_UPDATE, RelayDropReason.BAD_MAC);
        }
    }

    /** {@code wire} with one byte changed and a valid tag recomputed over it. */
    private static byte[] resigned(byte[] wire, int offset, int value) throws Exception {
        byte[] changed = wire.clone();
        changed[offset] = (byte) value;
        return resign(changed);
    }

    private static byte[] resign(byte[] changed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        mac.update(changed, 0, 32);
        System.arraycopy(mac.doFinal(), 0, changed, 32, 16);
        return changed;
    }

    private BindingCodec.Parsed parse(byte[] wire, byte[] key) {
        ByteBuf buf = buffers.packet(8, wire, 0);
        try {
            return codec.parse(buf, key);
        } finally {
            buf.release();
        }
    }
}
