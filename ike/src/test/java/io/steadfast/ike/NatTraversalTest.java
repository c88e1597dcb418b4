package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.payload.NotifyPayload;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.junit.jupiter.api.Test;

class NatTraversalTest {
    static byte[] sha1(byte[] input) {
        SHA1Digest digest = new SHA1Digest();
        digest.update(input, 0, input.length);
        byte[] out = new byte[20];
        digest.doFinal(out, 0);
        return out;
    }

    @Test
    void hashIsSha1OfSpisAddressAndPort() {
        InetSocketAddress a = Fixtures.address("192.0.2.10", 4500);
        byte[] input = ByteBuffer.allocate(22).putLong(1).putLong(2).put(new byte[] {(byte) 192, 0, 2, 10})
                .putShort((short) 4500).array();
        assertThat(NatTraversal.hash(1, 2, a)).isEqualTo(sha1(input));
    }

    @Test
    void ipv6AddressesAreSixteenBytes() {
        InetSocketAddress a = Fixtures.address("2001:db8::1", 500);
        byte[] input = ByteBuffer.allocate(34).putLong(7).putLong(0).put(a.getAddress().getAddress()).putShort((short) 500).array();
        assertThat(NatTraversal.hash(7, 0, a)).isEqualTo(sha1(input));
    }

    @Test
    void highPortsAreUnsigned() {
        InetSocketAddress a = Fixtures.address("192.0.2.10", 65000);
        byte[] input = ByteBuffer.allocate(22).putLong(1).putLong(2).put(new byte[] {(byte) 192, 0, 2, 10})
                .put((byte) 0xfd).put((byte) 0xe8).array();
        assertThat(NatTraversal.hash(1, 2, a)).isEqualTo(sha1(input));
    }

    @Test
    void notifiesMatchTheFixture() {
        // Values computed independently (Python hashlib) into Fixtures.IKE_SA_INIT_REQUEST.
        assertThat(Hex.of(NatTraversal.sourceNotify(Fixtures.SPI_I, 0, Fixtures.INITIATOR).data()))
                .isEqualTo("9cdaf8713cea81e287d3c0bacb7db468691dfe58");
        assertThat(Hex.of(NatTraversal.destinationNotify(Fixtures.SPI_I, 0, Fixtures.RESPONDER).data()))
                .isEqualTo("3a02de24d181fd88168057d5ab63bd418473444a");
    }

    static IkeMessage response(InetSocketAddress claimedSource, InetSocketAddress claimedDestination) {
        IkeHeader header = IkeHeader.of(Fixtures.SPI_I, 0x55, Ike.EXCHANGE_IKE_SA_INIT, Ike.FLAG_RESPONSE, 0);
        return new IkeMessage(header, List.of(NatTraversal.sourceNotify(Fixtures.SPI_I, 0x55, claimedSource),
                NatTraversal.destinationNotify(Fixtures.SPI_I, 0x55, claimedDestination)), false);
    }

    @Test
    void noNatWhenTheHashesMatch() {
        IkeMessage m = response(Fixtures.RESPONDER, Fixtures.INITIATOR);
        assertThat(NatTraversal.peerBehindNat(m, Fixtures.RESPONDER)).isFalse();
        assertThat(NatTraversal.weAreBehindNat(m, Fixtures.INITIATOR)).isFalse();
    }

    @Test
    void aNatOnEitherSideShows() {
        IkeMessage m = response(Fixtures.address("10.0.0.5", 500), Fixtures.address("10.1.1.1", 500));
        assertThat(NatTraversal.peerBehindNat(m, Fixtures.RESPONDER)).isTrue();
        assertThat(NatTraversal.weAreBehindNat(m, Fixtures.INITIATOR)).isTrue();
    }

    @Test
    void anyOfSeveralSourceHashesMayMatch() {
        IkeHeader header = IkeHeader.of(Fixtures.SPI_I, 0x55, Ike.EXCHANGE_IKE_SA_INIT, Ike.FLAG_RESPONSE, 0);
        IkeMessage m = new IkeMessage(header, List.of(
                NatTraversal.sourceNotify(Fixtures.SPI_I, 0x55, Fixtures.address("10.9.9.9", 500)),
                NatTraversal.sourceNotify(Fixtures.SPI_I, 0x55, Fixtures.RESPONDER)), false);
        assertThat(NatTraversal.peerBehindNat(m, Fixtures.RESPONDER)).isFalse();
    }

    @Test
    void noNotifiesMeansNoDetection() {
        IkeHeader header = IkeHeader.of(Fixtures.SPI_I, 0x55, Ike.EXCHANGE_IKE_SA_INIT, Ike.FLAG_RESPONSE, 0);
        IkeMessage m = new IkeMessage(header, List.of(NotifyPayload.of(Ike.NOTIFY_MOBIKE_SUPPORTED)), false);
        assertThat(NatTraversal.peerBehindNat(m, Fixtures.RESPONDER)).isFalse();
        assertThat(NatTraversal.weAreBehindNat(m, Fixtures.INITIATOR)).isFalse();
    }

    @Test
    void portsCount() {
        IkeMessage m = response(Fixtures.RESPONDER, Fixtures.INITIATOR);
        assertThat(NatTraversal.weAreBehindNat(m, Fixtures.address("192.0.2.10", 4500))).isTrue();
    }

    @Test
    void nonEspMarker() throws Exception {
        byte[] message = Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST);
        byte[] datagram = NatTraversal.addNonEspMarker(message);
        assertThat(datagram).hasSize(message.length + 4);
        assertThat(NatTraversal.hasNonEspMarker(datagram)).isTrue();
        assertThat(NatTraversal.stripNonEspMarker(datagram)).isEqualTo(message);
        byte[] esp = Hex.bytes("c0ffee01 00000001 aabbccdd");
        assertThat(NatTraversal.hasNonEspMarker(esp)).isFalse();
        assertThat(NatTraversal.hasNonEspMarker(new byte[3])).isFalse();
        assertThat(NatTraversal.hasNonEspMarker(new byte[] {0, 0, 0, 1})).isFalse();
        assertThatThrownBy(() -> NatTraversal.stripNonEspMarker(esp)).isInstanceOf(IkeParseException.class);
    }
}
