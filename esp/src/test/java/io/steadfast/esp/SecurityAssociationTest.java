package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Construction rules, key handling and lifetime state of an SA direction. */
class SecurityAssociationTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void basicProperties(EspAlgorithm alg) {
        Lifetime lifetime = Lifetime.ofPackets(10, 20);
        SecurityAssociation out = SecurityAssociation.outbound(0xdeadbeef, alg, TestPackets.keyMaterial(alg, 1), true, lifetime);
        assertThat(out.spi()).isEqualTo(0xdeadbeef);
        assertThat(out.algorithm()).isEqualTo(alg);
        assertThat(out.isOutbound()).isTrue();
        assertThat(out.extendedSequenceNumbers()).isTrue();
        assertThat(out.lifetime()).isEqualTo(lifetime);
        assertThat(out.packets()).isZero();
        assertThat(out.bytes()).isZero();
        assertThat(out.lastSequenceNumber()).isZero();
        assertThat(out.isRekeyWanted()).isFalse();
        assertThat(out.isExpired()).isFalse();
        assertThat(out.isClosed()).isFalse();
        assertThat(out.replayWindow()).isNull();

        SecurityAssociation in = SecurityAssociation.inbound(0x100, alg, TestPackets.keyMaterial(alg, 1), false, Lifetime.UNLIMITED);
        assertThat(in.isOutbound()).isFalse();
        assertThat(in.replayWindow().size()).isEqualTo(Esp.DEFAULT_REPLAY_WINDOW);
        assertThat(in.replayWindow().extendedSequenceNumbers()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 100, 255})
    void reservedSpisAreRefused(int spi) {
        assertThatThrownBy(() -> SecurityAssociation.outbound(spi, EspAlgorithm.NULL, new byte[0], false, Lifetime.UNLIMITED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    @Test
    void spisAboveTheSignedRangeAreFine() {
        SecurityAssociation sa = SecurityAssociation.outbound(0xFFFF_FFFF, EspAlgorithm.NULL, new byte[0], false, Lifetime.UNLIMITED);
        assertThat(sa.spi()).isEqualTo(-1);
        assertThat(sa.toString()).contains("spi=0xffffffff");
        assertThat(SecurityAssociation.outbound(256, EspAlgorithm.NULL, new byte[0], false, Lifetime.UNLIMITED).spi()).isEqualTo(256);
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void keyMaterialMustBeKeyPlusSalt(EspAlgorithm alg) {
        byte[] tooShort = new byte[alg.keyMaterialLength() + 1];
        assertThatThrownBy(() -> SecurityAssociation.outbound(0x1000, alg, tooShort, false, Lifetime.UNLIMITED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(alg.keyword()).hasMessageContaining(String.valueOf(alg.keyMaterialLength()));
        if (alg.keyLength() > 0) {
            byte[] keyOnly = new byte[alg.keyLength()];
            assertThatThrownBy(() -> SecurityAssociation.inbound(0x1000, alg, keyOnly, false, Lifetime.UNLIMITED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("salt");
        }
    }

    @Test
    void replayWindowSizeIsChecked() {
        byte[] km = TestPackets.keyMaterial(EspAlgorithm.AES128GCM16, 1);
        assertThatThrownBy(() -> SecurityAssociation.inbound(0x1000, EspAlgorithm.AES128GCM16, km, false, 32, Lifetime.UNLIMITED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SecurityAssociation.inbound(0x1000, EspAlgorithm.AES128GCM16, km, false, 65536, Lifetime.UNLIMITED)
                .replayWindow().size()).isEqualTo(65536);
    }

    @Test
    void nullArgumentsAreRefused() {
        assertThatThrownBy(() -> SecurityAssociation.outbound(0x1000, null, new byte[0], false, Lifetime.UNLIMITED))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SecurityAssociation.outbound(0x1000, EspAlgorithm.NULL, null, false, Lifetime.UNLIMITED))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SecurityAssociation.outbound(0x1000, EspAlgorithm.NULL, new byte[0], false, null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void keyMaterialIsCopiedSoTheCallerMayZeroIt() {
        EspAlgorithm alg = EspAlgorithm.AES128GCM16;
        byte[] km = TestPackets.keyMaterial(alg, 8);
        byte[] original = km.clone();
        SecurityAssociation sa = SecurityAssociation.outbound(0x1000, alg, km, false, Lifetime.UNLIMITED);
        Arrays.fill(km, (byte) 0);
        assertThat(sa.key().getEncoded()).isEqualTo(Arrays.copyOf(original, 16));
        assertThat(sa.salt(0)).isEqualTo(original[16]);
        assertThat(sa.salt(3)).isEqualTo(original[19]);
    }

    @ParameterizedTest
    @EnumSource(value = EspAlgorithm.class, names = "NULL", mode = EnumSource.Mode.EXCLUDE)
    void closeZeroesTheKeyMaterialAndIsIdempotent(EspAlgorithm alg) {
        SecurityAssociation sa = SecurityAssociation.inbound(0x1000, alg, TestPackets.keyMaterial(alg, 8), false, Lifetime.UNLIMITED);
        assertThat(sa.key().getEncoded()).isNotEqualTo(new byte[alg.keyLength()]);
        sa.close();
        assertThat(sa.isClosed()).isTrue();
        assertThat(sa.isExpired()).isTrue();
        assertThat(sa.key().getEncoded()).isEqualTo(new byte[alg.keyLength()]);
        for (int i = 0; i < alg.saltLength(); i++) {
            assertThat(sa.salt(i)).isZero();
        }
        sa.close();
        assertThat(sa.isClosed()).isTrue();
        assertThat(sa.toString()).contains("closed");
    }

    @Test
    void theJceKeyReadsTheLiveMaterial() {
        EspAlgorithm alg = EspAlgorithm.CHACHA20POLY1305;
        SecurityAssociation sa = SecurityAssociation.outbound(0x1000, alg, TestPackets.keyMaterial(alg, 8), false, Lifetime.UNLIMITED);
        assertThat(sa.key().getAlgorithm()).isEqualTo("ChaCha20");
        assertThat(sa.key().getFormat()).isEqualTo("RAW");
        assertThat(sa.key().getEncoded()).hasSize(32);
        assertThat(sa.key().toString()).doesNotContain(Hex.of(sa.key().getEncoded()));
        assertThat(SecurityAssociation.outbound(0x1000, EspAlgorithm.AES256GCM16, TestPackets.keyMaterial(EspAlgorithm.AES256GCM16, 1),
                false, Lifetime.UNLIMITED).key().getAlgorithm()).isEqualTo("AES");
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void aClosedInboundSaRefusesAuthenticPackets(EspAlgorithm alg) {
        byte[] km = TestPackets.keyMaterial(alg, 4);
        SecurityAssociation in = SecurityAssociation.inbound(0x1000, alg, km, false, Lifetime.UNLIMITED);
        EspDecryptor decryptor = new EspDecryptor(in);
        assertThat(open(decryptor, ReferenceEsp.seal(alg, km, 0x1000, 1, false, 1, new byte[20], 4))).isNull();
        in.close();
        assertThat(open(decryptor, ReferenceEsp.seal(alg, km, 0x1000, 2, false, 2, new byte[20], 4))).isEqualTo(EspDropReason.SA_CLOSED);
        assertThat(open(decryptor, ReferenceEsp.seal(alg, km, 0x1000, 3, false, 3, new byte[20], 4))).isEqualTo(EspDropReason.SA_CLOSED);
        assertThat(in.packets()).isEqualTo(1);
    }

    @Test
    void inboundLifetimeSoftThenHard() {
        EspAlgorithm alg = EspAlgorithm.AES256GCM16;
        byte[] km = TestPackets.keyMaterial(alg, 4);
        SecurityAssociation in = SecurityAssociation.inbound(0x1000, alg, km, false, new Lifetime(2, 3, Long.MAX_VALUE, Long.MAX_VALUE));
        EspDecryptor decryptor = new EspDecryptor(in);
        for (int seq = 1; seq <= 3; seq++) {
            assertThat(open(decryptor, ReferenceEsp.seal(alg, km, 0x1000, seq, false, seq, new byte[10], 4))).isNull();
            assertThat(in.isRekeyWanted()).isEqualTo(seq >= 2);
        }
        assertThat(in.isExpired()).isTrue();
        assertThat(open(decryptor, ReferenceEsp.seal(alg, km, 0x1000, 4, false, 4, new byte[10], 4))).isEqualTo(EspDropReason.LIFETIME_EXPIRED);
        assertThat(in.packets()).isEqualTo(3);
        assertThat(in.bytes()).isEqualTo(30);
        assertThat(in.lastSequenceNumber()).isEqualTo(3);
    }

    @Test
    void inboundSaWantsARekeyOnceThePeersSequenceNumbersRunLow() {
        EspAlgorithm alg = EspAlgorithm.AES128GCM16;
        byte[] km = TestPackets.keyMaterial(alg, 5);
        SecurityAssociation in = SecurityAssociation.inbound(0x1000, alg, km, false, Lifetime.UNLIMITED);
        EspDecryptor decryptor = new EspDecryptor(in);
        assertThat(in.isRekeyWanted()).isFalse();
        assertThatThrownBy(() -> in.skipSequenceTo(5)).isInstanceOf(IllegalStateException.class);
        long early = Esp.MAX_SEQUENCE - Esp.SEQUENCE_REKEY_MARGIN;
        assertThat(open(decryptor, ReferenceEsp.seal(alg, km, 0x1000, early, false, early, new byte[10], 4))).isNull();
        assertThat(in.isRekeyWanted()).as("exactly the margin left").isFalse();
        long late = early + 1;
        assertThat(open(decryptor, ReferenceEsp.seal(alg, km, 0x1000, late, false, late, new byte[10], 4))).isNull();
        assertThat(in.lastSequenceNumber()).isEqualTo(late);
        assertThat(in.isRekeyWanted()).as("fewer than the margin left").isTrue();
    }

    @Test
    void withEsnTheSameSequenceNumbersAreFarFromTheEnd() {
        EspAlgorithm alg = EspAlgorithm.AES128GCM16;
        byte[] km = TestPackets.keyMaterial(alg, 6);
        SecurityAssociation out = SecurityAssociation.outbound(0x1000, alg, km, true, Lifetime.UNLIMITED);
        out.skipSequenceTo(Esp.MAX_SEQUENCE - 5);
        assertThat(out.isRekeyWanted()).isFalse();
        SecurityAssociation outNoEsn = SecurityAssociation.outbound(0x1001, alg, km, false, Lifetime.UNLIMITED);
        outNoEsn.skipSequenceTo(Esp.MAX_SEQUENCE - 5);
        assertThat(outNoEsn.isRekeyWanted()).isTrue();
    }

    @Test
    void countersAreVisibleToAnotherThread() throws Exception {
        SecurityAssociation sa = SecurityAssociation.outbound(0x1000, EspAlgorithm.NULL, new byte[0], false, Lifetime.UNLIMITED);
        Thread dataPlane = new Thread(() -> {
            for (int i = 0; i < 10_000; i++) {
                sa.takeNextSequence();
                sa.count(100);
            }
        });
        dataPlane.start();
        dataPlane.join();
        assertThat(sa.packets()).isEqualTo(10_000);
        assertThat(sa.bytes()).isEqualTo(1_000_000);
        assertThat(sa.lastSequenceNumber()).isEqualTo(10_000);
    }

    @Test
    void toStringShowsNoKey() {
        byte[] km = Hex.bytes("00112233445566778899aabbccddeeff deadbeef");
        SecurityAssociation sa = SecurityAssociation.outbound(0xabc, EspAlgorithm.AES128GCM16, km, true, Lifetime.UNLIMITED);
        assertThat(sa.toString()).contains("out", "aes128gcm16", "esn", "spi=0x00000abc")
                .doesNotContain("0011", "deadbeef", "DEADBEEF");
    }

    private EspDropReason open(EspDecryptor decryptor, byte[] esp) {
        ByteBuf buf = buffers.track(BufferKind.POOLED_DIRECT.withBytes(esp));
        try {
            return decryptor.open(buf);
        } finally {
            buf.release();
        }
    }
}
