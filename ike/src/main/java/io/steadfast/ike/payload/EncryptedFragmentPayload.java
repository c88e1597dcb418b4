package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;

/**
 * Encrypted fragment payload, SKF (RFC 7383 2.5), not yet opened: the first inner payload type (only in
 * fragment 1, else 0), fragment number and total (1-based, unchecked here: the reassembler discards
 * invalid ones), where the sealed body starts in the message, and the body (IV, ciphertext, ICV).
 *
 * <pre>{@code
 * if (payload instanceof EncryptedFragmentPayload skf) reassembler.offer(messageId, skf.fragmentNumber(), ...);
 * }</pre>
 */
public record EncryptedFragmentPayload(int firstInnerType, int fragmentNumber, int totalFragments, int bodyOffset,
        byte[] sealed) implements Payload {
    /** Bytes of fragment number and total before the sealed body. */
    public static final int FRAGMENT_HEADER_LENGTH = 4;

    @Override
    public int type() {
        return Ike.PAYLOAD_SKF;
    }

    /** Parses the body after the generic header at {@code body}'s position. */
    static EncryptedFragmentPayload parse(ByteReader body, int firstInnerType) throws IkeParseException {
        int number = body.u16("fragment number");
        int total = body.u16("total fragments");
        int offset = body.position();
        return new EncryptedFragmentPayload(firstInnerType, number, total, offset, body.rest());
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.u16(fragmentNumber).u16(totalFragments).bytes(sealed);
    }

    @Override
    public String toString() {
        return "SKF(" + fragmentNumber + "/" + totalFragments + ", " + sealed.length + " bytes)";
    }
}
