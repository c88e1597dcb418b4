package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.payload.Payload;
import java.util.List;

/**
 * Our liveness check (RFC 7296 2.4, strongSwan's DPD): an empty INFORMATIONAL request. The answer is an
 * {@link IkeEvent.Alive}; no answer after the retransmissions fails the IKE SA as dead.
 *
 * <pre>{@code
 * queue.add(new LivenessExchange());   // IkeSa.checkLiveness()
 * }</pre>
 */
final class LivenessExchange extends Exchange {
    @Override
    int type() {
        return Ike.EXCHANGE_INFORMATIONAL;
    }

    @Override
    List<Payload> request(SaContext sa) {
        return List.of();
    }

    @Override
    Step response(SaContext sa, IkeMessage response) {
        sa.events.add(new IkeEvent.Alive(sa.owner));
        return new Done();
    }

    @Override
    String name() {
        return "liveness check";
    }
}
