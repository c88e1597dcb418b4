package io.steadfast.ike.sa;

import io.steadfast.ike.payload.Payload;
import java.util.List;

/**
 * Our response to a peer's request: its payloads, the state the IKE SA moves to once it is sent, why it fails.
 *
 * <pre>{@code
 * return Answer.then(List.of(), IkeSa.State.CLOSED);      // after the peer's D(IKE)
 * }</pre>
 */
record Answer(List<Payload> payloads, IkeSa.State next, String failure) {
    Answer {
        payloads = List.copyOf(payloads);
    }

    /** A response that leaves the state alone. */
    static Answer stay(List<Payload> payloads) {
        return new Answer(payloads, null, null);
    }

    /** A response after which the SA moves to {@code next}. */
    static Answer then(List<Payload> payloads, IkeSa.State next) {
        return new Answer(payloads, next, null);
    }

    /** A response after which the SA fails for {@code reason}. */
    static Answer failing(List<Payload> payloads, String reason) {
        return new Answer(payloads, IkeSa.State.CLOSED, reason);
    }
}
