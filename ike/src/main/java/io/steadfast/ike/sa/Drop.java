package io.steadfast.ike.sa;

/**
 * Why an incoming datagram was dropped; each reason is counted by {@link IkeCounters}.
 *
 * <pre>{@code
 * if (sa.counters().drops(Drop.BAD_ICV) > 100) log.warn("someone is sending forged IKE messages");
 * }</pre>
 */
public enum Drop {
    /** The header or the payload chain does not parse. */
    MALFORMED,
    /** The SK or SKF payload failed its integrity check (forged, corrupted, or keys of another SA). */
    BAD_ICV,
    /** A message without the SK payload where RFC 7296 requires one. */
    UNPROTECTED,
    /** A response to no request of ours, or with the wrong message ID or exchange. */
    UNEXPECTED_RESPONSE,
    /** A request outside the message-ID window (an old or a future one). */
    OUT_OF_WINDOW,
    /** A request for an exchange this SA does not take in its state. */
    UNEXPECTED_EXCHANGE,
    /** From an address other than the peer's. */
    WRONG_SOURCE,
    /** For an SPI we have no IKE SA for. */
    NO_SA,
    /** The SA is closed. */
    SA_CLOSED,
    /** An IKE_SA_INIT request refused because the cap on half-open SAs is reached. */
    HALF_OPEN_CAP,
    /** A fragment that reassembly discarded (duplicate, out of range, too big). */
    FRAGMENT,
    /** Input that hit a bug of ours (an unexpected exception); logged with its stack trace, the SA carries on. */
    INTERNAL_ERROR
}
