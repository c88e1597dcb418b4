package io.steadfast.ike;

/**
 * Bad input: a message or payload that does not parse, fails its integrity check, or asks for what we
 * do not support. Carries the notify type to answer with ({@link Ike#NOTIFY_INVALID_SYNTAX},
 * {@link Ike#NOTIFY_UNSUPPORTED_CRITICAL_PAYLOAD} with the payload type as data, ...) or
 * {@link #SILENT_DROP} when RFC 7296 says to drop the message without an answer (an ICV that does not
 * verify, 2.21.2). The decoders throw nothing else on bad input.
 *
 * <pre>{@code
 * try {
 *     IkeMessage message = IkeMessageDecoder.decode(datagram);
 * } catch (IkeParseException e) {
 *     if (e.shouldAnswer() && isRequest) answer(new NotifyPayload(e.notifyType(), e.notifyData()));
 * }
 * }</pre>
 */
public class IkeParseException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Pseudo notify type: drop the message, answer nothing. */
    public static final int SILENT_DROP = 0;

    private final int notifyType;
    private final byte[] notifyData;

    /** Bad input answered by {@code notifyType} with no notification data. */
    public IkeParseException(int notifyType, String message) {
        this(notifyType, new byte[0], message);
    }

    /** Bad input answered by {@code notifyType} carrying {@code notifyData}. */
    public IkeParseException(int notifyType, byte[] notifyData, String message) {
        super(message);
        this.notifyType = notifyType;
        this.notifyData = notifyData.clone();
    }

    /** INVALID_SYNTAX with a reason. */
    public static IkeParseException syntax(String message) {
        return new IkeParseException(Ike.NOTIFY_INVALID_SYNTAX, message);
    }

    /** A message to drop silently (failed integrity check, undecryptable). */
    public static IkeParseException silent(String message) {
        return new IkeParseException(SILENT_DROP, message);
    }

    /** The notify type to answer with, or {@link #SILENT_DROP}. */
    public int notifyType() {
        return notifyType;
    }

    /** Notification data for the answer (a copy; empty when none). */
    public byte[] notifyData() {
        return notifyData.clone();
    }

    /** Whether an answer (to a request) should carry a notify at all. */
    public boolean shouldAnswer() {
        return notifyType != SILENT_DROP;
    }

    @Override
    public String getMessage() {
        return (notifyType == SILENT_DROP ? "drop" : Ike.notifyName(notifyType)) + ": " + super.getMessage();
    }
}
