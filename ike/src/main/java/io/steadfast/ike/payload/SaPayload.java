package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * SA payload (RFC 7296 3.3): proposals in order of preference; a responder's answer holds exactly one.
 *
 * <pre>{@code
 * SaPayload offer = new SaPayload(ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519", 1));
 * }</pre>
 */
public record SaPayload(List<Proposal> proposals) implements Payload {
    /** Copies the list; an SA payload needs at least one proposal. */
    public SaPayload {
        proposals = List.copyOf(proposals);
        if (proposals.isEmpty()) {
            throw new IllegalArgumentException("an SA payload needs a proposal");
        }
    }

    /** An SA payload of one proposal. */
    public static SaPayload of(Proposal proposal) {
        return new SaPayload(List.of(proposal));
    }

    @Override
    public int type() {
        return Ike.PAYLOAD_SA;
    }

    /** Parses the body: proposals until the one marked last. */
    public static SaPayload parse(ByteReader body) throws IkeParseException {
        List<Proposal> proposals = new ArrayList<>();
        do {
            proposals.add(Proposal.parse(body));
        } while (!body.isEmpty());
        return new SaPayload(proposals);
    }

    @Override
    public void encodeBody(ByteWriter out) {
        for (int i = 0; i < proposals.size(); i++) {
            proposals.get(i).encode(out, i == proposals.size() - 1);
        }
    }

    @Override
    public String toString() {
        return "SA" + proposals;
    }
}
