package io.steadfast.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.steadfast.esp.Esp;
import io.steadfast.esp.EspAlgorithm;
import io.steadfast.esp.EspDecryptor;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.esp.Lifetime;
import io.steadfast.ike.Hex;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.Transform;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** KEYMAT (RFC 7296 2.17) and its handover to the esp module. */
class ChildSaKeysTest {
    static final byte[] SK_D = Hex.bytes("000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f");
    static final byte[] NI = Hex.bytes("11".repeat(32));
    static final byte[] NR = Hex.bytes("22".repeat(32));

    @ParameterizedTest
    @EnumSource(value = EspAlgorithm.class, names = {"AES128GCM16", "AES256GCM16", "CHACHA20POLY1305"})
    void keymatIsPrfPlusOfTheNoncesInitiatorToResponderFirst(EspAlgorithm alg) {
        int length = alg.keyMaterialLength();
        byte[] keymat = Reference.prfPlus(PrfAlgorithm.HMAC_SHA2_256, SK_D, Reference.concat(NI, NR), 2 * length);
        try (ChildSaKeys keys = ChildSaKeys.derive(PrfAlgorithm.HMAC_SHA2_256, SK_D, alg, null, NI, NR)) {
            assertThat(keys.initiatorToResponder()).isEqualTo(Arrays.copyOfRange(keymat, 0, length));
            assertThat(keys.responderToInitiator()).isEqualTo(Arrays.copyOfRange(keymat, length, 2 * length));
            assertThat(keys.algorithm()).isEqualTo(alg);
        }
    }

    @Test
    void pfsPutsTheNewSharedSecretFirst() {
        byte[] gir = Hex.bytes("33".repeat(32));
        byte[] keymat = Reference.prfPlus(PrfAlgorithm.HMAC_SHA2_384, SK_D, Reference.concat(gir, NI, NR), 40);
        try (ChildSaKeys keys = ChildSaKeys.derive(PrfAlgorithm.HMAC_SHA2_384, SK_D, EspAlgorithm.AES128GCM16, gir, NI, NR)) {
            assertThat(keys.initiatorToResponder()).isEqualTo(Arrays.copyOfRange(keymat, 0, 20));
            assertThat(keys.responderToInitiator()).isEqualTo(Arrays.copyOfRange(keymat, 20, 40));
        }
    }

    @Test
    void securityAssociationsUseThePeersSpiOutbound() {
        try (ChildSaKeys keys = ChildSaKeys.derive(PrfAlgorithm.HMAC_SHA2_256, SK_D, EspAlgorithm.AES128GCM16, null, NI, NR)) {
            ChildSaKeys.Pair initiator = keys.securityAssociations(true, 0xc1000001, 0xc2000002, false, Lifetime.UNLIMITED);
            assertThat(initiator.outbound().spi()).isEqualTo(0xc2000002);
            assertThat(initiator.outbound().isOutbound()).isTrue();
            assertThat(initiator.inbound().spi()).isEqualTo(0xc1000001);
            assertThat(initiator.inbound().algorithm()).isEqualTo(EspAlgorithm.AES128GCM16);
        }
    }

    @Test
    void initiatorAndResponderSasTalkToEachOther() {
        byte[] inner = Hex.bytes("4500001c0000000040010000c0000201c0000202 0800f7ff00000000");
        try (ChildSaKeys keys = ChildSaKeys.derive(PrfAlgorithm.HMAC_SHA2_256, SK_D, EspAlgorithm.AES128GCM16, null, NI, NR)) {
            ChildSaKeys.Pair initiator = keys.securityAssociations(true, 0xc1000001, 0xc2000002, false, Lifetime.UNLIMITED);
            ChildSaKeys.Pair responder = keys.securityAssociations(false, 0xc2000002, 0xc1000001, false, Lifetime.UNLIMITED);
            keys.close(); // the SAs hold their own copies
            assertThat(roundTrip(initiator, responder, inner)).isEqualTo(inner);
            assertThat(roundTrip(responder, initiator, inner)).isEqualTo(inner);
            // Same direction keys on both ends, and different keys for the two directions.
            ByteBuf sealed = seal(initiator, inner);
            assertThat(new EspDecryptor(initiator.inbound()).open(sealed)).isNotNull();
            sealed.release();
        }
    }

    private static ByteBuf seal(ChildSaKeys.Pair from, byte[] inner) {
        EspEncryptor encryptor = new EspEncryptor(from.outbound());
        ByteBuf buf = Unpooled.buffer(EspEncryptor.MAX_HEADROOM + inner.length + encryptor.maxTailroom());
        buf.writerIndex(EspEncryptor.MAX_HEADROOM).readerIndex(EspEncryptor.MAX_HEADROOM);
        buf.writeBytes(inner);
        assertThat(encryptor.seal(buf, Esp.NEXT_HEADER_IPV4)).isNull();
        return buf;
    }

    private static byte[] roundTrip(ChildSaKeys.Pair from, ChildSaKeys.Pair to, byte[] inner) {
        ByteBuf buf = seal(from, inner);
        try {
            assertThat(new EspDecryptor(to.inbound()).open(buf)).isNull();
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    @Test
    void closeZeroesTheKeyMaterial() {
        ChildSaKeys keys = ChildSaKeys.derive(PrfAlgorithm.HMAC_SHA2_256, SK_D, EspAlgorithm.AES256GCM16, null, NI, NR);
        keys.close();
        assertThat(keys.initiatorToResponder()).containsOnly(0);
        assertThat(keys.responderToInitiator()).containsOnly(0);
    }

    @Test
    void childSuiteFromAChosenEspProposal() throws Exception {
        ChildSuite suite = ChildSuite.of(ProposalSyntax.parseEsp("aes256gcm16-esn", 1, new byte[4]));
        assertThat(suite.espAlgorithm()).isEqualTo(EspAlgorithm.AES256GCM16);
        assertThat(suite.extendedSequenceNumbers()).isTrue();
        assertThat(suite.group()).isNull();
        ChildSuite pfs = ChildSuite.of(ProposalSyntax.parseEsp("chacha20poly1305-x25519", 1, new byte[4]));
        assertThat(pfs.group()).isEqualTo(DhGroup.CURVE25519);
        assertThat(pfs.extendedSequenceNumbers()).isFalse();
    }

    @Test
    void childSuiteRefusesNonAeadEsp() {
        Proposal cbc = new Proposal(1, Ike.PROTOCOL_ESP, new byte[4], List.of(Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_CBC, 128),
                Transform.of(Ike.TRANSFORM_INTEG, Ike.INTEG_HMAC_SHA2_256_128), Transform.of(Ike.TRANSFORM_ESN, Ike.ESN_NO)));
        assertThatThrownBy(() -> ChildSuite.of(cbc)).isInstanceOf(IkeParseException.class)
                .hasMessageContaining("NO_PROPOSAL_CHOSEN");
        Proposal ike = ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519", 1);
        assertThatThrownBy(() -> ChildSuite.of(ike)).isInstanceOf(IkeParseException.class);
    }
}
