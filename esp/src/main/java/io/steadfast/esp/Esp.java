package io.steadfast.esp;

/** Protocol constants of ESP (RFC 4303), its AEAD transforms (RFC 4106, RFC 7634) and ESP in UDP (RFC 3948). */
public final class Esp {
    private Esp() {}

    /** Length of the SPI field. */
    public static final int SPI_LENGTH = 4;
    /** Length of the (low 32 bits of the) sequence number field. */
    public static final int SEQUENCE_LENGTH = 4;
    /** SPI and sequence number: the cleartext ESP header before the IV. */
    public static final int HEADER_LENGTH = SPI_LENGTH + SEQUENCE_LENGTH;
    /** Offset of the sequence number field from the start of the ESP packet. */
    public static final int SEQUENCE_OFFSET = SPI_LENGTH;
    /** The pad length and next header bytes that end every ESP payload. */
    public static final int TRAILER_LENGTH = 2;
    /** The encrypted part (payload, padding, trailer) is padded to a multiple of this (RFC 4303 2.4). */
    public static final int PAD_ALIGNMENT = 4;
    /** Most padding any of our transforms adds: alignment to 4 bytes needs at most 3. */
    public static final int MAX_PAD_LENGTH = PAD_ALIGNMENT - 1;

    /** Length of the explicit IV of the AEAD transforms: the 64-bit sequence number. */
    public static final int AEAD_IV_LENGTH = 8;
    /** Length of the salt that follows the key in the keying material (RFC 4106 8.1, RFC 7634 2). */
    public static final int AEAD_SALT_LENGTH = 4;
    /** Length of the AEAD nonce: salt followed by the explicit IV. */
    public static final int AEAD_NONCE_LENGTH = AEAD_SALT_LENGTH + AEAD_IV_LENGTH;
    /** Length of the 16-octet ICV (AES-GCM with a 128-bit tag, Poly1305). */
    public static final int AEAD_ICV_LENGTH = 16;
    /** AAD without extended sequence numbers: SPI and 32-bit sequence number. */
    public static final int AAD_LENGTH = SPI_LENGTH + SEQUENCE_LENGTH;
    /** AAD with extended sequence numbers: SPI, high 32 bits, low 32 bits. */
    public static final int AAD_LENGTH_ESN = AAD_LENGTH + 4;

    /** Next header of a tunnelled IPv4 packet. */
    public static final int NEXT_HEADER_IPV4 = 4;
    /** Next header of a tunnelled IPv6 packet. */
    public static final int NEXT_HEADER_IPV6 = 41;
    /** Next header "no next header": a dummy packet for traffic flow confidentiality (RFC 4303 2.6). */
    public static final int NEXT_HEADER_NONE = 59;

    /** Last sequence number an SA without extended sequence numbers may send (RFC 4303 3.3.3). */
    public static final long MAX_SEQUENCE = 0xFFFF_FFFFL;
    /** Last sequence number an SA with extended sequence numbers may send: 2^64-1 as an unsigned long. */
    public static final long MAX_EXTENDED_SEQUENCE = -1L;
    /**
     * An SA wants a rekey when fewer sequence numbers than this are left: 2^28, 1/16 of the 32-bit space, about
     * 18 minutes at 250 000 packets a second, ample for a rekey exchange with retransmissions.
     */
    public static final long SEQUENCE_REKEY_MARGIN = 1L << 28;

    /** SPIs 1..255 are reserved by IANA and 0 is never a valid SPI on the wire (RFC 4303 2.1). */
    public static final int MIN_SPI = 256;

    /** Default anti-replay window in packets. */
    public static final int DEFAULT_REPLAY_WINDOW = 1024;
    /** Smallest anti-replay window accepted (RFC 4303 3.4.3 asks for at least 32, 64 recommended). */
    public static final int MIN_REPLAY_WINDOW = 64;
    /** Largest anti-replay window accepted. */
    public static final int MAX_REPLAY_WINDOW = 65536;

    /** UDP port of IKE and ESP in UDP once NAT traversal starts (RFC 3948). */
    public static final int NAT_T_PORT = 4500;
    /** The non-ESP marker: four zero bytes before an IKE message on port 4500. */
    public static final int NON_ESP_MARKER_LENGTH = 4;
    /** The single byte of a NAT-keepalive packet (RFC 3948 2.3). */
    public static final int NAT_KEEPALIVE_BYTE = 0xFF;

    /** Padding bytes needed so that {@code payloadLength} + padding + trailer is a multiple of 4. */
    public static int padLength(int payloadLength) {
        return -(payloadLength + TRAILER_LENGTH) & (PAD_ALIGNMENT - 1);
    }
}
