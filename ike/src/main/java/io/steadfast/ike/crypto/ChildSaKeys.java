package io.steadfast.ike.crypto;

import io.steadfast.esp.EspAlgorithm;
import io.steadfast.esp.Lifetime;
import io.steadfast.esp.SecurityAssociation;
import java.util.Arrays;

/**
 * The keys of a Child SA (RFC 7296 2.17): {@code KEYMAT = prf+(SK_d, Ni | Nr)}, or with PFS
 * {@code prf+(SK_d, g^ir (new) | Ni | Nr)}; the initiator-to-responder key material comes first, then
 * the responder-to-initiator one, each {@code key | salt} for the AEAD transforms the esp module takes.
 *
 * <pre>{@code
 * try (ChildSaKeys keys = ChildSaKeys.derive(prf, keys.skD(), EspAlgorithm.AES128GCM16, null, ni, nr)) {
 *     ChildSaKeys.Pair sas = keys.securityAssociations(true, ourSpi, peerSpi, false, Lifetime.UNLIMITED);
 * }
 * }</pre>
 */
public final class ChildSaKeys implements AutoCloseable {
    private final EspAlgorithm algorithm;
    private final byte[] initiatorToResponder;
    private final byte[] responderToInitiator;

    /** The two directions of a Child SA: what we send with, what we receive with. */
    public record Pair(SecurityAssociation outbound, SecurityAssociation inbound) {}

    private ChildSaKeys(EspAlgorithm algorithm, byte[] keymat) {
        this.algorithm = algorithm;
        int length = algorithm.keyMaterialLength();
        this.initiatorToResponder = Arrays.copyOfRange(keymat, 0, length);
        this.responderToInitiator = Arrays.copyOfRange(keymat, length, 2 * length);
    }

    /** Derives KEYMAT; {@code pfsSharedSecret} is the new g^ir of a CREATE_CHILD_SA with KE, else null. */
    public static ChildSaKeys derive(PrfAlgorithm prf, byte[] skD, EspAlgorithm algorithm, byte[] pfsSharedSecret,
            byte[] ni, byte[] nr) {
        byte[] seed = pfsSharedSecret == null ? IkeSaKeys.concat(ni, nr) : IkeSaKeys.concat(pfsSharedSecret, ni, nr);
        byte[] keymat = PrfPlus.expand(prf, skD, seed, 2 * algorithm.keyMaterialLength());
        try {
            return new ChildSaKeys(algorithm, keymat);
        } finally {
            Arrays.fill(keymat, (byte) 0);
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The ESP transform. */
    public EspAlgorithm algorithm() {
        return algorithm;
    }

    /** Key material (key | salt) of the initiator-to-responder SA (a copy). */
    public byte[] initiatorToResponder() {
        return initiatorToResponder.clone();
    }

    /** Key material (key | salt) of the responder-to-initiator SA (a copy). */
    public byte[] responderToInitiator() {
        return responderToInitiator.clone();
    }

    /**
     * The esp module's SAs for our side: outbound on the SPI the peer chose for its inbound SA, inbound on
     * ours. The SAs copy the key material; this object may be closed afterwards.
     */
    public Pair securityAssociations(boolean weAreInitiator, int ourInboundSpi, int peerInboundSpi,
            boolean extendedSequenceNumbers, Lifetime lifetime) {
        byte[] send = weAreInitiator ? initiatorToResponder : responderToInitiator;
        byte[] receive = weAreInitiator ? responderToInitiator : initiatorToResponder;
        SecurityAssociation outbound = SecurityAssociation.outbound(peerInboundSpi, algorithm, send,
                extendedSequenceNumbers, lifetime);
        SecurityAssociation inbound = SecurityAssociation.inbound(ourInboundSpi, algorithm, receive,
                extendedSequenceNumbers, lifetime);
        return new Pair(outbound, inbound);
    }

    /** Zeroes both key materials. */
    @Override
    public void close() {
        Arrays.fill(initiatorToResponder, (byte) 0);
        Arrays.fill(responderToInitiator, (byte) 0);
    }
}
