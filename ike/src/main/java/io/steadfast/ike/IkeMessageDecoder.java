package io.steadfast.ike;

import io.steadfast.ike.crypto.SkCipher;
import io.steadfast.ike.payload.EncryptedFragmentPayload;
import io.steadfast.ike.payload.EncryptedPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.PayloadChain;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes IKE messages (without the non-ESP marker): checks the header and walks the payload chain
 * ({@link #decode}), verifies and decrypts an SK payload ({@link #decrypt}) or an SKF fragment
 * ({@link #openFragment}), and parses reassembled fragments ({@link #assemble}). Bad input fails with
 * {@link IkeParseException} only; an ICV that does not verify is {@link IkeParseException#SILENT_DROP}.
 *
 * <pre>{@code
 * IkeMessage init = IkeMessageDecoder.decode(datagram);                     // IKE_SA_INIT, in clear
 * IkeMessage auth = IkeMessageDecoder.decrypt(datagram, keys.cipher(false, random));
 * }</pre>
 */
public final class IkeMessageDecoder {
    private IkeMessageDecoder() {}

    /** One opened SKF fragment (RFC 7383): its numbers, the first inner type (fragment 1) and plaintext. */
    public record Fragment(IkeHeader header, int number, int total, int firstInnerType, byte[] plaintext) {}

    /** Header and outer payloads; an SK or SKF payload stays sealed. */
    public static IkeMessage decode(byte[] message) throws IkeParseException {
        IkeHeader header = IkeHeader.parse(message);
        List<Payload> payloads = PayloadChain.parse(message, Ike.HEADER_LENGTH, message.length - Ike.HEADER_LENGTH,
                header.nextPayload(), true);
        return new IkeMessage(header, payloads, false);
    }

    /**
     * Decodes and, when the message ends with an SK payload, verifies and decrypts it: the result holds the
     * cleartext payloads then the inner ones, marked encrypted. A message without SK comes back as
     * {@link #decode} gives it (not encrypted); an SKF fragment must go through {@link #openFragment}.
     */
    public static IkeMessage decrypt(byte[] message, SkCipher cipher) throws IkeParseException {
        IkeMessage outer = decode(message);
        List<Payload> payloads = outer.payloads();
        if (payloads.isEmpty() || !(payloads.get(payloads.size() - 1) instanceof EncryptedPayload sk)) {
            if (!payloads.isEmpty() && payloads.get(payloads.size() - 1) instanceof EncryptedFragmentPayload) {
                throw IkeParseException.syntax("a fragment (SKF) goes through openFragment and reassembly");
            }
            return outer;
        }
        byte[] inner = cipher.open(message, sk.bodyOffset(), sk.sealed().length);
        List<Payload> all = new ArrayList<>(payloads.subList(0, payloads.size() - 1));
        all.addAll(PayloadChain.parse(inner, 0, inner.length, sk.firstInnerType(), false));
        return new IkeMessage(outer.header(), all, true);
    }

    /** Decodes a message that must consist of one SKF payload, verifies and decrypts the fragment. */
    public static Fragment openFragment(byte[] message, SkCipher cipher) throws IkeParseException {
        IkeMessage outer = decode(message);
        if (outer.payloads().size() != 1 || !(outer.payloads().get(0) instanceof EncryptedFragmentPayload skf)) {
            throw IkeParseException.syntax("not a fragment message: " + outer);
        }
        byte[] plaintext = cipher.open(message, skf.bodyOffset(), skf.sealed().length);
        return new Fragment(outer.header(), skf.fragmentNumber(), skf.totalFragments(), skf.firstInnerType(), plaintext);
    }

    /** The message of reassembled fragments: the inner payload chain under the fragments' header. */
    public static IkeMessage assemble(IkeHeader header, int firstInnerType, byte[] inner) throws IkeParseException {
        return new IkeMessage(header, PayloadChain.parse(inner, 0, inner.length, firstInnerType, false), true);
    }
}
