package io.steadfast.relay;

import java.util.Locale;

/** Why a packet or binding message was not accepted; each reason has a counter name such as {@code dropped.not-ipip}. */
public enum RelayDropReason {
    /** The version field is not 4. */
    NOT_IPV4,
    /** Shorter than its IPv4 header, its header length or its total length says. */
    TRUNCATED,
    /** IHL below 5, or a total length below the header length. */
    BAD_HEADER,
    /** The IPv4 header checksum (or the UDP checksum) is wrong. */
    BAD_CHECKSUM,
    /** Well-formed IPv4, but the protocol is not 4 (IP-in-IP). */
    NOT_IPIP,
    /** Well-formed IPv4, but the protocol is not 17 (UDP), or the UDP length is wrong. */
    NOT_UDP,
    /** The outer packet is a fragment (MF set or offset not zero): we never reassemble. */
    FRAGMENT,
    /** The inner packet is not a well-formed IPv4 packet within the outer packet's payload. */
    BAD_INNER,
    /** Relay: the outer destination is not R. Client: the outer source is not R, or the inner destination is not S. */
    WRONG_ADDRESS,
    /** No binding for the destination S (server to client; counted by the handler). */
    NO_BINDING,
    /** The inner source of an IP-in-IP packet is not a bound S. */
    SPOOFED_INNER_SOURCE,
    /** The outer source is not the care-of address V of the inner source's binding. */
    WRONG_CARE_OF,
    /** The binding message's MAC does not verify: forged, corrupted or the wrong key. */
    BAD_MAC,
    /** The sequence number is not newer than the last one accepted (update), or does not match the outstanding one (ack). */
    REPLAYED_UPDATE,
    /** The care-of address V in the update is not the IP source it came from. */
    CARE_OF_MISMATCH,
    /** No key for the client id (update), or the ack names another client. */
    UNKNOWN_CLIENT,
    /** S is not the client's configured S, lies outside the prefixes the relay serves, or is bound to another client. */
    STABLE_ADDRESS_NOT_ALLOWED,
    /** Wrong length, magic, version or type; or authentic with a reserved field or lifetime out of range. */
    MALFORMED_UPDATE,
    /** The client sent more updates than its rate allows; dropped before any MAC work. */
    RATE_LIMITED;

    private final String counterName = "dropped." + name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** Name of the drop counter for this reason, e.g. {@code dropped.not-ipip}. */
    public String counterName() {
        return counterName;
    }
}
