package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seal then open, for every algorithm, every inner packet size from 1 to 1500 bytes, with and without
 * ESN, with the inner packet at varied reader offsets and with varied spare tailroom, on every buffer kind.
 */
class RoundTripTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static final int MAX_SIZE = 1500;

    static Stream<Arguments> cases() {
        return Arrays.stream(EspAlgorithm.values()).flatMap(alg -> Stream.of(false, true).flatMap(esn ->
                Arrays.stream(BufferKind.values()).map(kind -> Arguments.of(alg, esn, kind))));
    }

    @ParameterizedTest(name = "{0} esn={1} {2}")
    @MethodSource("cases")
    void everySizeFrom1To1500(EspAlgorithm alg, boolean esn, BufferKind kind) {
        byte[] km = TestPackets.keyMaterial(alg, alg.ordinal());
        int spi = 0x0a0b0c0d;
        SecurityAssociation out = SecurityAssociation.outbound(spi, alg, km, esn, Lifetime.UNLIMITED);
        SecurityAssociation in = SecurityAssociation.inbound(spi, alg, km, esn, Lifetime.UNLIMITED);
        if (esn) {
            out.skipSequenceTo(0xFFFF_FF00L); // cross the 2^32 boundary on the way
            in.replayWindow().update(0xFFFF_FF00L); // as if the SA had carried the packets before
        }
        EspEncryptor encryptor = new EspEncryptor(out);
        EspDecryptor decryptor = new EspDecryptor(in);
        long innerBytes = 0;
        for (int size = 1; size <= MAX_SIZE; size++) {
            byte[] inner = TestPackets.random(size, size * 31L + alg.ordinal());
            int headroom = encryptor.headroom() + size % 7;
            int tailroom = encryptor.maxTailroom() + size % 5;
            ByteBuf buf = buffers.track(kind.withPacket(headroom, inner, tailroom));
            try {
                assertThat(encryptor.seal(buf, size % 2 == 0 ? 4 : 41)).as("seal size %d", size).isNull();
                int padded = size + Esp.padLength(size) + Esp.TRAILER_LENGTH;
                assertThat(padded % 4).isZero();
                assertThat(buf.readerIndex()).isEqualTo(headroom - encryptor.headroom());
                assertThat(buf.readableBytes()).isEqualTo(encryptor.headroom() + padded + alg.icvLength());
                assertThat(EspInUdp.classify(buf)).isEqualTo(EspInUdp.Kind.ESP);
                assertThat(EspInUdp.spi(buf)).isEqualTo(spi);

                assertThat(decryptor.open(buf)).as("open size %d", size).isNull();
                assertThat(decryptor.nextHeader()).isEqualTo(size % 2 == 0 ? 4 : 41);
                assertThat(buf.readerIndex()).isEqualTo(headroom);
                assertThat(Hex.readable(buf)).as("inner size %d", size).isEqualTo(inner);
                assertThat(decryptor.sequenceNumber()).isEqualTo(out.lastSequenceNumber());
            } finally {
                buf.release();
            }
            innerBytes += size;
        }
        assertThat(out.packets()).isEqualTo(MAX_SIZE);
        assertThat(in.packets()).isEqualTo(MAX_SIZE);
        assertThat(out.bytes()).isEqualTo(innerBytes);
        assertThat(in.bytes()).isEqualTo(innerBytes);
        assertThat(in.lastSequenceNumber()).isEqualTo(out.lastSequenceNumber());
        if (esn) {
            assertThat(in.lastSequenceNumber()).isGreaterThan(0xFFFF_FFFFL);
        }
    }

    @ParameterizedTest(name = "{0} esn={1} {2}")
    @MethodSource("cases")
    void emptyInnerPacketRoundTrips(EspAlgorithm alg, boolean esn, BufferKind kind) {
        byte[] km = TestPackets.keyMaterial(alg, 3);
        EspEncryptor encryptor = new EspEncryptor(SecurityAssociation.outbound(0x777, alg, km, esn, Lifetime.UNLIMITED));
        EspDecryptor decryptor = new EspDecryptor(SecurityAssociation.inbound(0x777, alg, km, esn, Lifetime.UNLIMITED));
        ByteBuf buf = buffers.track(kind.withPacket(encryptor.headroom(), new byte[0], encryptor.maxTailroom()));
        try {
            assertThat(encryptor.seal(buf, 4)).isNull();
            assertThat(buf.readableBytes()).isEqualTo(decryptor.minimumPacketLength() + 2);
            assertThat(decryptor.open(buf)).isNull();
            assertThat(buf.readableBytes()).isZero();
        } finally {
            buf.release();
        }
    }
}
