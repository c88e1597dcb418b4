package io.steadfast.relay;

import io.netty.buffer.ByteBuf;

/**
 * A binding update (client to relay: "bind my S to V") or its acknowledgement (relay to client),
 * parsed and authenticated by {@link BindingCodec}. On the wire it is the payload of a UDP datagram
 * V:any -> R:{@value Relay#DEFAULT_PORT} (update) or R:{@value Relay#DEFAULT_PORT} -> V:port (ack), see
 * {@link BindingPacket}: exactly {@value Relay#MESSAGE_LENGTH} bytes, every field big-endian.
 *
 * <pre>
 * offset length field
 *  0      2     magic 0x53 0x46 ("SF")
 *  2      1     version, 1
 *  3      1     type: 1 update, 2 ack
 *  4      4     client id (unsigned); selects the key
 *  8      8     sequence number (unsigned). Update: strictly greater than every earlier update of the
 *               client (the client starts at epoch milliseconds &lt;&lt; 16). Ack: the update's sequence
 *               (ACCEPTED, STABLE_ADDRESS_NOT_ALLOWED) or the last accepted one (STALE_SEQUENCE)
 * 16      4     S, the stable address
 * 20      4     V, the care-of address: the client's current tunnel address; equal to the update's IP source
 * 24      4     lifetime in seconds, 0..2^31-1. Update: requested, at least 1. Ack: granted (at most
 *               3600), or the remaining lifetime (STALE_SEQUENCE), or 0 (STABLE_ADDRESS_NOT_ALLOWED)
 * 28      1     status: update 0; ack an {@link AckStatus} code (0 accepted, 1 stale sequence, 2 S not allowed)
 * 29      3     reserved, 0
 * 32     16     MAC: the first 16 bytes of HMAC-SHA-256(client key, bytes 0..31)
 * </pre>
 *
 * Bytes 0..3 and the length are checked before anything else (cheap, unauthenticated: wrong ones are
 * MALFORMED_UPDATE); the client id then picks the key, and every other field is trusted only after the
 * MAC verified.
 *
 * <pre>{@code
 * BindingCodec codec = new BindingCodec();
 * byte[] update = codec.encodeUpdate(key, clientId, sequence, stable, careOf, 300);
 * BindingCodec.Parsed parsed = codec.parse(Unpooled.wrappedBuffer(update), key);
 * if (parsed.ok()) use(parsed.message());
 * }</pre>
 *
 * @param type            update or ack
 * @param clientId        the client id (unsigned 32-bit)
 * @param sequence        the sequence number (unsigned 64-bit)
 * @param stableAddress   S
 * @param careOfAddress   V
 * @param lifetimeSeconds requested (update) or granted (ack) lifetime
 * @param status          the ack's status; null for an update
 */
public record BindingMessage(Type type, int clientId, long sequence, int stableAddress, int careOfAddress, int lifetimeSeconds,
        AckStatus status) {

    /** The two kinds of binding message. */
    public enum Type {
        /** Client to relay: bind S to V. */
        UPDATE(Relay.TYPE_UPDATE),
        /** Relay to client: the answer to an update. */
        ACK(Relay.TYPE_ACK);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        /** The value of the type byte. */
        public int code() {
            return code;
        }
    }

    /** Checks the fields against each other: an update has no status and a lifetime of at least 1; an ack has a status. */
    public BindingMessage {
        if (type == null) {
            throw new IllegalArgumentException("a binding message needs a type");
        }
        if (lifetimeSeconds < 0) {
            throw new IllegalArgumentException("negative lifetime " + lifetimeSeconds);
        }
        if (type == Type.UPDATE && (status != null || lifetimeSeconds == 0)) {
            throw new IllegalArgumentException("an update has no status and a lifetime of at least 1 s");
        }
        if (type == Type.ACK && status == null) {
            throw new IllegalArgumentException("an ack needs a status");
        }
    }

    /** Null if the readable bytes have the length, magic, version and a known type of a binding message; else MALFORMED_UPDATE. */
    public static RelayDropReason checkFormat(ByteBuf payload) {
        int start = payload.readerIndex();
        if (payload.readableBytes() != Relay.MESSAGE_LENGTH
                || payload.getUnsignedShort(start + Relay.MAGIC_OFFSET) != Relay.MESSAGE_MAGIC
                || payload.getUnsignedByte(start + Relay.VERSION_OFFSET) != Relay.MESSAGE_VERSION) {
            return RelayDropReason.MALFORMED_UPDATE;
        }
        int type = payload.getUnsignedByte(start + Relay.TYPE_OFFSET);
        return type == Relay.TYPE_UPDATE || type == Relay.TYPE_ACK ? null : RelayDropReason.MALFORMED_UPDATE;
    }

    /** The (unauthenticated) client id of a message that {@link #checkFormat} accepted: it only picks the key. */
    public static int clientId(ByteBuf payload) {
        return payload.getInt(payload.readerIndex() + Relay.CLIENT_ID_OFFSET);
    }

    /** Whether this is an update. */
    public boolean isUpdate() {
        return type == Type.UPDATE;
    }

    @Override
    public String toString() {
        return type + " client " + Integer.toUnsignedString(clientId) + " seq " + Long.toUnsignedString(sequence) + " "
                + Ipv4.format(stableAddress) + " -> " + Ipv4.format(careOfAddress) + " lifetime " + lifetimeSeconds + "s"
                + (status == null ? "" : " " + status);
    }
}
