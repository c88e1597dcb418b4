package io.steadfast.ike.crypto;

import io.steadfast.esp.EspAlgorithm;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.Transform;

/**
 * The algorithms of an ESP Child SA, read from the chosen proposal: an AEAD transform the esp module
 * implements, extended sequence numbers or not, and the PFS group (null without one).
 *
 * <pre>{@code
 * ChildSuite child = ChildSuite.of(chosenEspProposal);
 * ChildSaKeys keys = ChildSaKeys.derive(prf, skD, child.espAlgorithm(), null, ni, nr);
 * }</pre>
 */
public record ChildSuite(EncryptionAlgorithm encryption, boolean extendedSequenceNumbers, DhGroup group) {
    /** Checks that the esp module implements the cipher. */
    public ChildSuite {
        if (encryption == null || encryption.espAlgorithm() == null) {
            throw new IllegalArgumentException("ESP needs an AEAD transform the esp module implements, not " + encryption);
        }
    }

    /** The suite of a chosen ESP proposal; NO_PROPOSAL_CHOSEN when it is not one we implement. */
    public static ChildSuite of(Proposal chosen) throws IkeParseException {
        EncryptionAlgorithm encr = EncryptionAlgorithm.fromTransform(chosen.first(Ike.TRANSFORM_ENCR));
        Transform integ = chosen.first(Ike.TRANSFORM_INTEG);
        Transform esn = chosen.first(Ike.TRANSFORM_ESN);
        Transform dh = chosen.first(Ike.TRANSFORM_DH);
        DhGroup group = dh == null || dh.id() == Ike.DH_NONE ? null : DhGroup.byId(dh.id());
        boolean ok = chosen.protocolId() == Ike.PROTOCOL_ESP && encr != null && encr.espAlgorithm() != null
                && (integ == null || integ.id() == Ike.INTEG_NONE) && (dh == null || dh.id() == Ike.DH_NONE || group != null);
        if (!ok) {
            throw new IkeParseException(Ike.NOTIFY_NO_PROPOSAL_CHOSEN, "ESP proposal " + chosen + " is not one we implement");
        }
        return new ChildSuite(encr, esn != null && esn.id() == Ike.ESN_YES, group);
    }

    /** The esp module's transform. */
    public EspAlgorithm espAlgorithm() {
        return encryption.espAlgorithm();
    }
}
