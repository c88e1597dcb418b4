package io.steadfast.relay;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes and reads {@link BindingMessage}s: HMAC-SHA-256 with the client's key over bytes 0..31,
 * truncated to 16 bytes, compared in constant time. Owns one JCE {@link Mac}, re-keyed only when the key
 * changes (the client always uses one key; the relay re-keys per client). Not thread-safe: one codec
 * per thread.
 *
 * <pre>{@code
 * BindingCodec codec = new BindingCodec();
 * byte[] update = codec.encodeUpdate(key, 7, sequence, stable, careOf, 300);     // client
 * BindingCodec.Parsed parsed = codec.parse(udpPayload, keyOfClient7);              // relay
 * if (!parsed.ok()) count(parsed.reason().counterName());
 * }</pre>
 */
public final class BindingCodec {
    private final Mac mac;
    private final byte[] message = new byte[Relay.MESSAGE_LENGTH];
    private final byte[] fullTag = new byte[32];
    private final byte[] expectedTag = new byte[Relay.MAC_LENGTH];
    private final byte[] receivedTag = new byte[Relay.MAC_LENGTH];
    private byte[] currentKey;
    private long macComputations;

    /** A codec with its own HMAC-SHA-256 instance. */
    public BindingCodec() {
        try {
            mac = Mac.getInstance(Relay.MAC_ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + Relay.MAC_ALGORITHM, e);
        }
    }

    /** The result of {@link #parse}: the authenticated message, or the reason it was refused. */
    public record Parsed(BindingMessage message, RelayDropReason reason) {
        static Parsed refused(RelayDropReason reason) {
            return new Parsed(null, reason);
        }

        /** Whether the message is authentic and well formed. */
        public boolean ok() {
            return reason == null;
        }
    }

    /** An authenticated update: bind S to V for {@code lifetimeSeconds} (at least 1). */
    public byte[] encodeUpdate(byte[] key, int clientId, long sequence, int stableAddress, int careOfAddress, int lifetimeSeconds) {
        return encode(key, new BindingMessage(BindingMessage.Type.UPDATE, clientId, sequence, stableAddress, careOfAddress,
                lifetimeSeconds, null));
    }

    /** An authenticated ack with the given status (see {@link AckStatus} for what the fields then mean). */
    public byte[] encodeAck(byte[] key, int clientId, long sequence, int stableAddress, int careOfAddress, int lifetimeSeconds,
            AckStatus status) {
        return encode(key, new BindingMessage(BindingMessage.Type.ACK, clientId, sequence, stableAddress, careOfAddress,
                lifetimeSeconds, status));
    }

    /** The 48 wire bytes of {@code m}, authenticated with {@code key}. */
    public byte[] encode(byte[] key, BindingMessage m) {
        byte[] out = new byte[Relay.MESSAGE_LENGTH];
        ByteBuffer.wrap(out)
                .putShort((short) Relay.MESSAGE_MAGIC)
                .put((byte) Relay.MESSAGE_VERSION)
                .put((byte) m.type().code())
                .putInt(m.clientId())
                .putLong(m.sequence())
                .putInt(m.stableAddress())
                .putInt(m.careOfAddress())
                .putInt(m.lifetimeSeconds())
                .put((byte) (m.status() == null ? 0 : m.status().code()));
        computeTag(key, out);
        System.arraycopy(fullTag, 0, out, Relay.MAC_OFFSET, Relay.MAC_LENGTH);
        return out;
    }

    /**
     * Parses the readable bytes of a UDP payload and verifies its MAC with {@code key}: MALFORMED_UPDATE
     * for a wrong length, magic, version or type (before any MAC work), BAD_MAC if the tag does not
     * verify, MALFORMED_UPDATE for an authentic message whose reserved bytes, status or lifetime are out
     * of range. Does not move the buffer's indices; never throws on bad input.
     */
    public Parsed parse(ByteBuf payload, byte[] key) {
        RelayDropReason format = BindingMessage.checkFormat(payload);
        if (format != null) {
            return Parsed.refused(format);
        }
        payload.getBytes(payload.readerIndex(), message);
        computeTag(key, message);
        System.arraycopy(fullTag, 0, expectedTag, 0, Relay.MAC_LENGTH);
        System.arraycopy(message, Relay.MAC_OFFSET, receivedTag, 0, Relay.MAC_LENGTH);
        if (!MessageDigest.isEqual(expectedTag, receivedTag)) {
            return Parsed.refused(RelayDropReason.BAD_MAC);
        }
        ByteBuffer m = ByteBuffer.wrap(message);
        boolean update = m.get(Relay.TYPE_OFFSET) == Relay.TYPE_UPDATE;
        int lifetime = m.getInt(Relay.LIFETIME_OFFSET);
        int statusCode = m.get(Relay.STATUS_OFFSET) & 0xFF;
        int reserved = m.getShort(Relay.RESERVED_OFFSET) | m.get(Relay.RESERVED_OFFSET + 2);
        AckStatus status = update ? null : AckStatus.ofCode(statusCode);
        if (reserved != 0 || lifetime < 0 || (update ? statusCode != 0 || lifetime == 0 : status == null)) {
            return Parsed.refused(RelayDropReason.MALFORMED_UPDATE);
        }
        return new Parsed(new BindingMessage(update ? BindingMessage.Type.UPDATE : BindingMessage.Type.ACK,
                m.getInt(Relay.CLIENT_ID_OFFSET), m.getLong(Relay.SEQUENCE_OFFSET), m.getInt(Relay.STABLE_ADDRESS_OFFSET),
                m.getInt(Relay.CARE_OF_OFFSET), lifetime, status), null);
    }

    /** How many HMACs this codec has computed: the work a flood of updates can cause. */
    public long macComputations() {
        return macComputations;
    }

    /** Computes the full HMAC-SHA-256 of the authenticated bytes of {@code wire} into {@link #fullTag}. */
    private void computeTag(byte[] key, byte[] wire) {
        useKey(key);
        mac.update(wire, 0, Relay.MAC_OFFSET);
        try {
            mac.doFinal(fullTag, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the tag buffer holds a SHA-256 output", e);
        }
        macComputations++;
    }

    private void useKey(byte[] key) {
        if (key.length < Relay.MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("a binding key has at least " + Relay.MIN_KEY_LENGTH + " bytes, not " + key.length);
        }
        if (currentKey != null && Arrays.equals(currentKey, key)) {
            return;
        }
        try {
            mac.init(new SecretKeySpec(key, Relay.MAC_ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("HMAC-SHA-256 refused the key", e);
        }
        currentKey = key.clone();
    }
}
