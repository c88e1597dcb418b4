package io.steadfast.relay;

/**
 * What {@link RelayServer#handleUpdate} did with a binding update: accepted (reason null) or refused
 * (reason), and the ack to send back, if any. Acks answer only authentic updates from the V they name:
 * ACCEPTED, a re-ack of the current state for a replay or retransmission (reason REPLAYED_UPDATE), or a
 * refusal (STABLE_ADDRESS_NOT_ALLOWED). No ack for anything unauthenticated or rate-limited, nor for
 * CARE_OF_MISMATCH (it would go to an address the message does not vouch for).
 *
 * <pre>{@code
 * UpdateResult result = server.handleUpdate(payload, ipSource, now);
 * if (result.reason() != null) count(result.reason().counterName());
 * if (result.ack() != null) send(BindingPacket.encode(relay, Relay.DEFAULT_PORT, ipSource, sourcePort, result.ack()));
 * }</pre>
 *
 * @param reason    null if the binding was created, refreshed or moved; else why not
 * @param ack       the ack's UDP payload ({@value Relay#MESSAGE_LENGTH} bytes), or null for none
 * @param ackPacket the whole IPv4/UDP ack packet R:4505 -> V:port, from {@link RelayServer#handleUpdatePacket}; else null
 */
public record UpdateResult(RelayDropReason reason, byte[] ack, byte[] ackPacket) {
    /** Whether the update changed or refreshed the binding. */
    public boolean accepted() {
        return reason == null;
    }

    static UpdateResult refused(RelayDropReason reason) {
        return new UpdateResult(reason, null, null);
    }
}
