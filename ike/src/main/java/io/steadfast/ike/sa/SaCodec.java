package io.steadfast.ike.sa;

import io.steadfast.ike.FragmentReassembler;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageBuilder;
import io.steadfast.ike.IkeMessageDecoder;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.payload.EncryptedFragmentPayload;
import io.steadfast.ike.payload.Payload;
import java.util.List;

/**
 * The protection of one IKE SA's messages after IKE_SA_INIT: sealing into SK, or into SKF fragments when a message
 * is longer than the fragment size and both sides support RFC 7383; opening SK, and reassembling SKF fragments.
 * Anything that does not verify or parse is a counted drop, never an exception.
 *
 * <pre>{@code
 * List<byte[]> messages = SaCodec.protect(context, builder);          // one SK message or several SKF fragments
 * IkeMessage request = SaCodec.open(context, message, now, counters); // null: dropped, or more fragments to come
 * }</pre>
 */
final class SaCodec {
    private SaCodec() {}

    /** Verifies and decrypts an SK message, or reassembles SKF fragments; null (counted) when there is none yet. */
    static IkeMessage open(SaContext c, byte[] message, long now, IkeCounters counters) {
        try {
            IkeMessage outer = IkeMessageDecoder.decode(message);
            List<Payload> payloads = outer.payloads();
            if (!payloads.isEmpty() && payloads.get(payloads.size() - 1) instanceof EncryptedFragmentPayload) {
                IkeMessageDecoder.Fragment fragment = IkeMessageDecoder.openFragment(message, c.inCipher);
                return switch (c.windows.reassembler.offer(fragment, now)) {
                    case FragmentReassembler.Complete done ->
                            IkeMessageDecoder.assemble(done.header(), done.firstInnerType(), done.plaintext());
                    case FragmentReassembler.Incomplete i -> null;
                    case FragmentReassembler.Discarded d -> {
                        counters.drop(Drop.FRAGMENT);
                        yield null;
                    }
                };
            }
            IkeMessage opened = IkeMessageDecoder.decrypt(message, c.inCipher);
            if (!opened.encrypted()) {
                counters.drop(Drop.UNPROTECTED);
                return null;
            }
            return opened;
        } catch (IkeParseException e) {
            counters.drop(e.shouldAnswer() ? Drop.MALFORMED : Drop.BAD_ICV);
            return null;
        }
    }

    /** Whether a message is an SKF fragment other than number 1 (or does not even parse). */
    static boolean isLaterFragment(byte[] message) {
        try {
            IkeMessage outer = IkeMessageDecoder.decode(message);
            return !outer.payloads().isEmpty() && outer.payloads().get(outer.payloads().size() - 1)
                    instanceof EncryptedFragmentPayload f && f.fragmentNumber() != 1;
        } catch (IkeParseException e) {
            return true;
        }
    }

    /** The message inside SK, or as SKF fragments when it is too long and both sides speak RFC 7383. */
    static List<byte[]> protect(SaContext c, IkeMessageBuilder builder) {
        byte[] whole = builder.encrypt(c.outCipher);
        int limit = c.fragmentSize - (c.natt ? Ike.NON_ESP_MARKER_LENGTH : 0);
        if (c.fragmentation && whole.length > limit) {
            return builder.encryptFragments(c.outCipher, limit);
        }
        return List.of(whole);
    }
}
