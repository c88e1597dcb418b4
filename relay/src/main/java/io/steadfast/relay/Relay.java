package io.steadfast.relay;

import java.util.concurrent.TimeUnit;

/** Protocol constants of the relay: IPv4 (RFC 791), IP-in-IP (RFC 2003), UDP (RFC 768), binding messages, timers, limits. */
public final class Relay {
    private Relay() {}

    /** Version field of an IPv4 header. */
    public static final int IPV4_VERSION = 4;
    /** Length of an IPv4 header without options (IHL 5). */
    public static final int IPV4_HEADER_LENGTH = 20;
    /** Smallest IHL: five 32-bit words. */
    public static final int IPV4_MIN_IHL = 5;
    /** Largest IPv4 total length. */
    public static final int IPV4_MAX_TOTAL_LENGTH = 65535;
    /** Smallest MTU every IPv4 link must carry (RFC 791). */
    public static final int IPV4_MIN_MTU = 68;
    /** Offset of type of service (DSCP and ECN). */
    public static final int IPV4_TOS_OFFSET = 1;
    /** Offset of total length. */
    public static final int IPV4_TOTAL_LENGTH_OFFSET = 2;
    /** Offset of identification. */
    public static final int IPV4_IDENTIFICATION_OFFSET = 4;
    /** Offset of flags and fragment offset. */
    public static final int IPV4_FLAGS_OFFSET = 6;
    /** Offset of time to live. */
    public static final int IPV4_TTL_OFFSET = 8;
    /** Offset of protocol. */
    public static final int IPV4_PROTOCOL_OFFSET = 9;
    /** Offset of the header checksum. */
    public static final int IPV4_CHECKSUM_OFFSET = 10;
    /** Offset of the source address. */
    public static final int IPV4_SOURCE_OFFSET = 12;
    /** Offset of the destination address. */
    public static final int IPV4_DESTINATION_OFFSET = 16;
    /** Don't Fragment, in the 16-bit flags and fragment offset field. */
    public static final int IPV4_FLAG_DF = 0x4000;
    /** More Fragments, in the 16-bit flags and fragment offset field. */
    public static final int IPV4_FLAG_MF = 0x2000;
    /** The 13-bit fragment offset, in the 16-bit flags and fragment offset field. */
    public static final int IPV4_FRAGMENT_OFFSET_MASK = 0x1FFF;

    /** IP protocol number of ICMP. */
    public static final int PROTOCOL_ICMP = 1;
    /** IP protocol number of IP-in-IP (RFC 2003). */
    public static final int PROTOCOL_IPIP = 4;
    /** IP protocol number of UDP. */
    public static final int PROTOCOL_UDP = 17;

    /** Length of the outer header IP-in-IP puts before the inner packet: IHL 5, no options. */
    public static final int OUTER_HEADER_LENGTH = IPV4_HEADER_LENGTH;
    /** TTL of every outer header we write (RFC 2003 3.1 leaves it to the encapsulator). */
    public static final int OUTER_TTL = 64;
    /** Largest inner packet that fits in one outer packet. */
    public static final int MAX_INNER_LENGTH = IPV4_MAX_TOTAL_LENGTH - OUTER_HEADER_LENGTH;

    /** ICMP type "destination unreachable". */
    public static final int ICMP_DESTINATION_UNREACHABLE = 3;
    /** ICMP code "fragmentation needed and DF set" (RFC 792, next-hop MTU per RFC 1191). */
    public static final int ICMP_FRAGMENTATION_NEEDED = 4;
    /** ICMP header: type, code, checksum and four more bytes (unused and next-hop MTU for type 3). */
    public static final int ICMP_HEADER_LENGTH = 8;
    /** Offset of the next-hop MTU in an ICMP "fragmentation needed" message. */
    public static final int ICMP_NEXT_HOP_MTU_OFFSET = 6;

    /** Length of a UDP header. */
    public static final int UDP_HEADER_LENGTH = 8;
    /**
     * After a binding moves, packets still arriving from the previous V (in flight through the old gateway
     * when the update overtook them) are forwarded for this long, so that a planned move loses nothing.
     */
    public static final long MOVE_GRACE_NANOS = 2_000_000_000L;
    /** UDP port of binding messages at the relay, and the client's source port for them. */
    public static final int DEFAULT_PORT = 4505;
    /** TTL of the IPv4/UDP packets that carry binding messages. */
    public static final int MESSAGE_TTL = 64;

    /** First two bytes of every binding message: "SF". */
    public static final int MESSAGE_MAGIC = 0x5346;
    /** Version of the binding message format. */
    public static final int MESSAGE_VERSION = 1;
    /** Message type of a binding update (client to relay). */
    public static final int TYPE_UPDATE = 1;
    /** Message type of a binding acknowledgement (relay to client). */
    public static final int TYPE_ACK = 2;
    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 2;
    /** Offset of the type. */
    public static final int TYPE_OFFSET = 3;
    /** Offset of the client id. */
    public static final int CLIENT_ID_OFFSET = 4;
    /** Offset of the 64-bit sequence number. */
    public static final int SEQUENCE_OFFSET = 8;
    /** Offset of S, the stable address. */
    public static final int STABLE_ADDRESS_OFFSET = 16;
    /** Offset of V, the care-of address. */
    public static final int CARE_OF_OFFSET = 20;
    /** Offset of the lifetime in seconds. */
    public static final int LIFETIME_OFFSET = 24;
    /** Offset of the status (acks; zero in updates). */
    public static final int STATUS_OFFSET = 28;
    /** Offset of the three reserved bytes, zero. */
    public static final int RESERVED_OFFSET = 29;
    /** Offset of the MAC: everything before it is authenticated. */
    public static final int MAC_OFFSET = 32;
    /** Length of the MAC: HMAC-SHA-256 truncated to 128 bits (as RFC 4868 does for IPsec). */
    public static final int MAC_LENGTH = 16;
    /** Length of every binding message. */
    public static final int MESSAGE_LENGTH = MAC_OFFSET + MAC_LENGTH;
    /** Length of the IPv4/UDP packet that carries one binding message. */
    public static final int MESSAGE_PACKET_LENGTH = IPV4_HEADER_LENGTH + UDP_HEADER_LENGTH + MESSAGE_LENGTH;
    /** JCE name of the MAC. */
    public static final String MAC_ALGORITHM = "HmacSHA256";
    /** Shortest per-client key accepted, in bytes (32 recommended: the hash length, RFC 2104 section 3). */
    public static final int MIN_KEY_LENGTH = 16;

    /** Lifetime a client asks for unless told otherwise. */
    public static final int DEFAULT_LIFETIME_SECONDS = 300;
    /** Longest lifetime the relay grants; longer requests are granted this. */
    public static final int MAX_LIFETIME_SECONDS = 3600;
    /** The client refreshes its binding after this many thirds of the granted lifetime. */
    public static final int REFRESH_THIRDS = 2;
    /** First retransmission of an unacknowledged update comes this long after the first send. */
    public static final long FIRST_RETRANSMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Retransmission intervals double up to this cap. */
    public static final long MAX_RETRANSMIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The client's first sequence number is its wall-clock epoch milliseconds shifted left by this. */
    public static final int SEQUENCE_MILLIS_SHIFT = 16;

    /** Binding updates per second the relay verifies per client; beyond, updates are dropped before the MAC. */
    public static final int UPDATES_PER_SECOND = 50;
    /** Updates a client may send at once before the rate applies. */
    public static final int UPDATE_BURST = 10;
}
