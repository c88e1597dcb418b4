package io.steadfast.ike.sa;

import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.payload.Payload;
import java.util.List;

/**
 * One request/response exchange we start (strongSwan calls these tasks): it builds the payloads of the request
 * and judges the response. Framing, encryption, message IDs and retransmission are the {@link IkeSa}'s.
 *
 * <pre>{@code
 * List<Payload> payloads = exchange.request(context);          // IkeSa frames, encrypts, sends, retransmits
 * switch (exchange.response(context, decryptedResponse)) {
 *     case Exchange.Done d -> nextExchange();
 *     case Exchange.Again a -> resendWithSameMessageId();
 *     case Exchange.Fail f -> fail(f.reason());
 * }
 * }</pre>
 */
abstract class Exchange {
    /** What the SA does after a response. */
    sealed interface Step {}

    /** The exchange is complete. */
    record Done() implements Step {}

    /** Send a new request with the same message ID (a COOKIE or INVALID_KE_PAYLOAD retry). */
    record Again() implements Step {}

    /** The IKE SA fails with this reason; {@code tellPeer}: send it a delete (we hold keys it knows). */
    record Fail(String reason, boolean tellPeer) implements Step {}

    /** The exchange type (Ike.EXCHANGE_*). */
    abstract int type();

    /** The payloads of the request (inside SK unless this is IKE_SA_INIT). */
    abstract List<Payload> request(SaContext sa);

    /** Judges the peer's response (decrypted, reassembled). */
    abstract Step response(SaContext sa, IkeMessage response);

    /** What happens when the peer never answered; by default the SA fails. */
    Step timeout(SaContext sa, String waited) {
        return new Fail("no answer from " + sa.remote + " to " + name() + " after " + waited
                + " (peer dead or unreachable)", false);
    }

    /** Name for log lines. */
    String name() {
        return io.steadfast.ike.Ike.exchangeName(type());
    }
}
