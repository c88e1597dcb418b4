package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageBuilder;
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
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * IKE_SA_INIT as responder (RFC 7296 1.2, 2.6, 2.7): checks the cookie when the responder is under load, picks a
 * proposal (preferring the initiator's KE group when we accept it), asks for another group by INVALID_KE_PAYLOAD,
 * and otherwise creates a half-open {@link IkeSa} with the keys derived. Refusals are stateless one-notify answers.
 *
 * <pre>{@code
 * Outcome o = IkeInitResponder.answer(config, request, raw, source, local, marker, underLoad, cookies, pool, random, now);
 * send(o.reply());
 * if (o.sa() != null) remember(o.sa());
 * }</pre>
 */
final class IkeInitResponder {
    private IkeInitResponder() {}

    /**
     * The outcome: a stateless refusal ({@code sa} null; {@code reply} without a non-ESP marker, {@code refusal} the
     * log line of a user's mistake or null, {@code cookie} whether it asks for a cookie) or a new half-open SA
     * ({@code reply} framed for the port the request came on).
     */
    record Outcome(byte[] reply, IkeSa sa, String refusal, boolean cookie) {}

    static Outcome answer(ResponderConfig config, IkeMessage request, byte[] raw, InetSocketAddress source,
            InetSocketAddress local, boolean marker, boolean cookiesRequired, CookieJar cookies, VirtualIpPool pool,
            SecureRandom random, long now) {
        long spiI = request.header().initiatorSpi();
        SaPayload offered = request.first(SaPayload.class).orElse(null);
        KePayload ke = request.first(KePayload.class).orElse(null);
        NoncePayload ni = request.first(NoncePayload.class).orElse(null);
        if (offered == null || ke == null || ni == null) {
            return refuse(spiI, NotifyPayload.of(Ike.NOTIFY_INVALID_SYNTAX), "IKE_SA_INIT from " + source + " lacks SA, KE or Ni");
        }
        if (cookiesRequired) {
            byte[] cookie = request.payloads().getFirst() instanceof NotifyPayload n && n.notifyType() == Ike.NOTIFY_COOKIE
                    ? n.data() : null;
            if (cookie == null || !cookies.check(cookie, ni.nonce(), source, spiI, now)) {
                return new Outcome(refuse(spiI, NotifyPayload.of(Ike.NOTIFY_COOKIE, cookies.make(ni.nonce(), source, spiI, now)), null)
                        .reply(), null, null, true);
            }
        }
        List<Proposal> ours = ProposalSyntax.parseIke(config.ikeProposals());
        Proposal chosen = preferKeGroup(ours, offered.proposals(), ke.group());
        if (chosen == null) {
            return refuse(spiI, NotifyPayload.of(Ike.NOTIFY_NO_PROPOSAL_CHOSEN), "no IKE proposal matched for " + source
                    + ": it offered " + ProposalSyntax.render(offered.proposals()) + ", we accept " + config.ikeProposals());
        }
        int group = chosen.first(Ike.TRANSFORM_DH).id();
        if (group != ke.group()) {
            return refuse(spiI, NotifyPayload.invalidKePayload(group), null);
        }
        IkeSuite suite;
        try {
            suite = IkeSuite.of(chosen);
        } catch (IkeParseException e) {
            return refuse(spiI, NotifyPayload.of(Ike.NOTIFY_NO_PROPOSAL_CHOSEN), e.getMessage());
        }
        SaContext sa = new SaContext(false, random, local, source, config.retransmission(), config.fragmentSize(), null,
                config, pool);
        sa.natt = marker;
        sa.spiI = spiI;
        sa.spiR = SaContext.newIkeSpi(random);
        sa.ni = ni.nonce();
        sa.nr = NoncePayload.random(32, random).nonce();
        sa.initRequest = raw;
        sa.ikeProposal = ProposalSyntax.render(chosen);
        sa.fragmentation = request.notify(Ike.NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED).isPresent();
        sa.peerRfc7427 = IkeInitExchange.supportsSha256Signatures(request);
        try (KeyExchange dh = DhGroup.byId(group).generate(random)) {
            byte[] shared = dh.sharedSecret(ke.keyData());
            try {
                sa.install(IkeSaKeys.derive(suite, shared, sa.ni, sa.nr, sa.spiI, sa.spiR));
            } finally {
                Arrays.fill(shared, (byte) 0);
            }
            List<Payload> payloads = new ArrayList<>(List.of(SaPayload.of(chosen), new KePayload(group, dh.publicValue()),
                    new NoncePayload(sa.nr), IkeInitExchange.natSource(sa, sa.spiI, sa.spiR),
                    IkeInitExchange.natDestination(sa.spiI, sa.spiR, source)));
            if (sa.fragmentation) payloads.add(NotifyPayload.of(Ike.NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED));
            if (request.notify(Ike.NOTIFY_SIGNATURE_HASH_ALGORITHMS).isPresent()) {
                payloads.add(NotifyPayload.signatureHashAlgorithms(Ike.HASH_SHA2_256, Ike.HASH_SHA2_384, Ike.HASH_SHA2_512));
            }
            payloads.addAll(Authentication.certificateRequest(config.certificates()));
            boolean nat = io.steadfast.ike.NatTraversal.peerBehindNat(request, source)
                    || io.steadfast.ike.NatTraversal.weAreBehindNat(request, local);
            sa.udpEncapsulation = nat || config.forceEncapsulation();
            sa.initResponse = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_SA_INIT, sa.spiI, sa.spiR, 0, false)
                    .addAll(payloads).encode();
        } catch (IkeParseException e) {
            sa.destroy();
            return refuse(spiI, NotifyPayload.of(Ike.NOTIFY_INVALID_SYNTAX), "bad KE from " + source + ": " + e.getMessage());
        }
        byte[] reply = sa.frame(sa.initResponse).payload();
        IkeSa half = IkeSa.halfOpen(sa, new IkeCounters(), now + config.halfOpenTimeout().toNanos(), reply);
        return new Outcome(reply, half, null, false);
    }

    /** The selected proposal, re-selected with the initiator's KE group when both sides accept that group. */
    static Proposal preferKeGroup(List<Proposal> ours, List<Proposal> offered, int keGroup) {
        Proposal chosen = ProposalSelector.select(ours, offered).orElse(null);
        if (chosen == null || chosen.first(Ike.TRANSFORM_DH).id() == keGroup) return chosen;
        List<Proposal> onlyKeGroup = ours.stream().filter(p -> IkeInitExchange.groups(p).contains(keGroup))
                .map(p -> new Proposal(p.number(), p.protocolId(), p.spi(), p.transforms().stream()
                        .filter(t -> t.type() != Ike.TRANSFORM_DH || t.id() == keGroup).toList())).toList();
        return ProposalSelector.select(onlyKeGroup, offered).orElse(chosen);
    }

    private static Outcome refuse(long spiI, NotifyPayload notify, String why) {
        byte[] reply = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_SA_INIT, spiI, 0, 0, false).add(notify).encode();
        return new Outcome(reply, null, why, false);
    }
}
