package io.steadfast.relay;

/** The status byte of a binding acknowledgement: what the relay did with the update it answers. */
public enum AckStatus {
    /** The binding S -> V is in place for the granted lifetime; sequence, S and V echo the update. */
    ACCEPTED(0),
    /**
     * The update's sequence was not newer than the last one accepted (and it was not a retransmission of
     * it): nothing changed. The ack carries the relay's state instead: the last accepted sequence, and the
     * current V (0 if S is not bound), so a client whose sequence fell behind can continue above it.
     */
    STALE_SEQUENCE(1),
    /** The client may not claim this S (not its configured S, not served here, or another client's). Nothing changed. */
    STABLE_ADDRESS_NOT_ALLOWED(2);

    private final int code;

    AckStatus(int code) {
        this.code = code;
    }

    /** The value of the status byte. */
    public int code() {
        return code;
    }

    /** The status with this code, or null if there is none. */
    public static AckStatus ofCode(int code) {
        for (AckStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        return null;
    }
}
