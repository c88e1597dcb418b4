package io.steadfast.ike;

import io.steadfast.ike.payload.NotifyPayload;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * NAT detection (RFC 7296 2.23) and the non-ESP marker of port 4500 (RFC 3948 2.2). The detection data is
 * {@code SHA-1(SPIi | SPIr | IP | port)} with the SPIs of the message that carries it (SPIr is 0 in the
 * IKE_SA_INIT request), the IP address as 4 or 16 bytes and the port as 2.
 *
 * <pre>{@code
 * builder.add(NatTraversal.sourceNotify(spiI, 0, local)).add(NatTraversal.destinationNotify(spiI, 0, gateway));
 * boolean natAhead = NatTraversal.weAreBehindNat(response, local);  // then float to port 4500
 * byte[] datagram = NatTraversal.addNonEspMarker(message);
 * }</pre>
 */
public final class NatTraversal {
    private NatTraversal() {}

    /** SHA-1(SPIi | SPIr | IP | port). */
    public static byte[] hash(long spiI, long spiR, InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        ByteBuffer input = ByteBuffer.allocate(16 + ip.length + 2).putLong(spiI).putLong(spiR).put(ip)
                .putShort((short) address.getPort());
        try {
            return MessageDigest.getInstance("SHA-1").digest(input.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing from the JDK", e);
        }
    }

    /** NAT_DETECTION_SOURCE_IP for the address we send from. */
    public static NotifyPayload sourceNotify(long spiI, long spiR, InetSocketAddress source) {
        return NotifyPayload.of(Ike.NOTIFY_NAT_DETECTION_SOURCE_IP, hash(spiI, spiR, source));
    }

    /** NAT_DETECTION_DESTINATION_IP for the address we send to. */
    public static NotifyPayload destinationNotify(long spiI, long spiR, InetSocketAddress destination) {
        return NotifyPayload.of(Ike.NOTIFY_NAT_DETECTION_DESTINATION_IP, hash(spiI, spiR, destination));
    }

    /**
     * Whether a NAT changed the source of a received message: it carries NAT_DETECTION_SOURCE_IP notifies
     * and none matches the address the datagram came from. False when the peer sent none (no detection).
     */
    public static boolean peerBehindNat(IkeMessage received, InetSocketAddress datagramSource) {
        return mismatch(received, Ike.NOTIFY_NAT_DETECTION_SOURCE_IP, datagramSource);
    }

    /**
     * Whether a NAT is in front of us: the received NAT_DETECTION_DESTINATION_IP does not match the address
     * the datagram arrived on (also true when a gateway fakes a NAT to force UDP encapsulation).
     */
    public static boolean weAreBehindNat(IkeMessage received, InetSocketAddress localAddress) {
        return mismatch(received, Ike.NOTIFY_NAT_DETECTION_DESTINATION_IP, localAddress);
    }

    /** {@code message} behind the 4 zero bytes that mark IKE on port 4500. */
    public static byte[] addNonEspMarker(byte[] message) {
        byte[] out = new byte[Ike.NON_ESP_MARKER_LENGTH + message.length];
        System.arraycopy(message, 0, out, Ike.NON_ESP_MARKER_LENGTH, message.length);
        return out;
    }

    /** Whether a UDP payload received on port 4500 is IKE (starts with the non-ESP marker) rather than ESP. */
    public static boolean hasNonEspMarker(byte[] udpPayload) {
        return udpPayload.length >= Ike.NON_ESP_MARKER_LENGTH && udpPayload[0] == 0 && udpPayload[1] == 0
                && udpPayload[2] == 0 && udpPayload[3] == 0;
    }

    /** The IKE message after the non-ESP marker; INVALID_SYNTAX if there is no marker. */
    public static byte[] stripNonEspMarker(byte[] udpPayload) throws IkeParseException {
        if (!hasNonEspMarker(udpPayload)) {
            throw IkeParseException.syntax("no non-ESP marker");
        }
        return Arrays.copyOfRange(udpPayload, Ike.NON_ESP_MARKER_LENGTH, udpPayload.length);
    }

    private static boolean mismatch(IkeMessage received, int notifyType, InetSocketAddress address) {
        List<NotifyPayload> notifies = received.notifies(notifyType);
        if (notifies.isEmpty()) {
            return false;
        }
        byte[] expected = hash(received.header().initiatorSpi(), received.header().responderSpi(), address);
        return notifies.stream().noneMatch(n -> Arrays.equals(n.data(), expected));
    }
}
