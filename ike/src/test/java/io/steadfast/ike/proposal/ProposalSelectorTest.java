package io.steadfast.ike.proposal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProposalSelectorTest {
    static final byte[] PEER_SPI = {1, 2, 3, 4};

    static List<Proposal> ike(String text) {
        return ProposalSyntax.parseIke(text);
    }

    static String selected(String ours, String theirs) {
        return ProposalSelector.select(ike(ours), ike(theirs)).map(ProposalSyntax::render).orElse("none");
    }

    @Test
    void firstOfOursThatThePeerOffered() {
        assertThat(selected("aes128gcm16-prfsha256-x25519,aes256-sha256-modp2048",
                "aes256-sha256-modp2048,aes128gcm16-prfsha256-x25519")).isEqualTo("aes128gcm16-prfsha256-x25519");
    }

    @Test
    void withinAProposalOurAlgorithmOrderWins() {
        assertThat(selected("aes256gcm16-aes128gcm16-prfsha256-ecp256-x25519",
                "aes128gcm16-aes256gcm16-prfsha512-prfsha256-x25519-ecp256")).isEqualTo("aes256gcm16-prfsha256-ecp256");
    }

    @Test
    void answerKeepsThePeersNumberAndSpi() {
        List<Proposal> theirs = ProposalSyntax.parseEsp("chacha20poly1305,aes128gcm16", PEER_SPI);
        Proposal chosen = ProposalSelector.select(ProposalSyntax.parseEsp("aes128gcm16", new byte[] {9, 9, 9, 9}), theirs)
                .orElseThrow();
        assertThat(chosen.number()).isEqualTo(2);
        assertThat(chosen.spi()).isEqualTo(PEER_SPI);
        assertThat(chosen.transforms()).hasSize(2);
    }

    @Test
    void noCommonAlgorithmMeansNoProposal() {
        assertThat(selected("aes128gcm16-prfsha256-x25519", "aes128gcm16-prfsha256-ecp256")).isEqualTo("none");
        assertThat(selected("aes128gcm16-prfsha256-x25519", "aes256gcm16-prfsha256-x25519")).isEqualTo("none");
        assertThat(selected("aes256-sha256-modp2048", "aes256-sha384-prfsha256-modp2048")).isEqualTo("none");
    }

    @Test
    void keyLengthsMustMatch() {
        assertThat(selected("aes128-sha256-modp2048", "aes256-sha256-modp2048")).isEqualTo("none");
    }

    @Test
    void protocolsMustMatch() {
        List<Proposal> esp = ProposalSyntax.parseEsp("aes128gcm16", PEER_SPI);
        assertThat(ProposalSelector.select(ike("aes128gcm16-prfsha256-x25519"), esp)).isEmpty();
    }

    @Test
    void aTypeOnlyOneSideHasDoesNotMatch() {
        // ESP with PFS on our side, without on theirs.
        assertThat(ProposalSelector.select(ProposalSyntax.parseEsp("aes128gcm16-x25519", PEER_SPI),
                ProposalSyntax.parseEsp("aes128gcm16", PEER_SPI))).isEmpty();
    }

    @Test
    void noneMatchesAbsence() {
        List<Transform> transforms = new ArrayList<>(ProposalSyntax.parseEsp("aes128gcm16", 1, PEER_SPI).transforms());
        transforms.add(Transform.of(Ike.TRANSFORM_DH, Ike.DH_NONE));
        transforms.add(Transform.of(Ike.TRANSFORM_INTEG, Ike.INTEG_NONE));
        Proposal theirs = new Proposal(1, Ike.PROTOCOL_ESP, PEER_SPI, transforms);
        Optional<Proposal> chosen = ProposalSelector.select(ProposalSyntax.parseEsp("aes128gcm16", PEER_SPI), List.of(theirs));
        assertThat(chosen).isPresent();
        assertThat(chosen.get().first(Ike.TRANSFORM_DH)).isNull();
        // and the other way round
        assertThat(ProposalSelector.select(List.of(theirs), ProposalSyntax.parseEsp("aes128gcm16", PEER_SPI))).isPresent();
    }

    @Test
    void optionalPfsOfferedAsNoneOrAGroup() {
        List<Transform> transforms = new ArrayList<>(ProposalSyntax.parseEsp("aes128gcm16-x25519", 1, PEER_SPI).transforms());
        transforms.add(Transform.of(Ike.TRANSFORM_DH, Ike.DH_NONE));
        Proposal theirs = new Proposal(1, Ike.PROTOCOL_ESP, PEER_SPI, transforms);
        assertThat(ProposalSelector.select(ProposalSyntax.parseEsp("aes128gcm16", PEER_SPI), List.of(theirs))).isPresent();
        assertThat(ProposalSelector.select(ProposalSyntax.parseEsp("aes128gcm16-x25519", PEER_SPI), List.of(theirs))
                .orElseThrow().first(Ike.TRANSFORM_DH).id()).isEqualTo(Ike.DH_CURVE25519);
    }

    @Test
    void transformsWithUnknownAttributesAreNeverChosen() {
        Proposal theirs = new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], List.of(
                new Transform(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128, true),
                Transform.of(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_256), Transform.of(Ike.TRANSFORM_DH, Ike.DH_CURVE25519)));
        assertThat(ProposalSelector.select(ike("aes128gcm16-prfsha256-x25519"), List.of(theirs))).isEmpty();
    }

    @Test
    void unknownTransformTypesOnlyOneSideHasDoNotMatch() {
        List<Transform> transforms = new ArrayList<>(ike("aes128gcm16-prfsha256-x25519").get(0).transforms());
        transforms.add(Transform.of(6, 36));
        Proposal theirs = new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], transforms);
        assertThat(ProposalSelector.select(ike("aes128gcm16-prfsha256-x25519"), List.of(theirs))).isEmpty();
        List<Transform> optional = new ArrayList<>(transforms);
        optional.add(Transform.of(6, 0));
        assertThat(ProposalSelector.select(ike("aes128gcm16-prfsha256-x25519"),
                List.of(new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], optional)))).isPresent();
    }

    @Test
    void initiatorAcceptsAnAnswerAmongOurs() throws Exception {
        List<Proposal> ours = ike("aes128gcm16-prfsha256-x25519,aes256-sha256-modp2048");
        Proposal answer = ProposalSelector.select(ike("aes256-sha256-modp2048"), ours).orElseThrow();
        assertThat(answer.number()).isEqualTo(2);
        assertThat(ProposalSelector.checkAnswer(ours, SaPayload.of(answer))).isEqualTo(answer);
    }

    @Test
    void initiatorAcceptsAnEspAnswerWithTheResponderSpiAndWithoutPfsGroup() throws Exception {
        List<Proposal> ours = ProposalSyntax.parseEsp("aes128gcm16-x25519", new byte[] {9, 9, 9, 9});
        Proposal answer = ProposalSyntax.parseEsp("aes128gcm16", 1, PEER_SPI);
        assertThat(ProposalSelector.checkAnswer(ours, SaPayload.of(answer)).spiAsInt()).isEqualTo(0x01020304);
    }

    @Test
    void initiatorRefusesAnAnswerNotAmongOurs() {
        List<Proposal> ours = ike("aes128gcm16-prfsha256-x25519");
        assertNoProposal(ours, ProposalSyntax.parseIke("aes128gcm16-prfsha256-ecp256", 1), "ECP_256");
        assertNoProposal(ours, ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519", 2), "proposal 2");
        assertNoProposal(ours, new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], List.of(
                Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128), Transform.of(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_256))),
                "no DH transform");
        assertNoProposal(ours, new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], List.of(
                new Transform(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128, true), Transform.of(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_256),
                Transform.of(Ike.TRANSFORM_DH, Ike.DH_CURVE25519))), "did not offer");
        assertNoProposal(ours, ProposalSyntax.parseEsp("aes128gcm16", 1, PEER_SPI), "proposal 1");
    }

    @Test
    void initiatorRefusesMalformedAnswers() {
        List<Proposal> ours = ike("aes128gcm16-aes256gcm16-prfsha256-x25519");
        assertThatThrownBy(() -> ProposalSelector.checkAnswer(ours, new SaPayload(ours.subList(0, 1).stream()
                .flatMap(p -> java.util.stream.Stream.of(p, p)).toList())))
                .isInstanceOf(IkeParseException.class).hasMessageContaining("2 proposals");
        assertThatThrownBy(() -> ProposalSelector.checkAnswer(ours, SaPayload.of(ours.get(0))))
                .isInstanceOf(IkeParseException.class).hasMessageContaining("two transforms of type ENCR")
                .satisfies(e -> assertThat(((IkeParseException) e).notifyType()).isEqualTo(Ike.NOTIFY_INVALID_SYNTAX));
    }

    private static void assertNoProposal(List<Proposal> ours, Proposal answer, String message) {
        assertThatThrownBy(() -> ProposalSelector.checkAnswer(ours, SaPayload.of(answer)))
                .isInstanceOf(IkeParseException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((IkeParseException) e).notifyType()).isEqualTo(Ike.NOTIFY_NO_PROPOSAL_CHOSEN));
    }
}
