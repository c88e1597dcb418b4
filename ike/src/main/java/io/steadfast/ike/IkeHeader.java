package io.steadfast.ike;

/**
 * The 28-byte IKE header (RFC 7296 3.1). SPIs are 64-bit values, the message ID is unsigned 32-bit in
 * an int, {@code length} counts the whole message including this header.
 *
 * <pre>{@code
 * IkeHeader header = IkeHeader.parse(datagram);          // checks version and length
 * if (header.isResponse() && header.exchangeType() == Ike.EXCHANGE_IKE_SA_INIT) ...
 * }</pre>
 */
public record IkeHeader(long initiatorSpi, long responderSpi, int nextPayload, int majorVersion, int minorVersion,
        int exchangeType, int flags, int messageId, int length) {

    /** Checks that the byte-sized fields fit. */
    public IkeHeader {
        checkByte(nextPayload, "next payload");
        checkByte(exchangeType, "exchange type");
        checkByte(flags, "flags");
        if (majorVersion < 0 || majorVersion > 15 || minorVersion < 0 || minorVersion > 15) {
            throw new IllegalArgumentException("version " + majorVersion + "." + minorVersion + " does not fit");
        }
    }

    /** A version 2.0 header; {@code nextPayload} and {@code length} are filled in by the encoder. */
    public static IkeHeader of(long initiatorSpi, long responderSpi, int exchangeType, int flags, int messageId) {
        return new IkeHeader(initiatorSpi, responderSpi, Ike.PAYLOAD_NONE, Ike.MAJOR_VERSION, Ike.MINOR_VERSION,
                exchangeType, flags, messageId, Ike.HEADER_LENGTH);
    }

    /**
     * Parses the header at the start of {@code message} and checks it against the message: major version 2
     * (else INVALID_MAJOR_VERSION), a length field equal to {@code message.length} (else INVALID_SYNTAX).
     */
    public static IkeHeader parse(byte[] message) throws IkeParseException {
        if (message.length < Ike.HEADER_LENGTH) {
            throw IkeParseException.syntax("message of " + message.length + " bytes is shorter than the IKE header");
        }
        ByteReader in = new ByteReader(message, 0, Ike.HEADER_LENGTH);
        long spiI = in.u64("initiator SPI");
        long spiR = in.u64("responder SPI");
        int next = in.u8("next payload");
        int version = in.u8("version");
        int exchange = in.u8("exchange type");
        int flags = in.u8("flags");
        int messageId = in.u32("message ID");
        int length = in.u32("length");
        if (version >>> 4 != Ike.MAJOR_VERSION) {
            throw new IkeParseException(Ike.NOTIFY_INVALID_MAJOR_VERSION,
                    "major version " + (version >>> 4) + " (we speak " + Ike.MAJOR_VERSION + ")");
        }
        if (length != message.length) {
            throw IkeParseException.syntax("header length " + Integer.toUnsignedString(length) + " but the message has "
                    + message.length + " bytes");
        }
        return new IkeHeader(spiI, spiR, next, version >>> 4, version & 0x0F, exchange, flags, messageId, length);
    }

    /** Writes the 28 header bytes. */
    public void encode(ByteWriter out) {
        out.u64(initiatorSpi).u64(responderSpi).u8(nextPayload).u8(majorVersion << 4 | minorVersion)
                .u8(exchangeType).u8(flags).u32(messageId).u32(length);
    }

    /** The 28 header bytes. */
    public byte[] toBytes() {
        ByteWriter out = new ByteWriter(Ike.HEADER_LENGTH);
        encode(out);
        return out.toByteArray();
    }

    /** Whether the Initiator flag is set: the sender is the original initiator. */
    public boolean isInitiator() {
        return (flags & Ike.FLAG_INITIATOR) != 0;
    }

    /** Whether the Response flag is set. */
    public boolean isResponse() {
        return (flags & Ike.FLAG_RESPONSE) != 0;
    }

    /** This header with another next payload and length. */
    public IkeHeader with(int newNextPayload, int newLength) {
        return new IkeHeader(initiatorSpi, responderSpi, newNextPayload, majorVersion, minorVersion, exchangeType, flags,
                messageId, newLength);
    }

    @Override
    public String toString() {
        return Ike.exchangeName(exchangeType) + " " + (isResponse() ? "response" : "request") + " "
                + Integer.toUnsignedString(messageId) + " [" + String.format("%016x_i %016x_r", initiatorSpi, responderSpi)
                + (isInitiator() ? ", I" : "") + ", " + length + " bytes]";
    }

    private static void checkByte(int value, String what) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(what + " " + value + " does not fit in a byte");
        }
    }
}
