package io.steadfast.ike.crypto;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.Transform;

/**
 * The algorithms of an IKE SA, read from the one proposal the responder chose: encryption, integrity
 * (null with an AEAD cipher), PRF and Diffie-Hellman group.
 *
 * <pre>{@code
 * IkeSuite suite = IkeSuite.of(chosenProposal);
 * try (IkeSaKeys keys = IkeSaKeys.derive(suite, sharedSecret, ni, nr, spiI, spiR)) { ... }
 * }</pre>
 */
public record IkeSuite(EncryptionAlgorithm encryption, IntegrityAlgorithm integrity, PrfAlgorithm prf, DhGroup group) {
    /** Checks that integrity is present exactly when the cipher is not AEAD. */
    public IkeSuite {
        if (encryption == null || prf == null || group == null) {
            throw new IllegalArgumentException("an IKE suite needs encryption, PRF and DH group");
        }
        if (encryption.isAead() == (integrity != null)) {
            throw new IllegalArgumentException(encryption.keyword() + (encryption.isAead()
                    ? " is combined-mode and takes no integrity algorithm" : " needs an integrity algorithm"));
        }
    }

    /**
     * The suite of a chosen IKE proposal (one transform per type); NO_PROPOSAL_CHOSEN when it names
     * something we do not implement or lacks a type.
     */
    public static IkeSuite of(Proposal chosen) throws IkeParseException {
        EncryptionAlgorithm encr = EncryptionAlgorithm.fromTransform(chosen.first(Ike.TRANSFORM_ENCR));
        Transform prfTransform = chosen.first(Ike.TRANSFORM_PRF);
        Transform integTransform = chosen.first(Ike.TRANSFORM_INTEG);
        Transform dhTransform = chosen.first(Ike.TRANSFORM_DH);
        PrfAlgorithm prf = prfTransform == null ? null : PrfAlgorithm.byId(prfTransform.id());
        IntegrityAlgorithm integ = integTransform == null || integTransform.id() == Ike.INTEG_NONE ? null
                : IntegrityAlgorithm.byId(integTransform.id());
        DhGroup group = dhTransform == null ? null : DhGroup.byId(dhTransform.id());
        boolean integOk = encr != null && (encr.isAead() ? integ == null && (integTransform == null
                || integTransform.id() == Ike.INTEG_NONE) : integ != null);
        if (encr == null || prf == null || group == null || !integOk) {
            throw new IkeParseException(Ike.NOTIFY_NO_PROPOSAL_CHOSEN, "IKE proposal " + chosen + " is not one we implement");
        }
        return new IkeSuite(encr, integ, prf, group);
    }

    /** Length of SK_ai and SK_ar (0 with AEAD). */
    public int integrityKeyLength() {
        return integrity == null ? 0 : integrity.keyLength();
    }
}
