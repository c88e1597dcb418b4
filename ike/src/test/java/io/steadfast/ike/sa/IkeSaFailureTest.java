package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A user's mistakes end in one clear reason on each side, and no SA is left hanging anywhere. */
class IkeSaFailureTest {

    @Test
    void wrongPskFailsBothSidesNamingTheIdentity() {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = wire.start(Wire.client().withPsk("not the gateway's key".getBytes(StandardCharsets.UTF_8)));
        wire.run();

        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(wire.initiatorEvents(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .isEqualTo("/198.51.100.1:4500 rejected our identity fqdn:client.example (AUTHENTICATION_FAILED): wrong"
                        + " pre-shared key, or an identity it does not know"));
        assertThat(wire.initiatorEvents).hasSize(1);
        assertThat(wire.responderEvents(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .isEqualTo("/192.0.2.10:40123 as fqdn:client.example failed authentication: its AUTH does not verify"
                        + " with the pre-shared key (the keys differ)"));
        assertThat(wire.responder.sas()).isEmpty();
        assertThat(wire.responder.halfOpen()).isZero();
        assertThat(wire.responder.leasedAddresses()).isZero();
        assertThat(client.nextDeadline()).isEqualTo(IkeSa.NO_DEADLINE);
    }

    @Test
    void unknownIdentityIsNamedOnTheResponder() {
        Wire wire = new Wire(Wire.gateway());
        InitiatorConfig stranger = new InitiatorConfig("stranger.example", null, Wire.PSK, "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", Wire.CLOUD, true, true, 4500, 1280, Retransmission.DEFAULT, java.time.Duration.ofSeconds(30));
        wire.start(stranger);
        wire.run();
        assertThat(wire.responderEvents(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .endsWith("as fqdn:stranger.example failed authentication: no pre-shared key for this identity"));
    }

    @Test
    void responderProvingTheWrongIdentityFailsTheInitiatorAndIsDeleted() {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = wire.start(Wire.client().withRemoteId("other-gw.example"));
        wire.run();
        assertThat(wire.initiatorEvents(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .isEqualTo("/198.51.100.1:4500 authenticated as fqdn:gw.example, we expect other-gw.example"));
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
        // the delete we sent removed the gateway's SA too
        assertThat(wire.responder.sas()).isEmpty();
        assertThat(wire.responderEvents(IkeEvent.Deleted.class)).hasSize(1);
        assertThat(wire.responder.leasedAddresses()).isZero();
    }

    @Test
    void ikeProposalMismatchNamesWhatEachSideOffered() throws Exception {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = wire.start(Wire.client().withProposals("aes256gcm16-prfsha384-ecp256", "aes128gcm16"));
        wire.run();

        assertThat(wire.initiatorEvents(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .isEqualTo("/198.51.100.1:500 accepted none of our IKE proposals; we offered aes256gcm16-prfsha384-ecp256"
                        + " (NO_PROPOSAL_CHOSEN)"));
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(wire.responder.sas()).isEmpty();
        assertThat(wire.sent).hasSize(2);
        assertThat(IkeMessageDecoder.decode(wire.sent.get(1).datagram().payload()).toString())
                .isEqualTo("IKE_SA_INIT response 0 [ N(NO_PROPOSAL_CHOSEN) ]");
    }

    @Test
    void espProposalMismatchFailsTheInitiatorWhichDeletesTheIkeSa() {
        Wire wire = new Wire(Wire.gateway().withProposals("aes128gcm16-prfsha256-x25519", "aes256gcm16"));
        IkeSa client = wire.start(Wire.client().withProposals("aes128gcm16-prfsha256-x25519", "aes128gcm16-esn"));
        wire.run();

        assertThat(wire.initiatorEvents(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .isEqualTo("IKE SA with /198.51.100.1:4500 is up, but it refused our Child SA (NO_PROPOSAL_CHOSEN; we"
                        + " offered ESP aes128gcm16-esn, TSr [10.10.0.0..10.10.255.255])"));
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(wire.initiatorEvents(IkeEvent.ChildSaUp.class)).isEmpty();
        assertThat(wire.responder.sas()).isEmpty();
        assertThat(wire.responderEvents(IkeEvent.ChildSaUp.class)).isEmpty();
    }

    @Test
    void trafficSelectorsOutsideTheGatewaysPolicyAreRefused() {
        Wire wire = new Wire(Wire.gateway());
        IkeSa client = wire.start(new InitiatorConfig("client.example", null, Wire.PSK, "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", java.util.List.of(io.steadfast.ike.payload.TrafficSelector.ipv4Subnet("172.16.0.0", 12)),
                true, true, 4500, 1280, Retransmission.DEFAULT, java.time.Duration.ofSeconds(30)));
        wire.run();
        assertThat(wire.initiatorEvents(IkeEvent.Failed.class)).singleElement()
                .satisfies(f -> assertThat(f.reason()).contains("refused our Child SA (TS_UNACCEPTABLE"));
        assertThat(client.state()).isEqualTo(IkeSa.State.CLOSED);
    }

    @Test
    void anExhaustedPoolIsInternalAddressFailure() {
        ResponderConfig tiny = ResponderConfig.psk("gw.example", Map.of("client.example", Wire.PSK, "b.example", Wire.PSK,
                "c.example", Wire.PSK),
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", Wire.CLOUD, "10.99.0.0/30");
        Wire wire = new Wire(tiny);
        wire.start(Wire.client());
        wire.run();
        InitiatorConfig b = new InitiatorConfig("b.example", null, Wire.PSK, "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", Wire.CLOUD, true, true, 4500, 1280, Retransmission.DEFAULT, java.time.Duration.ofSeconds(30));
        IkeSa second = wire.start(b, Wire.address("192.0.2.30", 500));
        wire.run();
        IkeSa third = wire.start(new InitiatorConfig("c.example", null, Wire.PSK, "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", Wire.CLOUD, true, true, 4500, 1280, Retransmission.DEFAULT, java.time.Duration.ofSeconds(30)),
                Wire.address("192.0.2.31", 500));
        wire.run();
        assertThat(second.virtualIp().getHostAddress()).isEqualTo("10.99.0.2");
        assertThat(third.state()).isEqualTo(IkeSa.State.CLOSED);
        assertThat(third.failure()).contains("refused our Child SA (INTERNAL_ADDRESS_FAILURE");
        assertThat(wire.responder.sas()).hasSize(2);
        assertThat(wire.responder.leasedAddresses()).isEqualTo(2);
        IkeSa fourth = wire.start(b, Wire.address("192.0.2.32", 500)); // b again: keeps its address
        wire.run();
        assertThat(fourth.virtualIp().getHostAddress()).isEqualTo("10.99.0.2");
    }

    @Test
    void invalidKeForAGroupWeNeverOfferedFails() {
        Wire wire = new Wire(Wire.gateway().withProposals("aes128gcm16-prfsha256-ecp256", "aes128gcm16"));
        wire.filter = f -> f; // a gateway that insists on a group outside our list:
        IkeSa client = wire.start(Wire.client().withProposals("aes128gcm16-prfsha256-x25519-ecp256", "aes128gcm16"));
        wire.queue.clear();
        byte[] refusal = io.steadfast.ike.IkeMessageBuilder.response(Ike.EXCHANGE_IKE_SA_INIT, client.initiatorSpi(), 0, 0,
                false).add(io.steadfast.ike.payload.NotifyPayload.invalidKePayload(Ike.DH_MODP_2048)).encode();
        wire.fromInitiator(client, client.receive(Wire.GATEWAY, refusal, wire.now));
        assertThat(wire.initiatorEvents(IkeEvent.Failed.class)).singleElement().satisfies(f -> assertThat(f.reason())
                .isEqualTo("the responder asks for DH group 14 (INVALID_KE_PAYLOAD), which we did not offer in"
                        + " aes128gcm16-prfsha256-x25519-ecp256"));
    }

    @Test
    void aLostAuthenticationFailedAnswerIsRepeatedSoTheClientStillLearnsWhy() {
        Wire wire = new Wire(Wire.gateway());
        java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
        wire.filter = f -> !f.toResponder() && io.steadfast.ike.NatTraversal.hasNonEspMarker(f.datagram().payload())
                && !lost.getAndSet(true) ? null : f;
        IkeSa client = wire.start(Wire.client().withPsk("wrong".getBytes(StandardCharsets.UTF_8)));
        wire.settle(java.util.concurrent.TimeUnit.SECONDS.toNanos(3));
        assertThat(client.failure()).contains("rejected our identity fqdn:client.example (AUTHENTICATION_FAILED)");
        assertThat(wire.responder.counters().duplicatesAnswered()).isEqualTo(1);
        assertThat(wire.responder.sas()).isEmpty();
        // and after the half-open timeout nothing is kept
        wire.settle(java.util.concurrent.TimeUnit.SECONDS.toNanos(40));
        Wire.InFlight auth = wire.sent.stream().filter(f -> f.toResponder() && f.datagram().peer().getPort() == 4500)
                .findFirst().orElseThrow();
        assertThat(wire.responder.receive(auth.from(), auth.datagram().payload(), wire.now).isEmpty()).isTrue();
    }
}
