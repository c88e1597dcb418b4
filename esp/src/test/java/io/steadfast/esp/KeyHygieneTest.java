package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What happens to keys when an SA closes, and how the encryptor and decryptor treat caller mistakes. */
class KeyHygieneTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    @ParameterizedTest
    @EnumSource(value = EspAlgorithm.class, names = "NULL", mode = EnumSource.Mode.EXCLUDE)
    void afterCloseNothingSealsEvenWithAFreshEncryptor(EspAlgorithm alg) {
        SecurityAssociation sa = SecurityAssociation.outbound(0x3000, alg, TestPackets.keyMaterial(alg, 2), false, Lifetime.UNLIMITED);
        sa.close();
        EspEncryptor late = new EspEncryptor(sa);
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withPacket(16, new byte[20], 32));
        try {
            assertThat(late.seal(buf, 4)).isEqualTo(EspDropReason.SA_CLOSED);
            assertThat(Hex.readable(buf)).isEqualTo(new byte[20]);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(value = EspAlgorithm.class, names = "NULL", mode = EnumSource.Mode.EXCLUDE)
    void theEncryptorWipesItsCipherOnceTheSaIsClosed(EspAlgorithm alg) {
        byte[] km = TestPackets.keyMaterial(alg, 2);
        SecurityAssociation out = SecurityAssociation.outbound(0x3000, alg, km, false, Lifetime.UNLIMITED);
        EspEncryptor encryptor = new EspEncryptor(out);
        byte[] inner = TestPackets.random(64, 3);
        ByteBuf first = buffers.track(BufferKind.POOLED_DIRECT.withPacket(16, inner, 32));
        try {
            assertThat(encryptor.seal(first, 4)).isNull();
        } finally {
            first.release();
        }
        out.close();
        ByteBuf second = buffers.track(BufferKind.POOLED_DIRECT.withPacket(16, inner, 32));
        try {
            assertThat(encryptor.seal(second, 4)).isEqualTo(EspDropReason.SA_CLOSED);
            assertThat(Hex.readable(second)).as("nothing was encrypted, under any key").isEqualTo(inner);
        } finally {
            second.release();
        }
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void readOnlyBuffersAreCallerBugs(EspAlgorithm alg) {
        byte[] km = TestPackets.keyMaterial(alg, 2);
        EspEncryptor encryptor = new EspEncryptor(SecurityAssociation.outbound(0x3000, alg, km, false, Lifetime.UNLIMITED));
        EspDecryptor decryptor = new EspDecryptor(SecurityAssociation.inbound(0x3000, alg, km, false, Lifetime.UNLIMITED));
        ByteBuf buf = buffers.track(Unpooled.buffer(100).writerIndex(60).readerIndex(16));
        try {
            ByteBuf readOnly = buf.asReadOnly();
            assertThatThrownBy(() -> encryptor.seal(readOnly, 4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writable");
            assertThatThrownBy(() -> decryptor.open(readOnly)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writable");
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(value = EspAlgorithm.class, names = "NULL", mode = EnumSource.Mode.EXCLUDE)
    void sealedBytesDoNotContainTheKeyOrThePlaintext(EspAlgorithm alg) {
        byte[] km = TestPackets.keyMaterial(alg, 2);
        EspEncryptor encryptor = new EspEncryptor(SecurityAssociation.outbound(0x3000, alg, km, false, Lifetime.UNLIMITED));
        byte[] inner = "a very recognisable inner packet payload".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withPacket(16, inner, 32));
        try {
            assertThat(encryptor.seal(buf, 4)).isNull();
            String wire = Hex.of(buf);
            assertThat(wire).doesNotContain(Hex.of(inner).substring(0, 16)).doesNotContain(Hex.of(km).substring(0, 16));
        } finally {
            buf.release();
        }
    }
}
