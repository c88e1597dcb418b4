package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;

/**
 * Notify payload (RFC 7296 3.10): protocol ID and SPI (empty for the IKE SA), message type, data.
 * Parsing is generic; the factories and accessors cover the types an initiator needs.
 *
 * <pre>{@code
 * NotifyPayload retry = NotifyPayload.invalidKePayload(Ike.DH_ECP_256);
 * if (n.notifyType() == Ike.NOTIFY_INVALID_KE_PAYLOAD) group = n.invalidKeGroup();
 * }</pre>
 */
public record NotifyPayload(int protocolId, byte[] spi, int notifyType, byte[] data) implements Payload {
    /** Checks the field ranges. */
    public NotifyPayload {
        if (protocolId < 0 || protocolId > 0xFF || spi.length > 0xFF || notifyType < 0 || notifyType > 0xFFFF) {
            throw new IllegalArgumentException("notify field out of range");
        }
    }

    /** A notify about the IKE SA without data. */
    public static NotifyPayload of(int notifyType) {
        return of(notifyType, new byte[0]);
    }

    /** A notify about the IKE SA with data. */
    public static NotifyPayload of(int notifyType, byte[] data) {
        return new NotifyPayload(0, new byte[0], notifyType, data);
    }

    /** A notify about an ESP SA, e.g. REKEY_SA. */
    public static NotifyPayload forEsp(int notifyType, int spi, byte[] data) {
        byte[] spiBytes = {(byte) (spi >>> 24), (byte) (spi >>> 16), (byte) (spi >>> 8), (byte) spi};
        return new NotifyPayload(Ike.PROTOCOL_ESP, spiBytes, notifyType, data);
    }

    /** INVALID_KE_PAYLOAD naming the group the responder wants. */
    public static NotifyPayload invalidKePayload(int group) {
        return of(Ike.NOTIFY_INVALID_KE_PAYLOAD, new byte[] {(byte) (group >>> 8), (byte) group});
    }

    /** SIGNATURE_HASH_ALGORITHMS listing hash algorithm numbers (RFC 7427 4). */
    public static NotifyPayload signatureHashAlgorithms(int... hashes) {
        byte[] data = new byte[hashes.length * 2];
        for (int i = 0; i < hashes.length; i++) {
            data[2 * i] = (byte) (hashes[i] >>> 8);
            data[2 * i + 1] = (byte) hashes[i];
        }
        return of(Ike.NOTIFY_SIGNATURE_HASH_ALGORITHMS, data);
    }

    /** The group of an INVALID_KE_PAYLOAD; INVALID_SYNTAX unless the data is two bytes. */
    public int invalidKeGroup() throws IkeParseException {
        if (data.length != 2) {
            throw IkeParseException.syntax("INVALID_KE_PAYLOAD with " + data.length + " data bytes, not 2");
        }
        return (data[0] & 0xFF) << 8 | data[1] & 0xFF;
    }

    /** The hash algorithms of SIGNATURE_HASH_ALGORITHMS; INVALID_SYNTAX on an odd length. */
    public int[] hashAlgorithms() throws IkeParseException {
        if (data.length % 2 != 0) {
            throw IkeParseException.syntax("SIGNATURE_HASH_ALGORITHMS with an odd length " + data.length);
        }
        int[] hashes = new int[data.length / 2];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = (data[2 * i] & 0xFF) << 8 | data[2 * i + 1] & 0xFF;
        }
        return hashes;
    }

    /** Whether this is an error notify (type below 16384). */
    public boolean isError() {
        return Ike.isError(notifyType);
    }

    @Override
    public int type() {
        return Ike.PAYLOAD_NOTIFY;
    }

    /** Parses the body: protocol ID, SPI size, type, SPI, data. */
    public static NotifyPayload parse(ByteReader body) throws IkeParseException {
        int protocol = body.u8("notify protocol ID");
        int spiSize = body.u8("notify SPI size");
        int type = body.u16("notify type");
        byte[] spi = body.bytes(spiSize, "notify SPI");
        return new NotifyPayload(protocol, spi, type, body.rest());
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.u8(protocolId).u8(spi.length).u16(notifyType).bytes(spi).bytes(data);
    }

    @Override
    public String toString() {
        return "N(" + Ike.notifyName(notifyType) + (spi.length > 0 ? ", spi " + Text.hex(spi) : "")
                + (data.length > 0 ? ", " + Text.hex(data) : "") + ")";
    }
}
