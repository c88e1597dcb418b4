package io.steadfast.ike.proposal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Fixtures;
import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.Transform;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProposalSyntaxTest {
    static final byte[] SPI = {(byte) 0xc0, (byte) 0xff, (byte) 0xee, 0x01};

    static Transform t(int type, int id) {
        return Transform.of(type, id);
    }

    @Test
    void aeadIkeProposal() {
        Proposal p = ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519", 1);
        assertThat(p).usingRecursiveComparison().isEqualTo(Fixtures.ikeProposal());
    }

    @Test
    void cbcIkeProposalGetsTheMatchingPrf() {
        Proposal p = ProposalSyntax.parseIke("aes256-sha256-modp2048", 1);
        assertThat(p.transforms()).containsExactly(
                Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_CBC, 256),
                t(Ike.TRANSFORM_INTEG, Ike.INTEG_HMAC_SHA2_256_128),
                t(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_256),
                t(Ike.TRANSFORM_DH, Ike.DH_MODP_2048));
        assertThat(p.protocolId()).isEqualTo(Ike.PROTOCOL_IKE);
        assertThat(p.spi()).isEmpty();
    }

    @Test
    void ecpIkeProposal() {
        Proposal p = ProposalSyntax.parseIke("aes128gcm16-prfsha256-ecp256", 1);
        assertThat(p.first(Ike.TRANSFORM_DH)).isEqualTo(t(Ike.TRANSFORM_DH, Ike.DH_ECP_256));
        assertThat(p.first(Ike.TRANSFORM_INTEG)).isNull();
    }

    @Test
    void espProposalsGetNoEsnByDefault() {
        Proposal withDh = ProposalSyntax.parseEsp("aes128gcm16-x25519", 1, SPI);
        assertThat(withDh.transforms()).containsExactly(Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128),
                t(Ike.TRANSFORM_DH, Ike.DH_CURVE25519), t(Ike.TRANSFORM_ESN, Ike.ESN_NO));
        assertThat(withDh.spi()).isEqualTo(SPI);
        assertThat(withDh.protocolId()).isEqualTo(Ike.PROTOCOL_ESP);
        assertThat(ProposalSyntax.parseEsp("aes128gcm16", 1, SPI).transforms())
                .containsExactly(Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128), t(Ike.TRANSFORM_ESN, Ike.ESN_NO));
        assertThat(ProposalSyntax.parseEsp("chacha20poly1305", 1, SPI).transforms())
                .containsExactly(t(Ike.TRANSFORM_ENCR, Ike.ENCR_CHACHA20_POLY1305), t(Ike.TRANSFORM_ESN, Ike.ESN_NO));
    }

    @Test
    void espEsnKeywords() {
        assertThat(ProposalSyntax.parseEsp("aes256gcm16-esn", 1, SPI).transforms(Ike.TRANSFORM_ESN))
                .containsExactly(t(Ike.TRANSFORM_ESN, Ike.ESN_YES));
        assertThat(ProposalSyntax.parseEsp("aes256gcm16-esn-noesn", 1, SPI).transforms(Ike.TRANSFORM_ESN))
                .containsExactly(t(Ike.TRANSFORM_ESN, Ike.ESN_YES), t(Ike.TRANSFORM_ESN, Ike.ESN_NO));
    }

    @Test
    void listsAreNumberedFromOne() {
        List<Proposal> ike = ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519, aes256-sha256-modp2048");
        assertThat(ike).extracting(Proposal::number).containsExactly(1, 2);
        List<Proposal> esp = ProposalSyntax.parseEsp("aes128gcm16,chacha20poly1305", SPI);
        assertThat(esp).extracting(Proposal::number).containsExactly(1, 2);
        assertThat(esp).allSatisfy(p -> assertThat(p.spi()).isEqualTo(SPI));
    }

    @Test
    void severalAlgorithmsPerTypeKeepTheirOrder() {
        Proposal p = ProposalSyntax.parseIke("aes256gcm16-aes128gcm16-prfsha384-prfsha256-x25519-ecp256-modp2048", 1);
        assertThat(p.transforms(Ike.TRANSFORM_ENCR)).extracting(Transform::keyLength).containsExactly(256, 128);
        assertThat(p.transforms(Ike.TRANSFORM_PRF)).extracting(Transform::id).containsExactly(6, 5);
        assertThat(p.transforms(Ike.TRANSFORM_DH)).extracting(Transform::id).containsExactly(31, 19, 14);
    }

    @Test
    void keywordsAreCaseInsensitiveAndAliasesWork() {
        assertThat(ProposalSyntax.parseIke("AES128GCM128-PRFSHA256-Curve25519", 1))
                .usingRecursiveComparison().isEqualTo(Fixtures.ikeProposal());
        assertThat(ProposalSyntax.parseIke("aes128-sha2_256-x25519", 1).first(Ike.TRANSFORM_INTEG).id())
                .isEqualTo(Ike.INTEG_HMAC_SHA2_256_128);
    }

    @Test
    void duplicatesCollapse() {
        assertThat(ProposalSyntax.parseIke("aes128gcm16-aes128gcm16-prfsha256-x25519-x25519", 1))
                .usingRecursiveComparison().isEqualTo(Fixtures.ikeProposal());
    }

    @Test
    void aeadWithIntegrityKeywordUsesItOnlyForThePrf() {
        Proposal p = ProposalSyntax.parseIke("aes128gcm16-sha384-x25519", 1);
        assertThat(p.first(Ike.TRANSFORM_INTEG)).isNull();
        assertThat(p.first(Ike.TRANSFORM_PRF).id()).isEqualTo(Ike.PRF_HMAC_SHA2_384);
    }

    @Test
    void unknownKeywordListsWhatIsSupported() {
        assertThatThrownBy(() -> ProposalSyntax.parseIke("aes128gcm-prfsha256-x25519", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IKE proposal 'aes128gcm-prfsha256-x25519': unknown algorithm 'aes128gcm'")
                .hasMessageContaining("supported: encryption aes128, aes256, aes128gcm16, aes256gcm16, chacha20poly1305")
                .hasMessageContaining("prf prfsha256, prfsha384, prfsha512")
                .hasMessageContaining("dh modp2048, ecp256, x25519");
        assertThatThrownBy(() -> ProposalSyntax.parseEsp("3des", 1, SPI))
                .hasMessageContaining("ESP proposal '3des': unknown algorithm '3des'")
                .hasMessageContaining("encryption aes128gcm16, aes256gcm16, chacha20poly1305")
                .hasMessageContaining("esn, noesn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "aes128gcm16-prfsha256-x25519,", ",aes128gcm16-prfsha256-x25519"})
    void emptyProposalsAreRefused(String text) {
        assertThatThrownBy(() -> ProposalSyntax.parseIke(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void ikeProposalsNeedEncryptionPrfAndDh() {
        assertThatThrownBy(() -> ProposalSyntax.parseIke("prfsha256-x25519", 1)).hasMessageContaining("no encryption");
        assertThatThrownBy(() -> ProposalSyntax.parseIke("aes128gcm16-x25519", 1)).hasMessageContaining("no PRF");
        assertThatThrownBy(() -> ProposalSyntax.parseIke("aes128gcm16-prfsha256", 1)).hasMessageContaining("no DH group");
        assertThatThrownBy(() -> ProposalSyntax.parseIke("aes128-prfsha256-x25519", 1))
                .hasMessageContaining("needs an integrity algorithm");
    }

    @Test
    void aeadAndNonAeadDoNotMix() {
        assertThatThrownBy(() -> ProposalSyntax.parseIke("aes128-aes128gcm16-sha256-x25519", 1))
                .hasMessageContaining("AEAD and non-AEAD");
    }

    @Test
    void espTakesOnlyTheEspModulesTransforms() {
        assertThatThrownBy(() -> ProposalSyntax.parseEsp("aes128-sha256", 1, SPI))
                .hasMessageContaining("'aes128' is not an ESP transform");
        assertThatThrownBy(() -> ProposalSyntax.parseEsp("aes128gcm16-sha256", 1, SPI))
                .hasMessageContaining("only AEAD ciphers");
        assertThatThrownBy(() -> ProposalSyntax.parseEsp("aes128gcm16-prfsha256", 1, SPI))
                .hasMessageContaining("unknown algorithm 'prfsha256'");
        assertThatThrownBy(() -> ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519-esn", 1))
                .hasMessageContaining("unknown algorithm 'esn'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes128gcm16-prfsha256-x25519", "aes256-sha256-modp2048", "aes128gcm16-prfsha256-ecp256",
            "aes128-sha256-sha384-modp2048", "aes256-sha512-prfsha256-ecp256", "chacha20poly1305-prfsha512-x25519-ecp256"})
    void ikeRendersBackToTheSameText(String text) {
        assertThat(ProposalSyntax.render(ProposalSyntax.parseIke(text, 1))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes128gcm16-x25519", "aes128gcm16", "chacha20poly1305", "aes256gcm16-esn", "aes128gcm16-esn-noesn"})
    void espRendersBackToTheSameText(String text) {
        assertThat(ProposalSyntax.render(ProposalSyntax.parseEsp(text, 1, SPI))).isEqualTo(text);
    }

    @Test
    void renderingAChosenProposalForLogLines() {
        Proposal chosen = new Proposal(2, Ike.PROTOCOL_IKE, new byte[0], List.of(
                Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 256), t(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_384),
                t(Ike.TRANSFORM_DH, Ike.DH_ECP_256)));
        assertThat(ProposalSyntax.render(chosen)).isEqualTo("aes256gcm16-prfsha384-ecp256");
        List<Proposal> ours = ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519,aes256-sha256-modp2048");
        assertThat("peer offered " + ProposalSyntax.render(List.of(chosen)) + ", we offered " + ProposalSyntax.render(ours))
                .isEqualTo("peer offered aes256gcm16-prfsha384-ecp256, we offered aes128gcm16-prfsha256-x25519,aes256-sha256-modp2048");
    }

    @Test
    void renderingTransformsWeHaveNoKeywordFor() {
        Proposal theirs = new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], List.of(
                Transform.of(Ike.TRANSFORM_ENCR, 13, 128), Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 192),
                t(Ike.TRANSFORM_INTEG, Ike.INTEG_HMAC_SHA1_96), t(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA1),
                t(Ike.TRANSFORM_DH, Ike.DH_CURVE448), t(6, 0),
                new Transform(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128, true)));
        assertThat(ProposalSyntax.render(theirs)).isEqualTo(
                "ENCR_13_128-AES_GCM_16_192-AES_GCM_16_128-HMAC_SHA1_96-HMAC_SHA1-CURVE448-TRANSFORM_6_0");
    }
}
