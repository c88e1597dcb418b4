package io.steadfast.relay;

/**
 * A binding update the client's handler should send now: a whole IPv4/UDP packet V:4505 -> R:4505,
 * to be sent through the active tunnel (not wrapped in IP-in-IP).
 *
 * <pre>{@code
 * UpdateToSend update = client.pollUpdate(now);
 * if (update != null) sendThroughTunnel(Unpooled.wrappedBuffer(update.packet()));
 * }</pre>
 *
 * @param packet        the IPv4/UDP packet ({@value Relay#MESSAGE_PACKET_LENGTH} bytes); the caller may keep it
 * @param sequence      the update's sequence number
 * @param careOfAddress the V it binds S to
 * @param attempt       0 for the first transmission, 1.. for retransmissions
 */
public record UpdateToSend(byte[] packet, long sequence, int careOfAddress, int attempt) {
    /** Whether this is a retransmission. */
    public boolean isRetransmission() {
        return attempt > 0;
    }
}
