package io.steadfast.esp;

import java.util.Locale;

/** Why a packet was not sealed or opened; each reason has a counter name such as {@code dropped.bad-icv}. */
public enum EspDropReason {
    /** Shorter than header, IV, trailer and ICV (inbound). */
    TRUNCATED,
    /** The SPI is not the one of this SA (inbound). */
    UNKNOWN_SPI,
    /** The sequence number was already received (inbound). */
    REPLAYED,
    /** The sequence number lies to the left of the anti-replay window (inbound). */
    TOO_OLD,
    /** The integrity check failed: forged, corrupted or wrong key (inbound). */
    BAD_ICV,
    /** Authentic, but the pad length or pad bytes are not as RFC 4303 2.4 prescribes (inbound). */
    BAD_PADDING,
    /** Authentic, but the next header is neither IPv4 (4) nor IPv6 (41) (inbound). */
    BAD_NEXT_HEADER,
    /** Authentic dummy packet, next header 59 (RFC 4303 2.6): dropped by design, not an error (inbound). */
    DUMMY,
    /** No sequence number left: 2^32-1 sent, or 2^64-1 with ESN (outbound; rekey). */
    SEQUENCE_EXHAUSTED,
    /** A hard packet or byte limit of the SA is reached. */
    LIFETIME_EXPIRED,
    /** The SA was closed and its key zeroed. */
    SA_CLOSED,
    /** The buffer lacks headroom before or tailroom after the inner packet (outbound). */
    NO_ROOM;

    private final String counterName = "dropped." + name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** Name of the drop counter for this reason, e.g. {@code dropped.bad-icv}. */
    public String counterName() {
        return counterName;
    }
}
