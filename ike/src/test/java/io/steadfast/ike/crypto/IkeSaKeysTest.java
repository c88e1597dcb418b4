package io.steadfast.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Hex;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.Transform;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SKEYSEED and the seven keys (RFC 7296 2.14), checked against an independent computation. */
class IkeSaKeysTest {
    static final byte[] NI = Hex.bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final byte[] NR = Hex.bytes("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    static final byte[] GIR = Hex.bytes("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    static final long SPI_I = 0x0102030405060708L;
    static final long SPI_R = 0x1112131415161718L;

    static IkeSuite suite(String proposal) throws IkeParseException {
        return IkeSuite.of(ProposalSyntax.parseIke(proposal, 1));
    }

    static byte[] referenceKeymat(PrfAlgorithm prf, int length) {
        byte[] skeyseed = Reference.prf(prf, Reference.concat(NI, NR), GIR);
        byte[] seed = Reference.concat(NI, NR, ByteBuffer.allocate(16).putLong(SPI_I).putLong(SPI_R).array());
        return Reference.prfPlus(prf, skeyseed, seed, length);
    }

    @Test
    void skeyseedIsPrfOfTheNoncesOverTheSharedSecret() {
        assertThat(IkeSaKeys.skeyseed(PrfAlgorithm.HMAC_SHA2_256, NI, NR, GIR))
                .isEqualTo(Reference.prf(PrfAlgorithm.HMAC_SHA2_256, Reference.concat(NI, NR), GIR));
    }

    @Test
    void aeadSuiteSplitsKeymatWithSalts() throws Exception {
        IkeSuite suite = suite("aes128gcm16-prfsha256-x25519");
        assertThat(IkeSaKeys.keymatLength(suite)).isEqualTo(32 + 0 + 0 + 20 + 20 + 32 + 32);
        byte[] keymat = referenceKeymat(PrfAlgorithm.HMAC_SHA2_256, 136);
        try (IkeSaKeys keys = IkeSaKeys.derive(suite, GIR, NI, NR, SPI_I, SPI_R)) {
            assertThat(keys.skD()).isEqualTo(Arrays.copyOfRange(keymat, 0, 32));
            assertThat(keys.skAi()).isEmpty();
            assertThat(keys.skAr()).isEmpty();
            assertThat(keys.skEi()).isEqualTo(Arrays.copyOfRange(keymat, 32, 52));
            assertThat(keys.skEr()).isEqualTo(Arrays.copyOfRange(keymat, 52, 72));
            assertThat(keys.skPi()).isEqualTo(Arrays.copyOfRange(keymat, 72, 104));
            assertThat(keys.skPr()).isEqualTo(Arrays.copyOfRange(keymat, 104, 136));
        }
    }

    @Test
    void cbcSuiteHasIntegrityKeys() throws Exception {
        IkeSuite suite = suite("aes256-sha256-modp2048");
        assertThat(suite.integrity()).isEqualTo(IntegrityAlgorithm.HMAC_SHA2_256_128);
        assertThat(IkeSaKeys.keymatLength(suite)).isEqualTo(32 + 32 + 32 + 32 + 32 + 32 + 32);
        byte[] keymat = referenceKeymat(PrfAlgorithm.HMAC_SHA2_256, 224);
        try (IkeSaKeys keys = IkeSaKeys.derive(suite, GIR, NI, NR, SPI_I, SPI_R)) {
            assertThat(keys.skD()).isEqualTo(Arrays.copyOfRange(keymat, 0, 32));
            assertThat(keys.skAi()).isEqualTo(Arrays.copyOfRange(keymat, 32, 64));
            assertThat(keys.skAr()).isEqualTo(Arrays.copyOfRange(keymat, 64, 96));
            assertThat(keys.skEi()).isEqualTo(Arrays.copyOfRange(keymat, 96, 128));
            assertThat(keys.skEr()).isEqualTo(Arrays.copyOfRange(keymat, 128, 160));
            assertThat(keys.skPi()).isEqualTo(Arrays.copyOfRange(keymat, 160, 192));
            assertThat(keys.skPr()).isEqualTo(Arrays.copyOfRange(keymat, 192, 224));
        }
    }

    @Test
    void sha512SuiteUsesLongerPrfKeys() throws Exception {
        IkeSuite suite = suite("aes256gcm16-prfsha512-ecp256");
        assertThat(IkeSaKeys.keymatLength(suite)).isEqualTo(64 + 36 + 36 + 64 + 64);
        byte[] keymat = referenceKeymat(PrfAlgorithm.HMAC_SHA2_512, 264);
        try (IkeSaKeys keys = IkeSaKeys.derive(suite, GIR, NI, NR, SPI_I, SPI_R)) {
            assertThat(keys.skD()).isEqualTo(Arrays.copyOfRange(keymat, 0, 64));
            assertThat(keys.skEr()).isEqualTo(Arrays.copyOfRange(keymat, 100, 136));
            assertThat(keys.skPr()).isEqualTo(Arrays.copyOfRange(keymat, 200, 264));
        }
    }

    @Test
    void rekeySkeyseedUsesTheOldSkD() {
        byte[] oldSkD = Hex.bytes("aa".repeat(32));
        assertThat(IkeSaKeys.rekeySkeyseed(PrfAlgorithm.HMAC_SHA2_256, oldSkD, GIR, NI, NR))
                .isEqualTo(Reference.prf(PrfAlgorithm.HMAC_SHA2_256, oldSkD, Reference.concat(GIR, NI, NR)));
    }

    @Test
    void fromSkeyseedMatchesDerive() throws Exception {
        IkeSuite suite = suite("aes128gcm16-prfsha256-x25519");
        byte[] skeyseed = IkeSaKeys.skeyseed(PrfAlgorithm.HMAC_SHA2_256, NI, NR, GIR);
        try (IkeSaKeys a = IkeSaKeys.fromSkeyseed(suite, skeyseed, NI, NR, SPI_I, SPI_R);
                IkeSaKeys b = IkeSaKeys.derive(suite, GIR, NI, NR, SPI_I, SPI_R)) {
            assertThat(a.skPr()).isEqualTo(b.skPr());
        }
    }

    @Test
    void theSpisAreBigEndianInTheSeed() throws Exception {
        IkeSuite suite = suite("aes128gcm16-prfsha256-x25519");
        try (IkeSaKeys a = IkeSaKeys.derive(suite, GIR, NI, NR, SPI_I, SPI_R);
                IkeSaKeys swapped = IkeSaKeys.derive(suite, GIR, NI, NR, SPI_R, SPI_I)) {
            assertThat(a.skD()).isNotEqualTo(swapped.skD());
        }
    }

    @Test
    void bothEndsOpenWhatTheOtherSeals() throws Exception {
        IkeSuite suite = suite("aes256-sha256-modp2048");
        SecureRandom random = new SecureRandom();
        try (IkeSaKeys initiator = IkeSaKeys.derive(suite, GIR, NI, NR, SPI_I, SPI_R);
                IkeSaKeys responder = IkeSaKeys.derive(suite, GIR, NI, NR, SPI_I, SPI_R);
                SkCipher send = initiator.cipher(true, random);
                SkCipher receive = responder.cipher(true, random);
                SkCipher wrongDirection = responder.cipher(false, random)) {
            byte[] inner = Hex.bytes("2900000800004000");
            byte[] message = new byte[32 + send.sealedLength(inner.length)];
            send.seal(message, 32, inner);
            assertThat(receive.open(message, 32, message.length - 32)).isEqualTo(inner);
            assertThatThrownBy(() -> wrongDirection.open(message, 32, message.length - 32)).isInstanceOf(IkeParseException.class);
        }
    }

    @Test
    void closeZeroesEveryKey() throws Exception {
        IkeSaKeys keys = IkeSaKeys.derive(suite("aes256-sha256-modp2048"), GIR, NI, NR, SPI_I, SPI_R);
        keys.close();
        for (byte[] key : List.of(keys.skD(), keys.skAi(), keys.skAr(), keys.skEi(), keys.skEr(), keys.skPi(), keys.skPr())) {
            assertThat(key).containsOnly(0);
        }
    }

    @Test
    void accessorsReturnCopies() throws Exception {
        try (IkeSaKeys keys = IkeSaKeys.derive(suite("aes128gcm16-prfsha256-x25519"), GIR, NI, NR, SPI_I, SPI_R)) {
            byte[] skD = keys.skD();
            Arrays.fill(skD, (byte) 0);
            assertThat(keys.skD()).isNotEqualTo(skD);
        }
    }

    @Test
    void suiteFromAChosenProposal() throws Exception {
        IkeSuite suite = suite("aes128gcm16-prfsha256-x25519");
        assertThat(suite).isEqualTo(new IkeSuite(EncryptionAlgorithm.AES128_GCM16, null, PrfAlgorithm.HMAC_SHA2_256,
                DhGroup.CURVE25519));
        assertThat(suite("aes128-sha384-ecp256").prf()).isEqualTo(PrfAlgorithm.HMAC_SHA2_384);
    }

    @Test
    void suiteRefusesWhatWeDoNotImplement() {
        Proposal aesCtr = new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], List.of(Transform.of(Ike.TRANSFORM_ENCR, 13, 128),
                Transform.of(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_256), Transform.of(Ike.TRANSFORM_DH, Ike.DH_CURVE25519)));
        assertThatThrownBy(() -> IkeSuite.of(aesCtr)).isInstanceOf(IkeParseException.class)
                .satisfies(e -> assertThat(((IkeParseException) e).notifyType()).isEqualTo(Ike.NOTIFY_NO_PROPOSAL_CHOSEN));
        Proposal cbcWithoutInteg = new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], List.of(
                Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_CBC, 128), Transform.of(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_256),
                Transform.of(Ike.TRANSFORM_DH, Ike.DH_CURVE25519)));
        assertThatThrownBy(() -> IkeSuite.of(cbcWithoutInteg)).isInstanceOf(IkeParseException.class);
        Proposal gcmWithInteg = new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], List.of(
                Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128), Transform.of(Ike.TRANSFORM_INTEG, Ike.INTEG_HMAC_SHA2_256_128),
                Transform.of(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_256), Transform.of(Ike.TRANSFORM_DH, Ike.DH_CURVE25519)));
        assertThatThrownBy(() -> IkeSuite.of(gcmWithInteg)).isInstanceOf(IkeParseException.class);
        Proposal noDh = new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], List.of(
                Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128), Transform.of(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_256)));
        assertThatThrownBy(() -> IkeSuite.of(noDh)).isInstanceOf(IkeParseException.class);
        assertThatThrownBy(() -> new IkeSuite(EncryptionAlgorithm.AES128_CBC, null, PrfAlgorithm.HMAC_SHA2_256, DhGroup.ECP_256))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
