package io.steadfast.ike;

import io.steadfast.ike.crypto.SkCipher;
import io.steadfast.ike.payload.EncryptedFragmentPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.PayloadChain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds complete IKE messages: the header with the right next payload and length, and the payload chain,
 * in clear ({@link #encode()}, IKE_SA_INIT), inside one SK payload ({@link #encrypt}), or split into SKF
 * fragments ({@link #encryptFragments}, RFC 7383). The bytes are what goes into the UDP datagram, without
 * the non-ESP marker of port 4500.
 *
 * <pre>{@code
 * byte[] init = IkeMessageBuilder.request(Ike.EXCHANGE_IKE_SA_INIT, spiI, 0, 0, true)
 *         .add(sa).add(ke).add(nonce).add(natSource).add(natDestination).encode();
 * byte[] auth = IkeMessageBuilder.request(Ike.EXCHANGE_IKE_AUTH, spiI, spiR, 1, true)
 *         .add(idi).add(authPayload).add(cp).add(childSa).add(tsi).add(tsr).encrypt(keys.cipher(true, random));
 * }</pre>
 */
public final class IkeMessageBuilder {
    private final IkeHeader header;
    private final List<Payload> payloads = new ArrayList<>();

    private IkeMessageBuilder(IkeHeader header) {
        this.header = header;
    }

    /** A request; {@code fromInitiator} sets the Initiator flag (we are the original initiator). */
    public static IkeMessageBuilder request(int exchangeType, long spiI, long spiR, int messageId, boolean fromInitiator) {
        return new IkeMessageBuilder(IkeHeader.of(spiI, spiR, exchangeType, fromInitiator ? Ike.FLAG_INITIATOR : 0, messageId));
    }

    /** A response; {@code fromInitiator} sets the Initiator flag. */
    public static IkeMessageBuilder response(int exchangeType, long spiI, long spiR, int messageId, boolean fromInitiator) {
        return new IkeMessageBuilder(IkeHeader.of(spiI, spiR, exchangeType,
                Ike.FLAG_RESPONSE | (fromInitiator ? Ike.FLAG_INITIATOR : 0), messageId));
    }

    /** Appends a payload. */
    public IkeMessageBuilder add(Payload payload) {
        if (payload.type() == Ike.PAYLOAD_SK || payload.type() == Ike.PAYLOAD_SKF) {
            throw new IllegalArgumentException("the builder writes SK and SKF payloads itself");
        }
        payloads.add(payload);
        return this;
    }

    /** Appends payloads. */
    public IkeMessageBuilder addAll(List<? extends Payload> more) {
        more.forEach(this::add);
        return this;
    }

    /** The header the message will carry (next payload and length still placeholders). */
    public IkeHeader header() {
        return header;
    }

    /** The message with every payload in clear. */
    public byte[] encode() {
        byte[] chain = PayloadChain.encode(payloads);
        int length = Ike.HEADER_LENGTH + chain.length;
        ByteWriter out = new ByteWriter(length);
        header.with(PayloadChain.firstType(payloads), length).encode(out);
        out.bytes(chain);
        return out.toByteArray();
    }

    /** The message with every payload inside one SK payload sealed by {@code cipher}. */
    public byte[] encrypt(SkCipher cipher) {
        byte[] inner = PayloadChain.encode(payloads);
        try {
            int bodyOffset = Ike.HEADER_LENGTH + Ike.GENERIC_HEADER_LENGTH;
            byte[] message = new byte[bodyOffset + cipher.sealedLength(inner.length)];
            writeHeaders(message, Ike.PAYLOAD_SK, PayloadChain.firstType(payloads), message.length - Ike.HEADER_LENGTH);
            cipher.seal(message, bodyOffset, inner);
            return message;
        } finally {
            Arrays.fill(inner, (byte) 0);
        }
    }

    /**
     * The message as SKF fragments of at most {@code maxMessageLength} bytes each (RFC 7383 2.5), each
     * sealed on its own; a message that fits in one fragment still goes as one SKF (1 of 1).
     */
    public List<byte[]> encryptFragments(SkCipher cipher, int maxMessageLength) {
        int overhead = Ike.HEADER_LENGTH + Ike.GENERIC_HEADER_LENGTH + EncryptedFragmentPayload.FRAGMENT_HEADER_LENGTH
                + cipher.ivLength() + cipher.icvLength();
        int paddedMax = (maxMessageLength - overhead) / cipher.blockSize() * cipher.blockSize();
        int chunk = paddedMax - 1;
        if (chunk < 1) {
            throw new IllegalArgumentException("fragments of " + maxMessageLength + " bytes leave no room for data");
        }
        byte[] inner = PayloadChain.encode(payloads);
        try {
            int total = Math.max(1, (inner.length + chunk - 1) / chunk);
            if (total > 0xFFFF) {
                throw new IllegalArgumentException("too many fragments: " + total);
            }
            List<byte[]> fragments = new ArrayList<>(total);
            for (int number = 1; number <= total; number++) {
                int from = (number - 1) * chunk;
                byte[] part = Arrays.copyOfRange(inner, from, Math.min(inner.length, from + chunk));
                int bodyOffset = Ike.HEADER_LENGTH + Ike.GENERIC_HEADER_LENGTH + EncryptedFragmentPayload.FRAGMENT_HEADER_LENGTH;
                byte[] message = new byte[bodyOffset + cipher.sealedLength(part.length)];
                writeHeaders(message, Ike.PAYLOAD_SKF, number == 1 ? PayloadChain.firstType(payloads) : Ike.PAYLOAD_NONE,
                        message.length - Ike.HEADER_LENGTH);
                int at = Ike.HEADER_LENGTH + Ike.GENERIC_HEADER_LENGTH;
                message[at] = (byte) (number >>> 8);
                message[at + 1] = (byte) number;
                message[at + 2] = (byte) (total >>> 8);
                message[at + 3] = (byte) total;
                cipher.seal(message, bodyOffset, part);
                Arrays.fill(part, (byte) 0);
                fragments.add(message);
            }
            return fragments;
        } finally {
            Arrays.fill(inner, (byte) 0);
        }
    }

    /** Writes the IKE header and the generic header of the final SK/SKF payload into {@code message}. */
    private void writeHeaders(byte[] message, int skType, int firstInner, int skPayloadLength) {
        byte[] head = header.with(skType, message.length).toBytes();
        System.arraycopy(head, 0, message, 0, Ike.HEADER_LENGTH);
        if (skPayloadLength > 0xFFFF) {
            throw new IllegalArgumentException("encrypted payload of " + skPayloadLength + " bytes is too long");
        }
        message[Ike.HEADER_LENGTH] = (byte) firstInner;
        message[Ike.HEADER_LENGTH + 1] = 0;
        message[Ike.HEADER_LENGTH + 2] = (byte) (skPayloadLength >>> 8);
        message[Ike.HEADER_LENGTH + 3] = (byte) skPayloadLength;
    }
}
