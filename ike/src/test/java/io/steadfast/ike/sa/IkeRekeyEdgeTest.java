package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageBuilder;
import io.steadfast.ike.IkeMessageDecoder;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.payload.KePayload;
import io.steadfast.ike.payload.NoncePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IKE SA rekeys that do not go smoothly: a group change, refusals, malformed requests. */
class IkeRekeyEdgeTest {

    /** The gateway's answer to a crafted CREATE_CHILD_SA request (message 0 from the gateway's point of view: ours). */
    static IkeMessage ask(Wire wire, List<Payload> payloads) throws Exception {
        IkeSa client = wire.initiators.getFirst();
        SaContext c = client.context();
        byte[] request = IkeMessageBuilder.request(Ike.EXCHANGE_CREATE_CHILD_SA, c.spiI, c.spiR, c.windows.nextMessageId,
                true).addAll(payloads).encrypt(c.outCipher);
        c.windows.nextMessageId++;
        Actions a = wire.responder.receive(Wire.CLIENT, NatTraversal.addNonEspMarker(request), wire.now);
        return IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(a.datagrams().getFirst().payload()), c.inCipher);
    }

    static List<Proposal> ikeProposals(String text) {
        return ProposalSyntax.parseIke(text).stream().map(p -> p.with(p.number(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .toList();
    }

    @Test
    void aRekeyWithAnotherGroupIsAnsweredWithInvalidKeAndTheRetryWorks() throws Exception {
        Wire wire = new Wire(Wire.gateway().withProposals("aes128gcm16-prfsha256-ecp256-x25519", "aes128gcm16"));
        IkeSa client = wire.start(Wire.client().withProposals("aes128gcm16-prfsha256-x25519-ecp256", "aes128gcm16"));
        wire.run();
        assertThat(client.ikeProposal()).isEqualTo("aes128gcm16-prfsha256-x25519");
        IkeSa gateway = wire.peerOf(client);
        // the gateway rekeys with ecp256: it sends KE for the group in use (x25519) first, so craft the refusal path by
        // asking the client directly with a KE of a group it does not prefer
        SaContext g = gateway.context();
        byte[] request = IkeMessageBuilder.request(Ike.EXCHANGE_CREATE_CHILD_SA, g.spiI, g.spiR, 0, false)
                .add(new SaPayload(ikeProposals("aes128gcm16-prfsha256-ecp256")))
                .add(NoncePayload.random(32, wire.random)).add(new KePayload(Ike.DH_CURVE25519, new byte[32]))
                .encrypt(g.outCipher);
        Actions a = client.receive(Wire.GATEWAY, NatTraversal.addNonEspMarker(request), wire.now);
        IkeMessage answer = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(a.datagrams().getFirst().payload()),
                g.inCipher);
        assertThat(answer.notify(Ike.NOTIFY_INVALID_KE_PAYLOAD).orElseThrow().invalidKeGroup()).isEqualTo(Ike.DH_ECP_256);
        assertThat(client.childSas()).hasSize(1);
        assertThat(a.events()).isEmpty();
    }

    @Test
    void malformedAndUnacceptableIkeRekeysAreRefusedWithoutHarm() throws Exception {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        long spi = client.initiatorSpi();
        assertThat(ask(wire, List.of(new SaPayload(ikeProposals("aes128gcm16-prfsha256-x25519")),
                NoncePayload.random(32, wire.random))).toString())
                .isEqualTo("CREATE_CHILD_SA response 2 (encrypted) [ N(INVALID_SYNTAX) ]");
        assertThat(ask(wire, List.of(new SaPayload(ikeProposals("aes256gcm16-prfsha512-ecp256")),
                NoncePayload.random(32, wire.random), new KePayload(Ike.DH_ECP_256, new byte[64]))).toString())
                .isEqualTo("CREATE_CHILD_SA response 3 (encrypted) [ N(NO_PROPOSAL_CHOSEN) ]");
        List<Proposal> shortSpi = ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519").stream()
                .map(p -> p.with(p.number(), new byte[] {1, 2, 3, 4})).toList();
        assertThat(ask(wire, List.of(new SaPayload(shortSpi), NoncePayload.random(32, wire.random),
                new KePayload(Ike.DH_CURVE25519, new byte[32]))).toString())
                .isEqualTo("CREATE_CHILD_SA response 4 (encrypted) [ N(INVALID_SYNTAX) ]");
        assertThat(ask(wire, List.of(new SaPayload(ikeProposals("aes128gcm16-prfsha256-x25519")),
                NoncePayload.random(32, wire.random), new KePayload(Ike.DH_CURVE25519, new byte[31]))).toString())
                .isEqualTo("CREATE_CHILD_SA response 5 (encrypted) [ N(INVALID_SYNTAX) ]");
        IkeSa gateway = wire.peerOf(client);
        assertThat(gateway.initiatorSpi()).isEqualTo(spi);
        assertThat(gateway.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(gateway.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
    }

    @Test
    void aRefusedIkeRekeyKeepsTheIkeSa() throws Exception {
        Wire wire = IkeSaInformationalTest.established();
        IkeSa client = wire.initiators.getFirst();
        long spi = client.initiatorSpi();
        wire.filter = f -> {
            if (!f.toResponder()) return f;
            // the gateway is busy: answer the rekey with TEMPORARY_FAILURE instead of delivering it
            SaContext g = wire.peerOf(client).context();
            try {
                IkeMessage request = IkeMessageDecoder.decrypt(NatTraversal.stripNonEspMarker(f.datagram().payload()),
                        g.inCipher);
                byte[] busy = IkeMessageBuilder.response(Ike.EXCHANGE_CREATE_CHILD_SA, g.spiI, g.spiR,
                        request.header().messageId(), false).add(NotifyPayload.of(Ike.NOTIFY_TEMPORARY_FAILURE))
                        .encrypt(g.outCipher);
                wire.fromInitiator(client, client.receive(Wire.GATEWAY, NatTraversal.addNonEspMarker(busy), wire.now));
            } catch (io.steadfast.ike.IkeParseException e) {
                throw new AssertionError(e);
            }
            return null;
        };
        wire.fromInitiator(client, client.rekeyIke(wire.now));
        wire.run();
        assertThat(client.initiatorSpi()).isEqualTo(spi);
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(client.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
        assertThat(wire.initiatorEvents).isEmpty();
    }
}
