package io.steadfast.ike.sa;

import io.steadfast.esp.Lifetime;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.auth.SignedOctets;
import io.steadfast.ike.crypto.ChildSaKeys;
import io.steadfast.ike.crypto.ChildSuite;
import io.steadfast.ike.crypto.PrfAlgorithm;
import io.steadfast.ike.payload.AuthPayload;
import io.steadfast.ike.payload.CpPayload;
import io.steadfast.ike.payload.IdPayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.payload.TsPayload;
import io.steadfast.ike.proposal.ProposalSelector;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * IKE_AUTH with a pre-shared key as initiator (RFC 7296 1.2, 2.15): IDi, INITIAL_CONTACT, AUTH, a CP request for
 * a virtual IP, the Child SA's ESP proposals (without DH: no PFS in IKE_AUTH), TSi 0.0.0.0/0 and TSr the configured
 * remote selectors. The response must authenticate the responder with the same key; its Child SA becomes an ESP
 * SA pair. A refused Child SA fails the IKE SA (a VPN client has no use for an IKE SA alone) and we delete it.
 * The responder side is {@link #answer}.
 *
 * <pre>{@code
 * queue.add(new IkeAuthExchange());                        // initiator, after IKE_SA_INIT
 * Answer answer = IkeAuthExchange.answer(context, request); // responder
 * }</pre>
 */
final class IkeAuthExchange extends Exchange {
    private static final List<TrafficSelector> ANY = List.of(TrafficSelector.ipv4Subnet("0.0.0.0", 0));
    private int childSpi;
    private List<Proposal> espProposals;
    private IdPayload idi;

    @Override
    int type() {
        return Ike.EXCHANGE_IKE_AUTH;
    }

    @Override
    List<Payload> request(SaContext sa) {
        InitiatorConfig config = sa.initiatorConfig;
        childSpi = sa.newChildSpi();
        espProposals = withoutDh(ProposalSyntax.parseEsp(config.espProposals(), SaContext.spiBytes(childSpi)));
        idi = Identities.parse(config.localId(), true);
        PrfAlgorithm prf = sa.keys.suite().prf();
        byte[] psk = config.psk();
        List<Payload> auth = Authentication.ours(sa, SignedOctets.of(sa.initRequest, sa.nr, prf, sa.keys.skPi(), idi), psk,
                config.certificates());
        if (psk != null) java.util.Arrays.fill(psk, (byte) 0);
        List<Payload> payloads = new ArrayList<>();
        payloads.add(idi);
        payloads.addAll(auth.subList(0, auth.size() - 1)); // CERT payloads, if any
        payloads.addAll(Authentication.certificateRequest(config.certificates()));
        if (config.remoteId() != null) payloads.add(Identities.parse(config.remoteId(), false));
        payloads.add(NotifyPayload.of(Ike.NOTIFY_INITIAL_CONTACT));
        payloads.add(auth.getLast());
        if (config.requestVirtualIp()) {
            payloads.add(CpPayload.request(Ike.ATTR_INTERNAL_IP4_ADDRESS, Ike.ATTR_INTERNAL_IP4_DNS));
        }
        payloads.add(new SaPayload(espProposals));
        payloads.add(new TsPayload(true, ANY));
        payloads.add(new TsPayload(false, config.remoteTs()));
        return payloads;
    }

    @Override
    Step response(SaContext sa, IkeMessage response) {
        InitiatorConfig config = sa.initiatorConfig;
        String us = Identities.describe(idi);
        if (response.notify(Ike.NOTIFY_AUTHENTICATION_FAILED).isPresent()) {
            return new Fail(sa.remote + " rejected our identity " + us + " (AUTHENTICATION_FAILED): " + (config.certificates()
                    == null ? "wrong pre-shared key, or an identity it does not know"
                    : "it does not trust our certificate, or does not know our identity"), false);
        }
        IdPayload idr = response.first(IdPayload.class).filter(id -> !id.initiator()).orElse(null);
        AuthPayload auth = response.first(AuthPayload.class).orElse(null);
        if (idr == null || auth == null) {
            return new Fail("IKE_AUTH response from " + sa.remote + " without IDr/AUTH: " + errorNames(response), false);
        }
        String them = Identities.describe(idr);
        if (config.remoteId() != null && !Identities.matches(idr, Identities.parse(config.remoteId(), false))) {
            return new Fail(sa.remote + " authenticated as " + them + ", we expect " + config.remoteId(), true);
        }
        PrfAlgorithm prf = sa.keys.suite().prf();
        String problem = Authentication.checkPeer(sa, response, idr, auth,
                SignedOctets.of(sa.initResponse, sa.ni, prf, sa.keys.skPr(), idr), config.psk(), config.certificates());
        if (problem != null) {
            return new Fail(sa.remote + " as " + them + " failed authentication: " + problem, true);
        }
        sa.peerId = idr;
        sa.events.add(new IkeEvent.Established(sa.owner));
        return child(sa, response);
    }

    private Step child(SaContext sa, IkeMessage response) {
        String offered = ProposalSyntax.render(espProposals);
        List<NotifyPayload> errors = response.errors();
        SaPayload answer = response.first(SaPayload.class).orElse(null);
        if (!errors.isEmpty() || answer == null) {
            return new Fail("IKE SA with " + sa.remote + " is up, but it refused our Child SA ("
                    + errorNames(response) + "; we offered ESP " + offered + ", TSr " + sa.initiatorConfig.remoteTs()
                    + ")", true);
        }
        try {
            Proposal chosen = ProposalSelector.checkAnswer(espProposals, answer);
            ChildSuite suite = ChildSuite.of(chosen);
            List<TrafficSelector> tsi = response.all(TsPayload.class).stream().filter(TsPayload::initiator)
                    .findFirst().map(TsPayload::selectors).orElse(List.of());
            List<TrafficSelector> tsr = response.all(TsPayload.class).stream().filter(t -> !t.initiator())
                    .findFirst().map(TsPayload::selectors).orElse(List.of());
            if (tsi.isEmpty() || tsr.isEmpty() || !TrafficSelectors.within(tsi, ANY)
                    || !TrafficSelectors.within(tsr, sa.initiatorConfig.remoteTs())) {
                return new Fail("the Child SA's traffic selectors " + tsi + " === " + tsr + " are not within what we"
                        + " proposed (" + ANY + " === " + sa.initiatorConfig.remoteTs() + ")", true);
            }
            Inet4Address vip = response.first(CpPayload.class)
                    .flatMap(cp -> cp.ipv4(Ike.ATTR_INTERNAL_IP4_ADDRESS).stream().findFirst()).orElse(null);
            if (sa.initiatorConfig.requestVirtualIp() && vip == null) {
                return new Fail(sa.remote + " assigned no virtual IP (no INTERNAL_IP4_ADDRESS in its CP reply)", true);
            }
            sa.virtualIp = vip;
            ChildSa child = install(sa, suite, childSpi, chosen.spiAsInt(), ProposalSyntax.render(chosen), tsi, tsr, vip);
            sa.events.add(new IkeEvent.ChildSaUp(sa.owner, child));
            return new Done();
        } catch (IkeParseException | IllegalStateException e) {
            return new Fail("Child SA from " + sa.remote + ": " + e.getMessage() + " (we offered ESP " + offered + ")", true);
        }
    }

    /**
     * The responder's answer to IKE_AUTH: authenticate the initiator by its PSK or certificate, authenticate
     * ourselves the same way (a PSK initiator never sees our certificate), then the
     * Child SA: proposal, virtual IP from the pool, narrowed traffic selectors. AUTHENTICATION_FAILED closes the SA;
     * a refused Child SA leaves the IKE SA up (RFC 7296 1.2).
     */
    static Answer answer(SaContext sa, IkeMessage request) {
        ResponderConfig config = sa.responderConfig;
        IdPayload idi = request.first(IdPayload.class).filter(IdPayload::initiator).orElse(null);
        AuthPayload auth = request.first(AuthPayload.class).orElse(null);
        if (idi == null || auth == null) {
            return Answer.failing(List.of(NotifyPayload.of(Ike.NOTIFY_AUTHENTICATION_FAILED)),
                    sa.remote + ": IKE_AUTH request without IDi or AUTH (EAP is not supported)");
        }
        String who = Identities.describe(idi);
        PrfAlgorithm prf = sa.keys.suite().prf();
        boolean pskPeer = auth.method() == Ike.AUTH_SHARED_KEY_MIC;
        String problem = pskPeer && config.pskFor(who) == null ? "no pre-shared key for this identity"
                : Authentication.checkPeer(sa, request, idi, auth, SignedOctets.of(sa.initRequest, sa.nr, prf,
                        sa.keys.skPi(), idi), config.pskFor(who), config.certificates());
        if (problem != null) {
            return Answer.failing(List.of(NotifyPayload.of(Ike.NOTIFY_AUTHENTICATION_FAILED)),
                    sa.remote + " as " + who + " failed authentication: " + problem);
        }
        sa.peerId = idi;
        sa.initialContact = request.notify(Ike.NOTIFY_INITIAL_CONTACT).isPresent();
        IdPayload idr = sa.localId();
        // We answer in kind: a PSK initiator gets our PSK MIC, one that signed gets our signature.
        byte[] psk = pskPeer ? config.pskFor(who) : null;
        List<Payload> payloads = new ArrayList<>(List.of(idr));
        payloads.addAll(Authentication.ours(sa, SignedOctets.of(sa.initResponse, sa.ni, prf, sa.keys.skPr(), idr), psk,
                pskPeer ? null : config.certificates()));
        if (psk != null) java.util.Arrays.fill(psk, (byte) 0);
        sa.events.add(new IkeEvent.Established(sa.owner));
        payloads.addAll(childAnswer(sa, request, who));
        return Answer.then(payloads, IkeSa.State.ESTABLISHED);
    }

    private static List<Payload> childAnswer(SaContext sa, IkeMessage request, String who) {
        ResponderConfig config = sa.responderConfig;
        SaPayload offered = request.first(SaPayload.class).orElse(null);
        List<TrafficSelector> tsi = request.all(TsPayload.class).stream().filter(TsPayload::initiator).findFirst()
                .map(TsPayload::selectors).orElse(List.of());
        List<TrafficSelector> tsr = request.all(TsPayload.class).stream().filter(t -> !t.initiator()).findFirst()
                .map(TsPayload::selectors).orElse(List.of());
        if (offered == null || tsi.isEmpty() || tsr.isEmpty()) {
            return List.of(); // childless IKE SA (RFC 6023 style): nothing to add
        }
        int ourSpi = sa.newChildSpi();
        List<Proposal> ours = withoutDh(ProposalSyntax.parseEsp(config.espProposals(), SaContext.spiBytes(ourSpi)));
        Proposal chosen = ProposalSelector.select(ours, withoutDh(offered.proposals())).orElse(null);
        if (chosen == null) {
            IkeSa.warn(sa.remote + " as " + who + ": no ESP proposal matched; peer offered "
                    + ProposalSyntax.render(offered.proposals()) + ", we accept " + ProposalSyntax.render(ours));
            return List.of(NotifyPayload.of(Ike.NOTIFY_NO_PROPOSAL_CHOSEN));
        }
        List<Payload> payloads = new ArrayList<>();
        Inet4Address vip = null;
        CpPayload cp = request.first(CpPayload.class).orElse(null);
        if (cp != null && cp.cfgType() == Ike.CFG_REQUEST
                && cp.attributes().stream().anyMatch(a -> a.attributeType() == Ike.ATTR_INTERNAL_IP4_ADDRESS)) {
            vip = sa.pool == null ? null : sa.pool.acquire(who);
            if (vip == null) {
                IkeSa.warn(sa.remote + " as " + who + ": no virtual IP to give (" + (sa.pool == null ? "no pool" : "pool exhausted") + ")");
                return List.of(NotifyPayload.of(Ike.NOTIFY_INTERNAL_ADDRESS_FAILURE));
            }
            sa.virtualIp = vip;
            payloads.add(new CpPayload(Ike.CFG_REPLY, List.of(io.steadfast.ike.payload.ConfigAttribute.ipv4(
                    Ike.ATTR_INTERNAL_IP4_ADDRESS, vip))));
        }
        List<TrafficSelector> allowedTsi = vip != null ? List.of(TrafficSelectors.host(vip.getAddress())) : tsi;
        List<TrafficSelector> narrowedTsi = TrafficSelectors.narrow(tsi, allowedTsi);
        List<TrafficSelector> narrowedTsr = TrafficSelectors.narrow(tsr, config.localTs());
        if (narrowedTsi.isEmpty() || narrowedTsr.isEmpty()) {
            IkeSa.warn(sa.remote + " as " + who + ": traffic selectors " + tsi + " === " + tsr + " do not meet ours "
                    + allowedTsi + " === " + config.localTs());
            payloads.clear();
            return List.of(NotifyPayload.of(Ike.NOTIFY_TS_UNACCEPTABLE));
        }
        try {
            ChildSuite suite = ChildSuite.of(chosen);
            ChildSa child = install(sa, suite, ourSpi, chosen.spiAsInt(), ProposalSyntax.render(chosen), narrowedTsr,
                    narrowedTsi, vip);
            sa.events.add(new IkeEvent.ChildSaUp(sa.owner, child));
        } catch (IkeParseException | IllegalStateException e) {
            return List.of(NotifyPayload.of(Ike.NOTIFY_NO_PROPOSAL_CHOSEN));
        }
        payloads.add(SaPayload.of(chosen.with(chosen.number(), SaContext.spiBytes(ourSpi))));
        payloads.add(new TsPayload(true, narrowedTsi));
        payloads.add(new TsPayload(false, narrowedTsr));
        return payloads;
    }

    /** KEYMAT (RFC 7296 2.17) into an ESP SA pair, and the Child SA record kept by the IKE SA. */
    static ChildSa install(SaContext sa, ChildSuite suite, int inboundSpi, int outboundSpi, String proposal,
            List<TrafficSelector> localTs, List<TrafficSelector> remoteTs, Inet4Address vip) {
        try (ChildSaKeys keys = ChildSaKeys.derive(sa.keys.suite().prf(), sa.keys.skD(), suite.espAlgorithm(), null,
                sa.ni, sa.nr)) {
            ChildSaKeys.Pair pair = keys.securityAssociations(sa.initiator, inboundSpi, outboundSpi,
                    suite.extendedSequenceNumbers(), Lifetime.UNLIMITED);
            ChildSa child = new ChildSa(inboundSpi, outboundSpi, pair.outbound(), pair.inbound(), proposal, localTs,
                    remoteTs, vip, sa.udpEncapsulation);
            sa.children.add(child);
            return child;
        }
    }

    /** The proposals without their DH transforms: IKE_AUTH creates its Child SA without PFS. */
    static List<Proposal> withoutDh(List<Proposal> proposals) {
        return proposals.stream().map(p -> new Proposal(p.number(), p.protocolId(), p.spi(),
                p.transforms().stream().filter(t -> t.type() != Ike.TRANSFORM_DH).toList())).toList();
    }

    private static String errorNames(IkeMessage message) {
        List<NotifyPayload> errors = message.errors();
        return errors.isEmpty() ? "no error notify"
                : errors.stream().map(n -> Ike.notifyName(n.notifyType())).collect(Collectors.joining(", "));
    }
}
