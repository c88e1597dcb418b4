package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageDecoder;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.payload.CpPayload;
import io.steadfast.ike.payload.KePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.TrafficSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our initiator against our responder in memory: IKE_SA_INIT (with its retries), IKE_AUTH, the Child SA. */
class IkeSaHandshakeTest {

    @Test
    void pskHandshakeGivesBothSidesAWorkingChildSa() throws Exception {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = wire.start(Wire.client());
        wire.run();

        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        IkeSa gateway = wire.peerOf(client);
        assertThat(gateway.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(client.peerIdentity()).isEqualTo("fqdn:gw.example");
        assertThat(gateway.peerIdentity()).isEqualTo("fqdn:client.example");
        assertThat(client.ikeProposal()).isEqualTo("aes128gcm16-prfsha256-x25519");
        assertThat(client.virtualIp().getHostAddress()).isEqualTo("10.99.0.1");
        assertThat(wire.responder.leasedAddresses()).isEqualTo(1);

        ChildSa ours = wire.initiatorEvents(IkeEvent.ChildSaUp.class).getFirst().child();
        ChildSa theirs = wire.responderEvents(IkeEvent.ChildSaUp.class).getFirst().child();
        assertThat(ours.outboundSpi()).isEqualTo(theirs.inboundSpi());
        assertThat(ours.inboundSpi()).isEqualTo(theirs.outboundSpi());
        assertThat(ours.proposal()).isEqualTo("aes128gcm16");
        assertThat(ours.localTs()).containsExactly(TrafficSelector.ipv4Subnet("10.99.0.1", 32));
        assertThat(ours.remoteTs()).containsExactly(TrafficSelector.ipv4Subnet("10.10.0.0", 16));
        assertThat(theirs.localTs()).isEqualTo(ours.remoteTs());
        assertThat(theirs.remoteTs()).isEqualTo(ours.localTs());
        assertThat(ours.udpEncapsulated()).isTrue();
        assertThat(EspPair.carry(ours, theirs, EspPair.PING)).isEqualTo(EspPair.PING);
        assertThat(EspPair.carry(theirs, ours, EspPair.PING)).isEqualTo(EspPair.PING);

        assertThat(wire.initiatorEvents).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Established", "ChildSaUp");
        assertThat(wire.responderEvents).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Established", "ChildSaUp");
        assertThat(client.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
        assertThat(gateway.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
        assertThat(client.counters().drops()).isZero();
        assertThat(gateway.counters().drops()).isZero();
    }

    @Test
    void ikeSaInitGoesToPort500AndEverythingAfterToTheNattPortBehindTheMarker() throws Exception {
        Wire wire = new Wire(Wire.gateway());
        wire.start(Wire.client());
        wire.run();

        assertThat(wire.sent).hasSize(4);
        Wire.InFlight init = wire.sent.get(0);
        assertThat(init.datagram().peer()).isEqualTo(Wire.GATEWAY);
        assertThat(NatTraversal.hasNonEspMarker(init.datagram().payload())).isFalse();
        IkeMessage request = IkeMessageDecoder.decode(init.datagram().payload());
        assertThat(request.toString()).isEqualTo("IKE_SA_INIT request 0 [ SA KE No N(NAT_DETECTION_SOURCE_IP)"
                + " N(NAT_DETECTION_DESTINATION_IP) N(IKEV2_FRAGMENTATION_SUPPORTED) N(SIGNATURE_HASH_ALGORITHMS) ]");
        assertThat(request.first(KePayload.class).orElseThrow().group()).isEqualTo(Ike.DH_CURVE25519);
        // forced encapsulation: the source hash is not of our address, so the gateway sees a NAT
        assertThat(NatTraversal.peerBehindNat(request, Wire.CLIENT)).isTrue();
        assertThat(NatTraversal.weAreBehindNat(request, Wire.GATEWAY)).isFalse();

        Wire.InFlight auth = wire.sent.get(2);
        assertThat(auth.datagram().peer().getPort()).isEqualTo(4500);
        assertThat(NatTraversal.hasNonEspMarker(auth.datagram().payload())).isTrue();
        Wire.InFlight authResponse = wire.sent.get(3);
        assertThat(authResponse.datagram().peer()).isEqualTo(Wire.CLIENT);
        assertThat(NatTraversal.hasNonEspMarker(authResponse.datagram().payload())).isTrue();
    }

    @Test
    void datagramsMayComeInByteBuffers() {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = wire.start(Wire.client());
        Wire.InFlight init = wire.queue.poll();
        java.nio.ByteBuffer framed = java.nio.ByteBuffer.allocate(init.datagram().payload().length + 10);
        framed.position(7).put(init.datagram().payload()).flip().position(7);
        Actions answer = wire.responder.receive(init.from(), framed, wire.now);
        assertThat(framed.position()).isEqualTo(7); // not consumed
        java.nio.ByteBuffer reply = java.nio.ByteBuffer.wrap(answer.datagrams().getFirst().payload());
        Actions auth = client.receive(Wire.GATEWAY, reply, wire.now);
        assertThat(auth.datagrams()).hasSize(1);
        assertThat(client.state()).isEqualTo(IkeSa.State.AUTH_SENT);
    }

    @Test
    void initiatorRetriesWithTheGroupThatInvalidKePayloadNames() throws Exception {
        Wire wire = new Wire(Wire.gateway().withProposals("aes128gcm16-prfsha256-ecp256", "aes128gcm16"));
        IkeSa client = wire.start(Wire.client().withProposals("aes128gcm16-prfsha256-x25519-ecp256", "aes128gcm16"));
        wire.run();

        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(client.ikeProposal()).isEqualTo("aes128gcm16-prfsha256-ecp256");
        assertThat(wire.sent).hasSize(6);
        IkeMessage refusal = IkeMessageDecoder.decode(wire.sent.get(1).datagram().payload());
        assertThat(refusal.notify(Ike.NOTIFY_INVALID_KE_PAYLOAD).orElseThrow().invalidKeGroup()).isEqualTo(Ike.DH_ECP_256);
        IkeMessage retry = IkeMessageDecoder.decode(wire.sent.get(2).datagram().payload());
        assertThat(retry.header().messageId()).isZero();
        assertThat(retry.header().initiatorSpi()).isEqualTo(client.initiatorSpi());
        assertThat(retry.first(KePayload.class).orElseThrow().group()).isEqualTo(Ike.DH_ECP_256);
        assertThat(wire.responder.sas()).hasSize(1);
    }

    @Test
    void responderPrefersTheInitiatorsKeGroupWhenItAcceptsIt() throws Exception {
        Wire wire = new Wire(Wire.gateway().withProposals("aes128gcm16-prfsha256-ecp256-x25519", "aes128gcm16"));
        IkeSa client = wire.start(Wire.client().withProposals("aes128gcm16-prfsha256-x25519-ecp256", "aes128gcm16"));
        wire.run();
        assertThat(client.ikeProposal()).isEqualTo("aes128gcm16-prfsha256-x25519");
        assertThat(wire.sent).hasSize(4);
    }

    @Test
    void modp2048AndCbcWithHmacWork() throws Exception {
        Wire wire = new Wire(Wire.gateway().withProposals("aes256-sha256-modp2048", "aes256gcm16"));
        IkeSa client = wire.start(Wire.client().withProposals("aes256-sha256-modp2048", "aes256gcm16-aes128gcm16"));
        wire.run();
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(client.ikeProposal()).isEqualTo("aes256-sha256-modp2048");
        assertThat(client.childSas().getFirst().proposal()).isEqualTo("aes256gcm16");
    }

    @Test
    void espProposalWithADhGroupIsOfferedWithoutItInIkeAuth() throws Exception {
        Wire wire = new Wire(Wire.gateway().withProposals("aes128gcm16-prfsha256-x25519", "aes128gcm16-x25519"));
        IkeSa client = wire.start(Wire.client().withProposals("aes128gcm16-prfsha256-x25519", "aes128gcm16-x25519"));
        wire.run();
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(client.childSas().getFirst().proposal()).isEqualTo("aes128gcm16");
    }

    @Test
    void cookieIsReturnedWhenTheResponderAsksForOne() throws Exception {
        Wire wire = new Wire(Wire.gateway().withHalfOpenLimits(0, 10));
        IkeSa client = wire.start(Wire.client());
        wire.run();

        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(wire.responder.counters().cookiesSent()).isEqualTo(1);
        IkeMessage cookie = IkeMessageDecoder.decode(wire.sent.get(1).datagram().payload());
        assertThat(cookie.header().responderSpi()).isZero();
        byte[] data = cookie.notify(Ike.NOTIFY_COOKIE).orElseThrow().data();
        IkeMessage retry = IkeMessageDecoder.decode(wire.sent.get(2).datagram().payload());
        assertThat(retry.payloads().getFirst()).isInstanceOfSatisfying(NotifyPayload.class, n -> {
            assertThat(n.notifyType()).isEqualTo(Ike.NOTIFY_COOKIE);
            assertThat(n.data()).isEqualTo(data);
        });
    }

    @Test
    void virtualIpsComeFromThePoolOnePerIdentity() throws Exception {
        ResponderConfig two = ResponderConfig.psk("gw.example", java.util.Map.of("client.example", Wire.PSK,
                "other@example.org", Wire.PSK), "aes128gcm16-prfsha256-x25519", "aes128gcm16", Wire.CLOUD, "10.99.0.0/24");
        Wire wire = new Wire(two);
        IkeSa first = wire.start(Wire.client());
        InitiatorConfig other = new InitiatorConfig("other@example.org", "gw.example", Wire.PSK,
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", Wire.CLOUD, true, true, 4500, 1280,
                Retransmission.DEFAULT, java.time.Duration.ofSeconds(30));
        IkeSa second = wire.start(other, Wire.address("192.0.2.20", 500));
        wire.run();

        assertThat(first.virtualIp().getHostAddress()).isEqualTo("10.99.0.1");
        assertThat(second.virtualIp().getHostAddress()).isEqualTo("10.99.0.2");
        assertThat(second.peerIdentity()).isEqualTo("fqdn:gw.example");
        assertThat(wire.peerOf(second).peerIdentity()).isEqualTo("email:other@example.org");
        IkeMessage auth = IkeMessageDecoder.decode(NatTraversal.stripNonEspMarker(wire.sent.stream()
                .filter(f -> f.toResponder() && f.datagram().peer().getPort() == 4500).findFirst().orElseThrow()
                .datagram().payload()));
        assertThat(auth.header().exchangeType()).isEqualTo(Ike.EXCHANGE_IKE_AUTH);
        assertThat(auth.first(CpPayload.class)).isEmpty(); // inside SK
    }

    @Test
    void initialContactReplacesTheOldSaOfTheSameIdentity() throws Exception {
        Wire wire = new Wire(Wire.gateway());
        IkeSa old = wire.start(Wire.client());
        wire.run();
        IkeSa oldOnGateway = wire.peerOf(old);
        IkeSa fresh = wire.start(Wire.client(), Wire.address("192.0.2.10", 40124));
        wire.run();

        assertThat(fresh.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(oldOnGateway.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(wire.responder.sas()).containsExactly(wire.peerOf(fresh));
        assertThat(fresh.virtualIp()).isEqualTo(old.virtualIp());
        assertThat(wire.responder.leasedAddresses()).isEqualTo(1);
        assertThat(wire.responderEvents(IkeEvent.Deleted.class)).extracting(IkeEvent::sa).containsExactly(oldOnGateway);
        assertThat(wire.responderEvents(IkeEvent.ChildSaDown.class)).hasSize(1);
    }

    @Test
    void largeRequestsGoAsFragmentsAndAreReassembled() throws Exception {
        List<TrafficSelector> many = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) many.add(TrafficSelector.ipv4Subnet("10." + (10 + i) + ".0.0", 16));
        ResponderConfig gw = new ResponderConfig("gw.example", java.util.Map.of("client.example", Wire.PSK),
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", many, "10.99.0.0/24", true, 50, 1000,
                java.time.Duration.ofSeconds(30), Retransmission.DEFAULT, 576);
        Wire wire = new Wire(gw);
        InitiatorConfig config = new InitiatorConfig("client.example", null, Wire.PSK, "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", many, true, true, 4500, 576, Retransmission.DEFAULT, java.time.Duration.ofSeconds(30));
        IkeSa client = wire.start(config);
        wire.run();

        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(client.childSas().getFirst().remoteTs()).hasSize(60);
        long fragments = wire.sent.stream().filter(f -> f.datagram().peer().getPort() == 4500).count();
        assertThat(fragments).isGreaterThan(2);
        assertThat(wire.sent).allSatisfy(f -> assertThat(f.datagram().payload().length).isLessThanOrEqualTo(576));
        long fromGateway = wire.sent.stream().filter(f -> !f.toResponder()).count();
        assertThat(fromGateway).isGreaterThan(2); // the long TSr answer came back in fragments too
    }
}
