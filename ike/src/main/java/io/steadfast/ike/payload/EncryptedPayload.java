package io.steadfast.ike.payload;

import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;

/**
 * Encrypted and authenticated payload, SK (RFC 7296 3.14), as parsed from a message and not yet opened:
 * the type of the first inner payload (the SK's "next payload" field), where its body (IV, ciphertext,
 * ICV) starts in the message, and the body. {@code IkeMessageDecoder} verifies and decrypts it; the
 * builder writes SK payloads itself, sealing in place.
 *
 * <pre>{@code
 * if (payload instanceof EncryptedPayload sk) inner = IkeMessageDecoder.open(message, sk, inboundCipher);
 * }</pre>
 */
public record EncryptedPayload(int firstInnerType, int bodyOffset, byte[] sealed) implements Payload {
    @Override
    public int type() {
        return Ike.PAYLOAD_SK;
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.bytes(sealed);
    }

    @Override
    public String toString() {
        return "SK(" + Ike.payloadName(firstInnerType) + ".., " + sealed.length + " bytes)";
    }
}
