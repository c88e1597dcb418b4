package io.steadfast.ike.proposal;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.Transform;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Proposal selection (RFC 7296 2.7, 3.3.6). Responder: the first of our proposals that matches one the
 * peer offered, picking per transform type the first of our algorithms the peer also offered; the answer
 * keeps the peer's proposal number and SPI. Initiator: the responder's answer must hold one proposal,
 * one transform per type, each among those of our proposal of that number, and every type we require.
 * "NONE" (INTEG or DH ID 0) on one side matches the type's absence on the other.
 *
 * <pre>{@code
 * Optional<Proposal> chosen = ProposalSelector.select(ours, peerSa.proposals());
 * Proposal accepted = ProposalSelector.checkAnswer(ours, responderSa); // throws NO_PROPOSAL_CHOSEN
 * }</pre>
 */
public final class ProposalSelector {
    private ProposalSelector() {}

    /** Responder side: the chosen proposal, or empty (answer NO_PROPOSAL_CHOSEN). */
    public static Optional<Proposal> select(List<Proposal> ours, List<Proposal> offered) {
        for (Proposal our : ours) {
            for (Proposal their : offered) {
                Proposal chosen = match(our, their);
                if (chosen != null) {
                    return Optional.of(chosen);
                }
            }
        }
        return Optional.empty();
    }

    /** Our proposal and theirs reduced to one transform per type, or null if they do not match. */
    static Proposal match(Proposal our, Proposal their) {
        if (our.protocolId() != their.protocolId()) {
            return null;
        }
        Set<Integer> types = new LinkedHashSet<>();
        our.transforms().forEach(t -> types.add(t.type()));
        their.transforms().forEach(t -> types.add(t.type()));
        List<Transform> chosen = new ArrayList<>();
        for (int type : types) {
            List<Transform> mine = usable(our, type);
            List<Transform> theirs = usable(their, type);
            Transform pick = mine.stream().filter(m -> theirs.stream().anyMatch(m::sameAlgorithm)).findFirst().orElse(null);
            if (pick != null) {
                chosen.add(Transform.of(pick.type(), pick.id(), pick.keyLength()));
            } else if (!(mine.isEmpty() && hasNone(theirs)) && !(theirs.isEmpty() && hasNone(mine))) {
                return null;
            }
        }
        return new Proposal(their.number(), their.protocolId(), their.spi(), chosen);
    }

    /**
     * Initiator side: checks the responder's SA payload against what we offered and returns its single
     * proposal (with the responder's SPI). INVALID_SYNTAX for a malformed answer, NO_PROPOSAL_CHOSEN for
     * one that is not among ours.
     */
    public static Proposal checkAnswer(List<Proposal> ours, SaPayload answer) throws IkeParseException {
        if (answer.proposals().size() != 1) {
            throw IkeParseException.syntax("the responder answered with " + answer.proposals().size() + " proposals");
        }
        Proposal chosen = answer.proposals().get(0);
        Set<Integer> seen = new HashSet<>();
        for (Transform t : chosen.transforms()) {
            if (!seen.add(t.type())) {
                throw IkeParseException.syntax("the responder chose two transforms of type " + Ike.transformTypeName(t.type()));
            }
        }
        Proposal our = ours.stream().filter(p -> p.number() == chosen.number() && p.protocolId() == chosen.protocolId())
                .findFirst().orElseThrow(() -> new IkeParseException(Ike.NOTIFY_NO_PROPOSAL_CHOSEN,
                        "the responder chose proposal " + chosen.number() + ", which we did not offer"));
        for (Transform t : chosen.transforms()) {
            if (t.unknownAttributes() || our.transforms(t.type()).stream().noneMatch(t::sameAlgorithm)) {
                throw new IkeParseException(Ike.NOTIFY_NO_PROPOSAL_CHOSEN, "the responder chose " + t
                        + ", which we did not offer in " + ProposalSyntax.render(our));
            }
        }
        for (Transform t : our.transforms()) {
            boolean optional = hasNone(our.transforms(t.type()))
                    || (t.type() == Ike.TRANSFORM_DH && our.protocolId() != Ike.PROTOCOL_IKE);
            if (!optional && !seen.contains(t.type())) {
                throw new IkeParseException(Ike.NOTIFY_NO_PROPOSAL_CHOSEN, "the responder chose no "
                        + Ike.transformTypeName(t.type()) + " transform");
            }
        }
        return chosen;
    }

    private static List<Transform> usable(Proposal proposal, int type) {
        return proposal.transforms(type).stream().filter(t -> !t.unknownAttributes()).toList();
    }

    private static boolean hasNone(List<Transform> transforms) {
        return transforms.stream().anyMatch(t -> t.id() == 0
                && (t.type() == Ike.TRANSFORM_INTEG || t.type() == Ike.TRANSFORM_DH || t.type() > Ike.TRANSFORM_ESN));
    }
}
