package io.steadfast.ike.sa;

import io.steadfast.esp.Lifetime;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.crypto.ChildSaKeys;
import io.steadfast.ike.crypto.ChildSuite;
import io.steadfast.ike.crypto.DhGroup;
import io.steadfast.ike.crypto.KeyExchange;
import io.steadfast.ike.payload.KePayload;
import io.steadfast.ike.payload.NoncePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.payload.TsPayload;
import io.steadfast.ike.proposal.ProposalSelector;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CREATE_CHILD_SA rekeying a Child SA (RFC 7296 1.3.3, 2.8), make-before-break: N(REKEY_SA) naming the old SA's
 * inbound SPI, the ESP proposals with a fresh SPI, Ni, KEi when the proposal asks for PFS, and the old SA's traffic
 * selectors. The answer becomes a new Child SA ({@link IkeEvent.ChildSaRekeyed}); only then is the old one deleted
 * ({@link ChildDeleteExchange}), so traffic always has an SA. A refused rekey leaves the old SA as it is. The
 * responder side is {@link #answer}.
 *
 * <pre>{@code
 * queue.add(new ChildRekeyExchange(child));   // IkeSa.rekeyChild(child, now)
 * }</pre>
 */
final class ChildRekeyExchange extends Exchange {
    private static final int NONCE_LENGTH = 32;
    private final ChildSa old;
    private List<Proposal> proposals;
    private int newSpi;
    private byte[] ni;
    private DhGroup group;
    private KeyExchange dh;

    ChildRekeyExchange(ChildSa old) {
        this.old = old;
    }

    @Override
    int type() {
        return Ike.EXCHANGE_CREATE_CHILD_SA;
    }

    @Override
    String name() {
        return "CREATE_CHILD_SA rekey of " + String.format("%08x", old.inboundSpi());
    }

    @Override
    List<Payload> request(SaContext sa) {
        sa.rekeying = old;
        if (proposals == null) {
            newSpi = sa.newChildSpi();
            proposals = ProposalSyntax.parseEsp(sa.espProposals(), SaContext.spiBytes(newSpi));
            ni = NoncePayload.random(NONCE_LENGTH, sa.random).nonce();
            group = firstGroup(proposals);
        }
        if (group != null && dh == null) dh = group.generate(sa.random);
        List<Payload> payloads = new ArrayList<>();
        payloads.add(NotifyPayload.forEsp(Ike.NOTIFY_REKEY_SA, old.inboundSpi(), new byte[0]));
        payloads.add(new SaPayload(proposals));
        payloads.add(new NoncePayload(ni));
        if (dh != null) payloads.add(new KePayload(group.id(), dh.publicValue()));
        payloads.add(new TsPayload(true, old.localTs()));
        payloads.add(new TsPayload(false, old.remoteTs()));
        return payloads;
    }

    @Override
    Step response(SaContext sa, IkeMessage response) {
        var invalidKe = response.notify(Ike.NOTIFY_INVALID_KE_PAYLOAD);
        if (invalidKe.isPresent()) {
            try {
                DhGroup wanted = DhGroup.byId(invalidKe.get().invalidKeGroup());
                if (wanted != null && wanted != group && proposals.stream().anyMatch(p -> IkeInitExchange.groups(p)
                        .contains(wanted.id()))) {
                    closeDh();
                    group = wanted;
                    return new Again();
                }
            } catch (IkeParseException e) {
                // a malformed INVALID_KE_PAYLOAD: give up on this rekey like on any refusal
            }
        }
        sa.rekeying = null;
        try {
            if (!response.errors().isEmpty()) {
                IkeSa.warn("rekeying " + old + " with " + sa.remote + " refused: "
                        + Ike.notifyName(response.errors().getFirst().notifyType()) + "; the old Child SA stays");
                return new Done();
            }
            SaPayload answer = response.first(SaPayload.class).orElse(null);
            NoncePayload nr = response.first(NoncePayload.class).orElse(null);
            if (answer == null || nr == null) {
                IkeSa.warn("rekeying " + old + ": the answer lacks SA or Nr; the old Child SA stays");
                return new Done();
            }
            Proposal chosen = ProposalSelector.checkAnswer(proposals, answer);
            ChildSuite suite = ChildSuite.of(chosen);
            byte[] shared = null;
            if (suite.group() != null) {
                KePayload ke = response.first(KePayload.class).orElse(null);
                if (dh == null || ke == null || ke.group() != group.id() || suite.group() != group) {
                    IkeSa.warn("rekeying " + old + ": PFS group mismatch in the answer; the old Child SA stays");
                    return new Done();
                }
                shared = dh.sharedSecret(ke.keyData());
            }
            List<TrafficSelector> tsi = selectors(response, true, old.localTs());
            List<TrafficSelector> tsr = selectors(response, false, old.remoteTs());
            ChildSa fresh = derive(sa, suite, shared, ni, nr.nonce(), true, newSpi, chosen.spiAsInt(),
                    ProposalSyntax.render(chosen), tsi, tsr, old.virtualIp());
            if (shared != null) Arrays.fill(shared, (byte) 0);
            sa.events.add(new IkeEvent.ChildSaRekeyed(sa.owner, old, fresh));
            sa.followUps.add(new ChildDeleteExchange(old));
            return new Done();
        } catch (IkeParseException | IllegalStateException e) {
            IkeSa.warn("rekeying " + old + ": " + e.getMessage() + "; the old Child SA stays");
            return new Done();
        } finally {
            closeDh();
        }
    }

    /**
     * The answer to the peer's CREATE_CHILD_SA: a rekey of one of our Child SAs. A new Child SA without REKEY_SA,
     * or an IKE SA rekey, is declined with NO_ADDITIONAL_SAS; a rekey of a Child SA we are rekeying ourselves with
     * TEMPORARY_FAILURE (RFC 7296 2.25: the peer retries later).
     */
    static Answer answer(SaContext sa, IkeMessage request) {
        NotifyPayload rekey = request.notify(Ike.NOTIFY_REKEY_SA).orElse(null);
        SaPayload offered = request.first(SaPayload.class).orElse(null);
        NoncePayload ni = request.first(NoncePayload.class).orElse(null);
        if (offered == null || ni == null) return Answer.stay(List.of(NotifyPayload.of(Ike.NOTIFY_INVALID_SYNTAX)));
        if (rekey == null || rekey.protocolId() != Ike.PROTOCOL_ESP || rekey.spi().length != Ike.CHILD_SPI_LENGTH
                || offered.proposals().stream().anyMatch(p -> p.protocolId() != Ike.PROTOCOL_ESP)) {
            return Answer.stay(List.of(NotifyPayload.of(Ike.NOTIFY_NO_ADDITIONAL_SAS)));
        }
        int peerOldSpi = (rekey.spi()[0] & 0xFF) << 24 | (rekey.spi()[1] & 0xFF) << 16 | (rekey.spi()[2] & 0xFF) << 8
                | rekey.spi()[3] & 0xFF;
        ChildSa old = sa.children.stream().filter(c -> c.outboundSpi() == peerOldSpi).findFirst().orElse(null);
        if (old == null) {
            return Answer.stay(List.of(NotifyPayload.forEsp(Ike.NOTIFY_CHILD_SA_NOT_FOUND, peerOldSpi, new byte[0])));
        }
        if (sa.rekeying == old) return Answer.stay(List.of(NotifyPayload.of(Ike.NOTIFY_TEMPORARY_FAILURE)));
        int ourSpi = sa.newChildSpi();
        List<Proposal> ours = ProposalSyntax.parseEsp(sa.espProposals(), SaContext.spiBytes(ourSpi));
        Proposal chosen = ProposalSelector.select(ours, offered.proposals()).orElse(null);
        if (chosen == null) {
            IkeSa.warn("rekey of " + old + " from " + sa.remote + ": no ESP proposal matched; peer offered "
                    + ProposalSyntax.render(offered.proposals()) + ", we accept " + ProposalSyntax.render(ours));
            return Answer.stay(List.of(NotifyPayload.of(Ike.NOTIFY_NO_PROPOSAL_CHOSEN)));
        }
        List<TrafficSelector> tsi = TrafficSelectors.narrow(selectors(request, true, List.of()), old.remoteTs());
        List<TrafficSelector> tsr = TrafficSelectors.narrow(selectors(request, false, List.of()), old.localTs());
        if (tsi.isEmpty() || tsr.isEmpty()) return Answer.stay(List.of(NotifyPayload.of(Ike.NOTIFY_TS_UNACCEPTABLE)));
        try {
            ChildSuite suite = ChildSuite.of(chosen);
            byte[] nr = NoncePayload.random(NONCE_LENGTH, sa.random).nonce();
            List<Payload> payloads = new ArrayList<>();
            payloads.add(SaPayload.of(chosen.with(chosen.number(), SaContext.spiBytes(ourSpi))));
            payloads.add(new NoncePayload(nr));
            byte[] shared = null;
            if (suite.group() != null) {
                KePayload ke = request.first(KePayload.class).orElse(null);
                if (ke == null || ke.group() != suite.group().id()) {
                    return Answer.stay(List.of(NotifyPayload.invalidKePayload(suite.group().id())));
                }
                try (KeyExchange dh = suite.group().generate(sa.random)) {
                    shared = dh.sharedSecret(ke.keyData());
                    payloads.add(new KePayload(suite.group().id(), dh.publicValue()));
                }
            }
            ChildSa fresh = derive(sa, suite, shared, ni.nonce(), nr, false, ourSpi, chosen.spiAsInt(),
                    ProposalSyntax.render(chosen), tsr, tsi, old.virtualIp());
            if (shared != null) Arrays.fill(shared, (byte) 0);
            payloads.add(new TsPayload(true, tsi));
            payloads.add(new TsPayload(false, tsr));
            sa.events.add(new IkeEvent.ChildSaRekeyed(sa.owner, old, fresh));
            return Answer.stay(payloads);
        } catch (IkeParseException | IllegalStateException e) {
            return Answer.stay(List.of(NotifyPayload.of(Ike.NOTIFY_NO_PROPOSAL_CHOSEN)));
        }
    }

    /**
     * KEYMAT of a CREATE_CHILD_SA (RFC 7296 2.17) into a new Child SA; {@code exchangeInitiator}: we sent the request
     * (the key order follows the exchange, not the IKE SA).
     */
    private static ChildSa derive(SaContext sa, ChildSuite suite, byte[] pfsShared, byte[] ni, byte[] nr,
            boolean exchangeInitiator, int inboundSpi, int outboundSpi, String proposal, List<TrafficSelector> localTs,
            List<TrafficSelector> remoteTs, java.net.Inet4Address vip) {
        try (ChildSaKeys keys = ChildSaKeys.derive(sa.keys.suite().prf(), sa.keys.skD(), suite.espAlgorithm(), pfsShared,
                ni, nr)) {
            ChildSaKeys.Pair pair = keys.securityAssociations(exchangeInitiator, inboundSpi, outboundSpi,
                    suite.extendedSequenceNumbers(), Lifetime.UNLIMITED);
            ChildSa child = new ChildSa(inboundSpi, outboundSpi, pair.outbound(), pair.inbound(), proposal, localTs,
                    remoteTs, vip, sa.udpEncapsulation);
            sa.children.add(child);
            return child;
        }
    }

    private static List<TrafficSelector> selectors(IkeMessage message, boolean initiator, List<TrafficSelector> otherwise) {
        return message.all(TsPayload.class).stream().filter(t -> t.initiator() == initiator).findFirst()
                .map(TsPayload::selectors).orElse(otherwise);
    }

    private static DhGroup firstGroup(List<Proposal> proposals) {
        for (Proposal p : proposals) {
            for (int id : IkeInitExchange.groups(p)) {
                if (id != Ike.DH_NONE && DhGroup.byId(id) != null) return DhGroup.byId(id);
            }
        }
        return null;
    }

    private void closeDh() {
        if (dh != null) dh.close();
        dh = null;
    }
}
