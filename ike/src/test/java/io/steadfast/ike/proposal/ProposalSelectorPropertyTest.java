package io.steadfast.ike.proposal;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Random offers from strongSwan keywords: whatever the responder selects is in both offers, one transform per
 * type, and the initiator accepts it; if nothing is selected, no proposal pair shares an algorithm of every type.
 */
class ProposalSelectorPropertyTest {
    static final String[] AEAD = {"aes128gcm16", "aes256gcm16", "chacha20poly1305"};
    static final String[] CBC = {"aes128", "aes256"};
    static final String[] INTEG = {"sha256", "sha384", "sha512"};
    static final String[] PRF = {"prfsha256", "prfsha384", "prfsha512"};
    static final String[] DH = {"x25519", "ecp256", "modp2048"};

    static List<String> some(Random r, String[] from) {
        List<String> all = new ArrayList<>(List.of(from));
        java.util.Collections.shuffle(all, r);
        return all.subList(0, 1 + r.nextInt(all.size()));
    }

    static String ikeProposal(Random r) {
        List<String> words = new ArrayList<>();
        if (r.nextBoolean()) {
            words.addAll(some(r, AEAD));
            words.addAll(some(r, PRF));
        } else {
            words.addAll(some(r, CBC));
            words.addAll(some(r, INTEG));
        }
        words.addAll(some(r, DH));
        return String.join("-", words);
    }

    static String ikeList(Random r) {
        List<String> proposals = new ArrayList<>();
        for (int i = r.nextInt(3); i >= 0; i--) {
            proposals.add(ikeProposal(r));
        }
        return String.join(",", proposals);
    }

    static boolean shareEveryType(Proposal a, Proposal b) {
        for (int type = Ike.TRANSFORM_ENCR; type <= Ike.TRANSFORM_ESN; type++) {
            List<Transform> x = a.transforms(type);
            List<Transform> y = b.transforms(type);
            if (x.isEmpty() != y.isEmpty()) {
                return false;
            }
            if (!x.isEmpty() && x.stream().noneMatch(t -> y.stream().anyMatch(t::sameAlgorithm))) {
                return false;
            }
        }
        return true;
    }

    @RepeatedTest(300)
    void selectionIsConsistent(RepetitionInfo info) throws Exception {
        Random r = new Random(info.getCurrentRepetition() * 7919L);
        List<Proposal> initiator = ProposalSyntax.parseIke(ikeList(r));
        List<Proposal> responder = ProposalSyntax.parseIke(ikeList(r));
        Optional<Proposal> chosen = ProposalSelector.select(responder, initiator);
        if (chosen.isEmpty()) {
            for (Proposal a : initiator) {
                for (Proposal b : responder) {
                    assertThat(shareEveryType(a, b)).as("%s / %s", a, b).isFalse();
                }
            }
            return;
        }
        Proposal answer = chosen.get();
        Proposal offered = initiator.stream().filter(p -> p.number() == answer.number()).findFirst().orElseThrow();
        assertThat(answer.transforms()).allSatisfy(t -> {
            assertThat(offered.transforms(t.type())).anySatisfy(o -> assertThat(o.sameAlgorithm(t)).isTrue());
            assertThat(responder.stream().flatMap(p -> p.transforms(t.type()).stream())).anySatisfy(o -> assertThat(o.sameAlgorithm(t)).isTrue());
        });
        for (int type = Ike.TRANSFORM_ENCR; type <= Ike.TRANSFORM_DH; type++) {
            assertThat(answer.transforms(type)).hasSizeLessThanOrEqualTo(1);
        }
        assertThat(ProposalSelector.checkAnswer(initiator, SaPayload.of(answer))).isEqualTo(answer);
        // The responder's first matching proposal wins: none of its earlier proposals matches any offer.
        int index = -1;
        for (int i = 0; i < responder.size(); i++) {
            int at = i;
            if (initiator.stream().anyMatch(p -> shareEveryType(responder.get(at), p))) {
                index = i;
                break;
            }
        }
        assertThat(index).isGreaterThanOrEqualTo(0);
        assertThat(ProposalSyntax.render(answer)).doesNotContain("_");
    }
}
