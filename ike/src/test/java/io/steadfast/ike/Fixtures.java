package io.steadfast.ike;

import io.steadfast.ike.payload.KePayload;
import io.steadfast.ike.payload.NoncePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.Transform;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Wire fixtures built by hand from RFC 7296's layouts (and cross-checked with an independent Python
 * struct/hashlib encoder), and the payloads they hold.
 */
public final class Fixtures {
    private Fixtures() {}

    /** SPIi of the fixtures. */
    public static final long SPI_I = 0x0102030405060708L;
    /** The initiator's address in the fixtures. */
    public static final InetSocketAddress INITIATOR = address("192.0.2.10", 500);
    /** The responder's address in the fixtures. */
    public static final InetSocketAddress RESPONDER = address("198.51.100.1", 500);
    /** KE data: the RFC 7748 6.1 public key of Alice. */
    public static final byte[] KE_DATA = Hex.bytes("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    /** Ni: 0x00..0x1f. */
    public static final byte[] NONCE = Hex.bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    /** Body of an SA payload of one IKE proposal: aes128gcm16-prfsha256-x25519. */
    public static final String SA_BODY = """
            00 00 0024  01 01 00 03          # last proposal, length 36, #1, IKE, no SPI, 3 transforms
            03 00 000c  01 00 0014  800e 0080 # more, length 12, ENCR AES_GCM_16, Key Length 128 (TV)
            03 00 0008  02 00 0005           # more, length 8, PRF HMAC_SHA2_256
            00 00 0008  04 00 001f           # last, length 8, DH 31 (Curve25519)
            """;

    /**
     * An IKE_SA_INIT request as strongSwan expects one: SA, KE, Ni, N(NAT_DETECTION_SOURCE_IP),
     * N(NAT_DETECTION_DESTINATION_IP), N(SIGNATURE_HASH_ALGORITHMS), N(IKEV2_FRAGMENTATION_SUPPORTED).
     */
    public static final String IKE_SA_INIT_REQUEST = """
            0102030405060708 0000000000000000  # SPIi, SPIr = 0
            21 20 22 08 00000000 000000de      # next SA, version 2.0, IKE_SA_INIT, Initiator, message 0, 222 bytes
            22 00 0028                         # SA, next KE, length 40
            """ + SA_BODY + """
            28 00 0028  001f 0000              # KE, next Nonce, length 40, group 31
            8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a
            29 00 0024                         # Nonce, next N, length 36
            000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
            29 00 001c  00 00 4004             # N, length 28, NAT_DETECTION_SOURCE_IP
            9cdaf8713cea81e287d3c0bacb7db468691dfe58
            29 00 001c  00 00 4005             # N, length 28, NAT_DETECTION_DESTINATION_IP
            3a02de24d181fd88168057d5ab63bd418473444a
            29 00 000e  00 00 402f  0002 0003 0004  # N SIGNATURE_HASH_ALGORITHMS: SHA2-256, -384, -512
            00 00 0008  00 00 402e             # N IKEV2_FRAGMENTATION_SUPPORTED, last payload
            """;

    /** The proposal of {@link #SA_BODY}. */
    public static Proposal ikeProposal() {
        return new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], List.of(
                Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128),
                Transform.of(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_256),
                Transform.of(Ike.TRANSFORM_DH, Ike.DH_CURVE25519)));
    }

    /** The payloads of {@link #IKE_SA_INIT_REQUEST}, built with the library. */
    public static IkeMessageBuilder ikeSaInitRequest() {
        return IkeMessageBuilder.request(Ike.EXCHANGE_IKE_SA_INIT, SPI_I, 0, 0, true)
                .add(SaPayload.of(ikeProposal()))
                .add(new KePayload(Ike.DH_CURVE25519, KE_DATA))
                .add(new NoncePayload(NONCE))
                .add(NatTraversal.sourceNotify(SPI_I, 0, INITIATOR))
                .add(NatTraversal.destinationNotify(SPI_I, 0, RESPONDER))
                .add(NotifyPayload.signatureHashAlgorithms(Ike.HASH_SHA2_256, Ike.HASH_SHA2_384, Ike.HASH_SHA2_512))
                .add(NotifyPayload.of(Ike.NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED));
    }

    /** An address literal and port. */
    public static InetSocketAddress address(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
