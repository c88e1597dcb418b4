package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessageBuilder;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.payload.AuthPayload;
import io.steadfast.ike.payload.CertPayload;
import io.steadfast.ike.payload.ConfigAttribute;
import io.steadfast.ike.payload.CpPayload;
import io.steadfast.ike.payload.DeletePayload;
import io.steadfast.ike.payload.IdPayload;
import io.steadfast.ike.payload.KePayload;
import io.steadfast.ike.payload.NoncePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.payload.Transform;
import io.steadfast.ike.payload.TsPayload;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A peer that holds the keys but sends nonsense: random, well-formed payload chains inside valid SK payloads, as
 * requests of every exchange type and as answers to our requests. Every one is answered or dropped and counted; no
 * input reaches a bug (no INTERNAL_ERROR), and the IKE SA stays usable or ends with a reason.
 */
class AuthenticatedGarbagePropertyTest {
    static final int[] EXCHANGES = {Ike.EXCHANGE_IKE_AUTH, Ike.EXCHANGE_CREATE_CHILD_SA, Ike.EXCHANGE_INFORMATIONAL,
            Ike.EXCHANGE_IKE_SA_INIT, 99};
    static final int[] NOTIFIES = {Ike.NOTIFY_REKEY_SA, Ike.NOTIFY_INVALID_KE_PAYLOAD, Ike.NOTIFY_COOKIE,
            Ike.NOTIFY_AUTHENTICATION_FAILED, Ike.NOTIFY_NO_PROPOSAL_CHOSEN, Ike.NOTIFY_TEMPORARY_FAILURE,
            Ike.NOTIFY_INITIAL_CONTACT, Ike.NOTIFY_SIGNATURE_HASH_ALGORITHMS, Ike.NOTIFY_CHILD_SA_NOT_FOUND, 12345};

    static byte[] bytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    static Proposal proposal(Random r) {
        int protocol = r.nextInt(4);
        List<Transform> transforms = new ArrayList<>();
        for (int i = r.nextInt(6); i > 0; i--) {
            transforms.add(new Transform(1 + r.nextInt(5), r.nextInt(35), r.nextBoolean() ? 0 : 128 * r.nextInt(3), false));
        }
        if (r.nextBoolean()) { // sometimes something sensible
            transforms = io.steadfast.ike.proposal.ProposalSyntax.parseEsp("aes128gcm16", 1, new byte[4]).transforms();
            if (protocol == Ike.PROTOCOL_IKE) {
                transforms = io.steadfast.ike.proposal.ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519", 1).transforms();
            }
        }
        return new Proposal(1 + r.nextInt(3), protocol, bytes(r, 9), transforms);
    }

    static Payload payload(Random r) {
        byte[] ip = new byte[4];
        r.nextBytes(ip);
        return switch (r.nextInt(11)) {
            case 0 -> new SaPayload(List.of(proposal(r)));
            case 1 -> new KePayload(new int[] {0, 14, 19, 31, 99}[r.nextInt(5)], bytes(r, 300).length == 0 ? new byte[1] : bytes(r, 300));
            case 2 -> NoncePayload.random(16 + r.nextInt(100), new java.security.SecureRandom());
            case 3 -> new NotifyPayload(r.nextInt(4), bytes(r, 8), NOTIFIES[r.nextInt(NOTIFIES.length)], bytes(r, 40));
            case 4 -> r.nextBoolean() ? DeletePayload.ikeSa() : DeletePayload.esp(r.nextInt(), r.nextInt());
            case 5 -> new TsPayload(r.nextBoolean(), List.of(new TrafficSelector(Ike.TS_IPV4_ADDR_RANGE, r.nextInt(3),
                    r.nextInt(100), 0xFFFF, ip, ip)));
            case 6 -> new CpPayload(1 + r.nextInt(4), List.of(new ConfigAttribute(r.nextInt(20), bytes(r, 8))));
            case 7 -> new IdPayload(r.nextBoolean(), Ike.ID_FQDN, "x.example".getBytes());
            case 8 -> new AuthPayload(new int[] {1, 2, 9, 14, 200}[r.nextInt(5)], bytes(r, 80).length == 0 ? new byte[1] : bytes(r, 80));
            case 9 -> new CertPayload(Ike.CERT_X509_SIGNATURE, bytes(r, 60));
            default -> new TsPayload(r.nextBoolean(), Wire.CLOUD);
        };
    }

    static List<Payload> chain(Random r) {
        List<Payload> payloads = new ArrayList<>();
        for (int i = r.nextInt(6); i > 0; i--) payloads.add(payload(r));
        return payloads;
    }

    @Test
    void randomRequestsFromAPeerWithTheKeys() {
        for (int seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            Wire wire = IkeSaInformationalTest.established();
            IkeSa client = wire.initiators.getFirst();
            IkeSa gateway = wire.peerOf(client);
            boolean toClient = r.nextBoolean();
            IkeSa target = toClient ? client : gateway;
            SaContext from = toClient ? gateway.context() : client.context();
            int messageId = target.context().windows.peerNextMessageId;
            byte[] request = IkeMessageBuilder.request(EXCHANGES[r.nextInt(EXCHANGES.length)], from.spiI, from.spiR,
                    messageId, from.initiator).addAll(chain(r)).encrypt(from.outCipher);
            byte[] datagram = NatTraversal.addNonEspMarker(request);
            Actions a = toClient ? client.receive(Wire.GATEWAY, datagram, wire.now)
                    : wire.responder.receive(Wire.CLIENT, datagram, wire.now);
            IkeCounters counters = target.counters();
            assertThat(counters.drops(Drop.INTERNAL_ERROR)).as("seed %d", seed).isZero();
            assertThat(a.datagrams().size() + counters.drops()).as("seed %d: answered or dropped", seed).isPositive();
            assertThat(target.state()).isIn(IkeSa.State.ESTABLISHED, IkeSa.State.CLOSED);
            if (target.state() == IkeSa.State.ESTABLISHED && !a.datagrams().isEmpty()) {
                // the answer reaches the sender, which has nothing pending: dropped and counted, nothing else
                Actions back = toClient ? wire.responder.receive(Wire.CLIENT, a.datagrams().getFirst().payload(), wire.now)
                        : client.receive(Wire.GATEWAY, a.datagrams().getFirst().payload(), wire.now);
                assertThat(back.datagrams()).isEmpty();
            }
        }
    }

    @Test
    void randomAnswersToOurRequests() {
        for (int seed = 0; seed < 300; seed++) {
            Random r = new Random(1_000_000 + seed);
            Wire wire = IkeSaInformationalTest.established();
            IkeSa client = wire.initiators.getFirst();
            switch (r.nextInt(4)) {
                case 0 -> client.checkLiveness(wire.now);
                case 1 -> client.rekeyChild(client.childSas().getFirst(), wire.now);
                case 2 -> client.rekeyIke(wire.now);
                default -> client.close(wire.now);
            }
            SaContext g = wire.peerOf(client).context();
            MessageWindows.Pending pending = client.context().windows.pending;
            byte[] answer = IkeMessageBuilder.response(pending.exchange.type(), g.spiI, g.spiR, pending.messageId, false)
                    .addAll(chain(r)).encrypt(g.outCipher);
            Actions a = client.receive(Wire.GATEWAY, NatTraversal.addNonEspMarker(answer), wire.now);
            assertThat(client.counters().drops(Drop.INTERNAL_ERROR)).as("seed %d", seed).isZero();
            assertThat(client.state()).isIn(IkeSa.State.ESTABLISHED, IkeSa.State.CLOSED);
            if (client.state() == IkeSa.State.CLOSED) {
                assertThat(a.events().getLast()).isInstanceOfAny(IkeEvent.Deleted.class, IkeEvent.Failed.class);
            }
            // whatever happened, time runs out cleanly
            wire.filter = f -> null;
            wire.settle(200 * 1_000_000_000L);
            assertThat(client.counters().drops(Drop.INTERNAL_ERROR)).as("seed %d", seed).isZero();
            assertThat(client.state() == IkeSa.State.CLOSED || client.nextDeadline() == IkeSa.NO_DEADLINE)
                    .as("seed %d: no endless timer", seed).isTrue();
        }
    }

    @Test
    void randomAnswersToIkeAuth() {
        for (int seed = 0; seed < 300; seed++) {
            Random r = new Random(2_000_000 + seed);
            Wire wire = ExchangeEdgeCaseTest.afterInit(Wire.gateway(), Wire.client());
            IkeSa client = wire.initiators.getFirst();
            SaContext g = wire.peerOf(client).context();
            List<Payload> payloads = chain(r);
            if (r.nextBoolean()) { // a valid IDr and AUTH first, then nonsense for the Child SA
                IdPayload idr = Identities.parse("gw.example", false);
                payloads.add(0, new AuthPayload(Ike.AUTH_SHARED_KEY_MIC, io.steadfast.ike.auth.PskAuthenticator.compute(
                        g.keys.suite().prf(), Wire.PSK, io.steadfast.ike.auth.SignedOctets.of(g.initResponse, g.ni,
                                g.keys.suite().prf(), g.keys.skPr(), idr))));
                payloads.add(0, idr);
            }
            byte[] answer = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_AUTH, g.spiI, g.spiR, 1, false).addAll(payloads)
                    .encrypt(g.outCipher);
            client.receive(new java.net.InetSocketAddress(Wire.GATEWAY.getAddress(), 4500),
                    NatTraversal.addNonEspMarker(answer), wire.now);
            assertThat(client.counters().drops(Drop.INTERNAL_ERROR)).as("seed %d", seed).isZero();
            if (client.state() == IkeSa.State.AUTH_SENT) { // an answer that does not parse: dropped, retransmission goes on
                assertThat(client.counters().drops(Drop.MALFORMED)).as("seed %d: %s", seed, client.counters()).isEqualTo(1);
                assertThat(client.nextDeadline()).isNotEqualTo(IkeSa.NO_DEADLINE);
                continue;
            }
            assertThat(client.state()).as("seed %d", seed).isIn(IkeSa.State.ESTABLISHED, IkeSa.State.CLOSED);
            if (client.state() == IkeSa.State.CLOSED) assertThat(client.failure()).isNotBlank();
        }
    }
}
