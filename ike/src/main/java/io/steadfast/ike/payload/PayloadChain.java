package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks and writes chains of payloads linked by their generic headers (RFC 7296 3.2).
 *
 * <p>Parsing checks every length (at least the 4-byte header, within the range, the chain ending exactly
 * at the end), skips unknown payloads without the critical bit and rejects unknown critical ones with
 * UNSUPPORTED_CRITICAL_PAYLOAD carrying the type. An SK or SKF payload must be the last of the outer chain
 * (its "next payload" names the first inner payload) and never appears inside one.
 *
 * <pre>{@code
 * List<Payload> payloads = PayloadChain.parse(message, 28, message.length - 28, header.nextPayload(), true);
 * byte[] inner = PayloadChain.encode(List.of(idi, auth, sa, tsi, tsr));
 * }</pre>
 */
public final class PayloadChain {
    private PayloadChain() {}

    /**
     * Parses the chain in {@code bytes[offset, offset + length)} whose first payload has type
     * {@code firstType}; {@code outer} allows a final SK or SKF payload.
     */
    public static List<Payload> parse(byte[] bytes, int offset, int length, int firstType, boolean outer)
            throws IkeParseException {
        ByteReader in = new ByteReader(bytes, offset, length);
        List<Payload> payloads = new ArrayList<>();
        int type = firstType;
        while (type != Ike.PAYLOAD_NONE) {
            if (in.remaining() < Ike.GENERIC_HEADER_LENGTH) {
                throw IkeParseException.syntax(Ike.payloadName(type) + " payload announced but only " + in.remaining()
                        + " bytes left");
            }
            int next = in.u8("next payload");
            boolean critical = (in.u8("critical flag") & Ike.CRITICAL_BIT) != 0;
            int payloadLength = in.u16("payload length");
            if (payloadLength < Ike.GENERIC_HEADER_LENGTH) {
                throw IkeParseException.syntax(Ike.payloadName(type) + " payload length " + payloadLength + " < 4");
            }
            if (payloadLength - Ike.GENERIC_HEADER_LENGTH > in.remaining()) {
                throw IkeParseException.syntax(Ike.payloadName(type) + " payload length " + payloadLength
                        + " runs past the message (" + (in.remaining() + Ike.GENERIC_HEADER_LENGTH) + " bytes left)");
            }
            ByteReader body = in.slice(payloadLength - Ike.GENERIC_HEADER_LENGTH, Ike.payloadName(type));
            if (type == Ike.PAYLOAD_SK || type == Ike.PAYLOAD_SKF) {
                if (!outer) {
                    throw IkeParseException.syntax(Ike.payloadName(type) + " payload inside an encrypted payload");
                }
                if (!in.isEmpty()) {
                    throw IkeParseException.syntax(Ike.payloadName(type) + " payload is not the last payload");
                }
                payloads.add(type == Ike.PAYLOAD_SK
                        ? new EncryptedPayload(next, body.position(), body.rest())
                        : EncryptedFragmentPayload.parse(body, next));
                return List.copyOf(payloads);
            }
            Payload payload = parseBody(type, body);
            if (payload != null) {
                payloads.add(payload);
            } else if (critical) {
                throw new IkeParseException(Ike.NOTIFY_UNSUPPORTED_CRITICAL_PAYLOAD, new byte[] {(byte) type},
                        "unknown payload type " + type + " is marked critical");
            }
            type = next;
        }
        in.expectEnd("payload chain");
        return List.copyOf(payloads);
    }

    /** Whether we parse payloads of {@code type} (others are skipped, or rejected when critical). */
    public static boolean isKnown(int type) {
        return switch (type) {
            case Ike.PAYLOAD_SA, Ike.PAYLOAD_KE, Ike.PAYLOAD_IDI, Ike.PAYLOAD_IDR, Ike.PAYLOAD_CERT, Ike.PAYLOAD_CERTREQ,
                    Ike.PAYLOAD_AUTH, Ike.PAYLOAD_NONCE, Ike.PAYLOAD_NOTIFY, Ike.PAYLOAD_DELETE, Ike.PAYLOAD_VENDOR_ID,
                    Ike.PAYLOAD_TSI, Ike.PAYLOAD_TSR, Ike.PAYLOAD_SK, Ike.PAYLOAD_CP, Ike.PAYLOAD_SKF -> true;
            default -> false;
        };
    }

    /** The body of a known payload, fully consumed; null for an unknown type. */
    private static Payload parseBody(int type, ByteReader body) throws IkeParseException {
        Payload payload = switch (type) {
            case Ike.PAYLOAD_SA -> SaPayload.parse(body);
            case Ike.PAYLOAD_KE -> KePayload.parse(body);
            case Ike.PAYLOAD_IDI -> IdPayload.parse(body, true);
            case Ike.PAYLOAD_IDR -> IdPayload.parse(body, false);
            case Ike.PAYLOAD_CERT -> CertPayload.parse(body);
            case Ike.PAYLOAD_CERTREQ -> CertRequestPayload.parse(body);
            case Ike.PAYLOAD_AUTH -> AuthPayload.parse(body);
            case Ike.PAYLOAD_NONCE -> NoncePayload.parse(body);
            case Ike.PAYLOAD_NOTIFY -> NotifyPayload.parse(body);
            case Ike.PAYLOAD_DELETE -> DeletePayload.parse(body);
            case Ike.PAYLOAD_VENDOR_ID -> VendorIdPayload.parse(body);
            case Ike.PAYLOAD_TSI -> TsPayload.parse(body, true);
            case Ike.PAYLOAD_TSR -> TsPayload.parse(body, false);
            case Ike.PAYLOAD_CP -> CpPayload.parse(body);
            default -> null;
        };
        if (payload != null) {
            body.expectEnd(Ike.payloadName(type) + " payload");
        }
        return payload;
    }

    /** Type of the first payload of a chain, or {@link Ike#PAYLOAD_NONE} for none. */
    public static int firstType(List<? extends Payload> payloads) {
        return payloads.isEmpty() ? Ike.PAYLOAD_NONE : payloads.get(0).type();
    }

    /** The chain's bytes: each payload with its generic header, linked in order, the last pointing to none. */
    public static byte[] encode(List<? extends Payload> payloads) {
        ByteWriter out = new ByteWriter(256);
        encode(payloads, out);
        return out.toByteArray();
    }

    /**
     * Appends the chain. An SK or SKF payload must come last; its "next payload" is its first inner type.
     */
    public static void encode(List<? extends Payload> payloads, ByteWriter out) {
        for (int i = 0; i < payloads.size(); i++) {
            Payload payload = payloads.get(i);
            boolean last = i == payloads.size() - 1;
            int next;
            if (payload instanceof EncryptedPayload sk) {
                next = sk.firstInnerType();
            } else if (payload instanceof EncryptedFragmentPayload skf) {
                next = skf.firstInnerType();
            } else {
                next = last ? Ike.PAYLOAD_NONE : payloads.get(i + 1).type();
            }
            if (!last && (payload.type() == Ike.PAYLOAD_SK || payload.type() == Ike.PAYLOAD_SKF)) {
                throw new IllegalArgumentException(Ike.payloadName(payload.type()) + " must be the last payload");
            }
            int start = out.size();
            out.u8(next).u8(0).u16(0);
            payload.encodeBody(out);
            out.putU16At(start + 2, out.size() - start);
        }
    }
}
