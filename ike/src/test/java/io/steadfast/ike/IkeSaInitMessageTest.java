package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.payload.KePayload;
import io.steadfast.ike.payload.NoncePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.VendorIdPayload;
import io.steadfast.ike.proposal.ProposalSelector;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An IKE_SA_INIT request as strongSwan expects one, built, compared with the hand-made fixture, parsed back. */
class IkeSaInitMessageTest {
    @Test
    void builderProducesTheFixtureByteForByte() {
        assertThat(Hex.of(Fixtures.ikeSaInitRequest().encode())).isEqualTo(Hex.of(Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST)));
    }

    @Test
    void decoderReadsTheFixture() throws Exception {
        IkeMessage m = IkeMessageDecoder.decode(Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST));
        assertThat(m.header().exchangeType()).isEqualTo(Ike.EXCHANGE_IKE_SA_INIT);
        assertThat(m.header().isInitiator()).isTrue();
        assertThat(m.header().isResponse()).isFalse();
        assertThat(m.header().initiatorSpi()).isEqualTo(Fixtures.SPI_I);
        assertThat(m.header().responderSpi()).isZero();
        assertThat(m.header().messageId()).isZero();
        assertThat(m.encrypted()).isFalse();
        assertThat(m.payloads()).extracting(Payload::type).containsExactly(Ike.PAYLOAD_SA, Ike.PAYLOAD_KE, Ike.PAYLOAD_NONCE,
                Ike.PAYLOAD_NOTIFY, Ike.PAYLOAD_NOTIFY, Ike.PAYLOAD_NOTIFY, Ike.PAYLOAD_NOTIFY);
        assertThat(m.first(SaPayload.class).orElseThrow().proposals()).singleElement()
                .usingRecursiveComparison().isEqualTo(Fixtures.ikeProposal());
        assertThat(m.first(KePayload.class).orElseThrow().keyData()).isEqualTo(Fixtures.KE_DATA);
        assertThat(m.first(NoncePayload.class).orElseThrow().nonce()).isEqualTo(Fixtures.NONCE);
        assertThat(m.notify(Ike.NOTIFY_SIGNATURE_HASH_ALGORITHMS).orElseThrow().hashAlgorithms()).containsExactly(2, 3, 4);
        assertThat(m.notify(Ike.NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED)).isPresent();
        assertThat(m.notifies(Ike.NOTIFY_NAT_DETECTION_SOURCE_IP)).hasSize(1);
        assertThat(m.errors()).isEmpty();
        assertThat(NatTraversal.peerBehindNat(m, Fixtures.INITIATOR)).isFalse();
    }

    @Test
    void reencodingTheDecodedMessageGivesTheSameBytes() throws Exception {
        byte[] wire = Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST);
        IkeMessage m = IkeMessageDecoder.decode(wire);
        byte[] again = IkeMessageBuilder.request(m.header().exchangeType(), m.header().initiatorSpi(),
                m.header().responderSpi(), m.header().messageId(), m.header().isInitiator()).addAll(m.payloads()).encode();
        assertThat(again).isEqualTo(wire);
    }

    @Test
    void toStringReadsLikeStrongSwansLog() throws Exception {
        assertThat(IkeMessageDecoder.decode(Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST)).toString()).isEqualTo(
                "IKE_SA_INIT request 0 [ SA KE No N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP)"
                        + " N(SIGNATURE_HASH_ALGORITHMS) N(IKEV2_FRAGMENTATION_SUPPORTED) ]");
    }

    @Test
    void invalidKePayloadResponse() throws Exception {
        byte[] wire = Hex.bytes("""
                0102030405060708 0000000000000000   # SPIr stays 0 in this answer
                29 20 22 20 00000000 00000026       # next N, IKE_SA_INIT, Response, 38 bytes
                00 00 000a  00 00 0011  0013        # N(INVALID_KE_PAYLOAD), group 19
                """);
        IkeMessage m = IkeMessageDecoder.decode(wire);
        assertThat(m.header().isResponse()).isTrue();
        assertThat(m.errors()).singleElement().satisfies(n -> assertThat(n.invalidKeGroup()).isEqualTo(Ike.DH_ECP_256));
        assertThat(Hex.of(IkeMessageBuilder.response(Ike.EXCHANGE_IKE_SA_INIT, Fixtures.SPI_I, 0, 0, false)
                .add(NotifyPayload.invalidKePayload(Ike.DH_ECP_256)).encode())).isEqualTo(Hex.of(wire));
    }

    @Test
    void cookieResponseAndRetry() throws Exception {
        byte[] cookie = Hex.bytes("00112233445566778899aabbccddeeff");
        byte[] response = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_SA_INIT, Fixtures.SPI_I, 0, 0, false)
                .add(NotifyPayload.of(Ike.NOTIFY_COOKIE, cookie)).encode();
        IkeMessage m = IkeMessageDecoder.decode(response);
        NotifyPayload n = m.notify(Ike.NOTIFY_COOKIE).orElseThrow();
        assertThat(n.data()).isEqualTo(cookie);
        // The retried request starts with the cookie (RFC 7296 2.6).
        IkeMessageBuilder retry = IkeMessageBuilder.request(Ike.EXCHANGE_IKE_SA_INIT, Fixtures.SPI_I, 0, 0, true).add(n);
        Fixtures.ikeSaInitRequest();
        byte[] retried = retry.add(SaPayload.of(Fixtures.ikeProposal())).encode();
        assertThat(IkeMessageDecoder.decode(retried).payloads().get(0)).isInstanceOf(NotifyPayload.class);
    }

    @Test
    void responseAnswersWithOneChosenProposal() throws Exception {
        IkeMessage request = IkeMessageDecoder.decode(Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST));
        List<io.steadfast.ike.payload.Proposal> ours = ProposalSyntax.parseIke("aes256-sha256-modp2048,aes128gcm16-prfsha256-x25519");
        io.steadfast.ike.payload.Proposal chosen = ProposalSelector.select(ours,
                request.first(SaPayload.class).orElseThrow().proposals()).orElseThrow();
        byte[] response = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_SA_INIT, Fixtures.SPI_I, 0x1122334455667788L, 0, false)
                .add(SaPayload.of(chosen)).add(new KePayload(Ike.DH_CURVE25519, new byte[32]))
                .add(new NoncePayload(new byte[32])).add(new VendorIdPayload(Hex.bytes("882fe56d6fd20dbc2251613b2ebe5beb")))
                .encode();
        IkeMessage parsed = IkeMessageDecoder.decode(response);
        assertThat(ProposalSelector.checkAnswer(List.of(Fixtures.ikeProposal()), parsed.first(SaPayload.class).orElseThrow()))
                .usingRecursiveComparison().isEqualTo(Fixtures.ikeProposal());
        assertThat(parsed.header().responderSpi()).isEqualTo(0x1122334455667788L);
    }

    @Test
    void emptyMessageHasNoNextPayload() throws Exception {
        byte[] wire = IkeMessageBuilder.request(Ike.EXCHANGE_INFORMATIONAL, 1, 2, 5, true).encode();
        assertThat(wire).hasSize(28);
        assertThat(wire[16]).isZero();
        assertThat(IkeMessageDecoder.decode(wire).payloads()).isEmpty();
    }

    @Test
    void builderRefusesEncryptedPayloads() {
        assertThatThrownBy(() -> IkeMessageBuilder.request(Ike.EXCHANGE_IKE_AUTH, 1, 2, 1, true)
                .add(new io.steadfast.ike.payload.EncryptedPayload(0, 0, new byte[0]))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDecodedMessageIsTheSameWhateverFollowsItInMemory() throws Exception {
        // Parsing never looks beyond the message: a copy inside a larger array parses to the same payloads.
        byte[] wire = Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST);
        byte[] larger = new byte[wire.length + 100];
        java.util.Arrays.fill(larger, (byte) 0x29);
        System.arraycopy(wire, 0, larger, 0, wire.length);
        List<Payload> fromLarger = io.steadfast.ike.payload.PayloadChain.parse(larger, 28, wire.length - 28, Ike.PAYLOAD_SA, true);
        assertThat(fromLarger).usingRecursiveComparison().isEqualTo(IkeMessageDecoder.decode(wire).payloads());
    }
}
