package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.NatTraversal;
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
import io.steadfast.ike.payload.Transform;
import io.steadfast.ike.proposal.ProposalSelector;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * IKE_SA_INIT as initiator (RFC 7296 1.2): SA from our strongSwan-syntax proposals, KE for the first group, Ni,
 * NAT detection, SIGNATURE_HASH_ALGORITHMS and IKEV2_FRAGMENTATION_SUPPORTED. Retries with the group an
 * INVALID_KE_PAYLOAD names (2.7) and with the COOKIE the responder hands out (2.6), a few times each. On success
 * it derives the IKE SA keys and moves IKE to the NAT-T port when a NAT is found or encapsulation is forced.
 * The responder side is {@link IkeInitResponder}.
 *
 * <pre>{@code
 * queue.add(new IkeInitExchange("aes128gcm16-prfsha256-x25519-ecp256"));   // KE for x25519 first
 * }</pre>
 */
final class IkeInitExchange extends Exchange {
    private static final int MAX_RETRIES = 3;
    private static final int NONCE_LENGTH = 32;

    private final List<Proposal> proposals;
    private DhGroup group;
    private KeyExchange dh;
    private byte[] cookie;
    private int keRetries;
    private int cookieRetries;

    IkeInitExchange(String ikeProposals) {
        this.proposals = ProposalSyntax.parseIke(ikeProposals);
        this.group = DhGroup.byId(proposals.get(0).first(Ike.TRANSFORM_DH).id());
    }

    @Override
    int type() {
        return Ike.EXCHANGE_IKE_SA_INIT;
    }

    @Override
    List<Payload> request(SaContext sa) {
        if (sa.ni == null) sa.ni = NoncePayload.random(NONCE_LENGTH, sa.random).nonce();
        if (dh == null) dh = group.generate(sa.random);
        List<Payload> payloads = new ArrayList<>();
        if (cookie != null) payloads.add(NotifyPayload.of(Ike.NOTIFY_COOKIE, cookie)); // first, as 2.6 asks
        payloads.add(new SaPayload(proposals));
        payloads.add(new KePayload(group.id(), dh.publicValue()));
        payloads.add(new NoncePayload(sa.ni));
        payloads.add(natSource(sa, sa.spiI, 0));
        payloads.add(NatTraversal.destinationNotify(sa.spiI, 0, sa.remote));
        payloads.add(NotifyPayload.of(Ike.NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED));
        payloads.add(NotifyPayload.signatureHashAlgorithms(Ike.HASH_SHA2_256, Ike.HASH_SHA2_384, Ike.HASH_SHA2_512));
        return payloads;
    }

    @Override
    Step response(SaContext sa, IkeMessage response) {
        var cookieNotify = response.notify(Ike.NOTIFY_COOKIE);
        if (cookieNotify.isPresent()) {
            byte[] data = cookieNotify.get().data();
            if (data.length < 1 || data.length > 64 || ++cookieRetries > MAX_RETRIES) {
                return fail("the responder keeps asking for a cookie (or sent a bad one)");
            }
            cookie = data;
            return new Again();
        }
        var invalidKe = response.notify(Ike.NOTIFY_INVALID_KE_PAYLOAD);
        if (invalidKe.isPresent()) {
            return retryWithGroup(invalidKe.get());
        }
        if (!response.errors().isEmpty()) {
            int error = response.errors().get(0).notifyType();
            String what = error == Ike.NOTIFY_NO_PROPOSAL_CHOSEN
                    ? "accepted none of our IKE proposals; we offered " + ProposalSyntax.render(proposals)
                    : "refused IKE_SA_INIT";
            return fail(sa.remote + " " + what + " (" + Ike.notifyName(error) + ")");
        }
        SaPayload saPayload = response.first(SaPayload.class).orElse(null);
        KePayload ke = response.first(KePayload.class).orElse(null);
        NoncePayload nonce = response.first(NoncePayload.class).orElse(null);
        if (saPayload == null || ke == null || nonce == null || response.header().responderSpi() == 0) {
            return fail("IKE_SA_INIT response from " + sa.remote + " lacks SA, KE, Nr or SPIr: " + response);
        }
        try {
            Proposal chosen = ProposalSelector.checkAnswer(proposals, saPayload);
            IkeSuite suite = IkeSuite.of(chosen);
            if (ke.group() != group.id() || suite.group() != group) {
                return fail("the responder answered KE group " + ke.group() + " and SA " + ProposalSyntax.render(chosen)
                        + " to our KE of group " + group.id());
            }
            sa.spiR = response.header().responderSpi();
            sa.nr = nonce.nonce();
            sa.initResponse = sa.lastRaw;
            byte[] shared = dh.sharedSecret(ke.keyData());
            try {
                sa.install(IkeSaKeys.derive(suite, shared, sa.ni, sa.nr, sa.spiI, sa.spiR));
            } finally {
                Arrays.fill(shared, (byte) 0);
            }
            sa.ikeProposal = ProposalSyntax.render(chosen);
        } catch (IkeParseException e) {
            return fail("IKE_SA_INIT response from " + sa.remote + ": " + e.getMessage() + " (we offered "
                    + ProposalSyntax.render(proposals) + ")");
        } finally {
            dh.close();
        }
        sa.fragmentation = response.notify(Ike.NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED).isPresent();
        sa.peerRfc7427 = supportsSha256Signatures(response);
        boolean nat = NatTraversal.weAreBehindNat(response, sa.local) || NatTraversal.peerBehindNat(response, sa.lastSource);
        sa.udpEncapsulation = nat || sa.initiatorConfig.forceEncapsulation();
        if (sa.udpEncapsulation) {
            sa.natt = true; // RFC 7296 2.23: the initiator moves to port 4500 right after IKE_SA_INIT
            sa.remote = new InetSocketAddress(sa.remote.getAddress(), sa.initiatorConfig.nattPort());
        }
        return new Done();
    }

    private Step retryWithGroup(NotifyPayload notify) {
        try {
            int wanted = notify.invalidKeGroup();
            DhGroup next = DhGroup.byId(wanted);
            boolean offered = proposals.stream().anyMatch(p -> p.transforms(Ike.TRANSFORM_DH).stream()
                    .anyMatch(t -> t.id() == wanted));
            if (next == null || !offered || next == group || ++keRetries > MAX_RETRIES) {
                return fail("the responder asks for DH group " + wanted + " (INVALID_KE_PAYLOAD), which we did not offer in "
                        + ProposalSyntax.render(proposals));
            }
            dh.close();
            dh = null;
            group = next;
            return new Again();
        } catch (IkeParseException e) {
            return fail("bad INVALID_KE_PAYLOAD: " + e.getMessage());
        }
    }

    private Step fail(String reason) {
        if (dh != null) dh.close();
        return new Fail(reason, false);
    }

    /** NAT_DETECTION_SOURCE_IP: of our address, or of a random one to fake a NAT (forced encapsulation). */
    static NotifyPayload natSource(SaContext sa, long spiI, long spiR) {
        boolean fake = sa.initiatorConfig != null ? sa.initiatorConfig.forceEncapsulation()
                : sa.responderConfig.forceEncapsulation();
        if (!fake) return NatTraversal.sourceNotify(spiI, spiR, sa.local);
        byte[] random = new byte[20];
        sa.random.nextBytes(random);
        return NotifyPayload.of(Ike.NOTIFY_NAT_DETECTION_SOURCE_IP, random);
    }

    /** Whether a message carries SIGNATURE_HASH_ALGORITHMS naming SHA2-256 (RFC 7427 4). */
    static boolean supportsSha256Signatures(IkeMessage message) {
        return message.notifies(Ike.NOTIFY_SIGNATURE_HASH_ALGORITHMS).stream().anyMatch(n -> {
            try {
                return java.util.Arrays.stream(n.hashAlgorithms()).anyMatch(h -> h == Ike.HASH_SHA2_256);
            } catch (IkeParseException e) {
                return false;
            }
        });
    }

    /** The DH transform IDs of a proposal. */
    static List<Integer> groups(Proposal p) {
        return p.transforms(Ike.TRANSFORM_DH).stream().map(Transform::id).toList();
    }

    /** For the responder: NAT_DETECTION_DESTINATION_IP toward the initiator's source address. */
    static NotifyPayload natDestination(long spiI, long spiR, InetSocketAddress initiator) {
        return NatTraversal.destinationNotify(spiI, spiR, initiator);
    }
}
