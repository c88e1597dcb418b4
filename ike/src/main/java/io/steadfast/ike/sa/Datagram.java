package io.steadfast.ike.sa;

import java.net.InetSocketAddress;

/**
 * One UDP payload to send to (or received from) {@code peer}. Outbound payloads are complete: an IKE message
 * to port 500, or the 4-byte non-ESP marker and an IKE message on the NAT-T port (RFC 3948 2.2).
 *
 * <pre>{@code
 * for (Datagram d : actions.datagrams()) channel.send(ByteBuffer.wrap(d.payload()), d.peer());
 * }</pre>
 */
public record Datagram(InetSocketAddress peer, byte[] payload) {
    @Override
    public String toString() {
        return payload.length + " bytes to " + peer;
    }
}
