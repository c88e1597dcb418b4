package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.crypto.DhGroup;
import io.steadfast.ike.crypto.IkeSaKeys;
import io.steadfast.ike.crypto.IkeSuite;
import io.steadfast.ike.crypto.KeyExchange;
import io.steadfast.ike.payload.KePayload;
import io.steadfast.ike.payload.NoncePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.proposal.ProposalSelector;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * CREATE_CHILD_SA rekeying the IKE SA (RFC 7296 1.3.2, 2.18): our IKE proposals carrying a new SPIi, Ni and KEi for
 * the group in use. From the answer, {@code SKEYSEED = prf(SK_d old, g^ir new | Ni | Nr)} keys the new IKE SA (we are
 * its initiator); it becomes {@link SaContext#successor}, the {@link IkeSa} swaps to it, moves the Child SAs over and
 * deletes the old IKE SA. A refusal keeps the IKE SA as it is. The responder side is {@link #answer}.
 *
 * <pre>{@code
 * queue.add(new IkeRekeyExchange());   // IkeSa.rekeyIke(now)
 * }</pre>
 */
final class IkeRekeyExchange extends Exchange {
    private static final int NONCE_LENGTH = 32;
    private List<Proposal> proposals;
    private long newSpiI;
    private byte[] ni;
    private DhGroup group;
    private KeyExchange dh;

    @Override
    int type() {
        return Ike.EXCHANGE_CREATE_CHILD_SA;
    }

    @Override
    String name() {
        return "IKE SA rekey";
    }

    @Override
    List<Payload> request(SaContext sa) {
        if (proposals == null) {
            newSpiI = SaContext.newIkeSpi(sa.random);
            byte[] spi = spiBytes(newSpiI);
            proposals = ProposalSyntax.parseIke(sa.ikeProposals()).stream().map(p -> p.with(p.number(), spi)).toList();
            ni = NoncePayload.random(NONCE_LENGTH, sa.random).nonce();
            group = sa.keys.suite().group();
        }
        if (dh == null) dh = group.generate(sa.random);
        return List.of(new SaPayload(proposals), new NoncePayload(ni), new KePayload(group.id(), dh.publicValue()));
    }

    @Override
    Step response(SaContext sa, IkeMessage response) {
        Step step = judge(sa, response);
        if (!(step instanceof Again) && dh != null) {
            dh.close();
            dh = null;
        }
        return step;
    }

    private Step judge(SaContext sa, IkeMessage response) {
        try {
            var invalidKe = response.notify(Ike.NOTIFY_INVALID_KE_PAYLOAD);
            if (invalidKe.isPresent()) {
                DhGroup wanted = DhGroup.byId(invalidKe.get().invalidKeGroup());
                if (wanted != null && wanted != group && proposals.stream()
                        .anyMatch(p -> IkeInitExchange.groups(p).contains(wanted.id()))) {
                    dh.close();
                    dh = null;
                    group = wanted;
                    return new Again();
                }
            }
            if (!response.errors().isEmpty()) {
                IkeSa.warn("rekeying IKE SA " + sa.owner.name() + " refused by " + sa.remote + ": "
                        + Ike.notifyName(response.errors().getFirst().notifyType()) + "; it stays as it is");
                return new Done();
            }
            SaPayload answer = response.first(SaPayload.class).orElse(null);
            NoncePayload nr = response.first(NoncePayload.class).orElse(null);
            KePayload ke = response.first(KePayload.class).orElse(null);
            if (answer == null || nr == null || ke == null) {
                IkeSa.warn("rekeying IKE SA " + sa.owner.name() + ": the answer lacks SA, Nr or KE; it stays as it is");
                return new Done();
            }
            Proposal chosen = ProposalSelector.checkAnswer(proposals, answer);
            IkeSuite suite = IkeSuite.of(chosen);
            if (chosen.spi().length != Ike.IKE_SPI_LENGTH || ke.group() != group.id() || suite.group() != group) {
                IkeSa.warn("rekeying IKE SA " + sa.owner.name() + ": bad SPI or group in the answer; it stays as it is");
                return new Done();
            }
            long newSpiR = ByteBuffer.wrap(chosen.spi()).getLong();
            sa.successor = sa.successor(true, newSpiI, newSpiR, ni, nr.nonce(),
                    derive(sa, suite, dh.sharedSecret(ke.keyData()), ni, nr.nonce(), newSpiI, newSpiR),
                    ProposalSyntax.render(chosen));
            return new Done();
        } catch (IkeParseException e) {
            IkeSa.warn("rekeying IKE SA " + sa.owner.name() + ": " + e.getMessage() + "; it stays as it is");
            return new Done();
        }
    }

    /** Whether a CREATE_CHILD_SA request rekeys the IKE SA (its SA payload proposes protocol IKE). */
    static boolean isIkeRekey(IkeMessage request) {
        return request.first(SaPayload.class).map(s -> s.proposals().stream()
                .anyMatch(p -> p.protocolId() == Ike.PROTOCOL_IKE)).orElse(false);
    }

    /**
     * The answer when the peer rekeys the IKE SA: pick a proposal (its KE group if we accept it, else
     * INVALID_KE_PAYLOAD), answer with our new SPIr, Nr and KEr, and make the successor (the peer is its initiator);
     * the {@link IkeSa} swaps to it once the answer is out and waits for the peer's delete of the old one.
     */
    static Answer answer(SaContext sa, IkeMessage request) {
        SaPayload offered = request.first(SaPayload.class).orElse(null);
        NoncePayload ni = request.first(NoncePayload.class).orElse(null);
        KePayload ke = request.first(KePayload.class).orElse(null);
        if (offered == null || ni == null || ke == null) {
            return Answer.stay(List.of(NotifyPayload.of(Ike.NOTIFY_INVALID_SYNTAX)));
        }
        List<Proposal> ours = ProposalSyntax.parseIke(sa.ikeProposals());
        Proposal chosen = IkeInitResponder.preferKeGroup(ours, offered.proposals(), ke.group());
        if (chosen == null) {
            IkeSa.warn("IKE SA rekey from " + sa.remote + ": no proposal matched; peer offered "
                    + ProposalSyntax.render(offered.proposals()) + ", we accept " + sa.ikeProposals());
            return Answer.stay(List.of(NotifyPayload.of(Ike.NOTIFY_NO_PROPOSAL_CHOSEN)));
        }
        if (chosen.spi().length != Ike.IKE_SPI_LENGTH) {
            return Answer.stay(List.of(NotifyPayload.of(Ike.NOTIFY_INVALID_SYNTAX)));
        }
        int group = chosen.first(Ike.TRANSFORM_DH).id();
        if (group != ke.group()) return Answer.stay(List.of(NotifyPayload.invalidKePayload(group)));
        try (KeyExchange dh = DhGroup.byId(group).generate(sa.random)) {
            IkeSuite suite = IkeSuite.of(chosen);
            long newSpiI = ByteBuffer.wrap(chosen.spi()).getLong();
            long newSpiR = SaContext.newIkeSpi(sa.random);
            byte[] nr = NoncePayload.random(NONCE_LENGTH, sa.random).nonce();
            IkeSaKeys keys = derive(sa, suite, dh.sharedSecret(ke.keyData()), ni.nonce(), nr, newSpiI, newSpiR);
            sa.successor = sa.successor(false, newSpiI, newSpiR, ni.nonce(), nr, keys, ProposalSyntax.render(chosen));
            return Answer.stay(List.of(SaPayload.of(chosen.with(chosen.number(), spiBytes(newSpiR))), new NoncePayload(nr),
                    new KePayload(group, dh.publicValue())));
        } catch (IkeParseException e) {
            return Answer.stay(List.of(NotifyPayload.of(e.shouldAnswer() ? e.notifyType() : Ike.NOTIFY_INVALID_SYNTAX)));
        }
    }

    /** The new IKE SA's keys from the old SK_d and the new Diffie-Hellman secret (RFC 7296 2.18). */
    private static IkeSaKeys derive(SaContext sa, IkeSuite suite, byte[] shared, byte[] ni, byte[] nr, long spiI,
            long spiR) {
        byte[] skD = sa.keys.skD();
        byte[] skeyseed = IkeSaKeys.rekeySkeyseed(sa.keys.suite().prf(), skD, shared, ni, nr);
        try {
            return IkeSaKeys.fromSkeyseed(suite, skeyseed, ni, nr, spiI, spiR);
        } finally {
            Arrays.fill(skD, (byte) 0);
            Arrays.fill(skeyseed, (byte) 0);
            Arrays.fill(shared, (byte) 0);
        }
    }

    private static byte[] spiBytes(long spi) {
        return ByteBuffer.allocate(Ike.IKE_SPI_LENGTH).putLong(spi).array();
    }
}
