package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.payload.DeletePayload;
import io.steadfast.ike.payload.Payload;
import java.util.List;

/**
 * INFORMATIONAL with D(IKE) when our side closes (RFC 7296 1.4.1): the peer deletes the IKE SA and its Child SAs.
 * Any response, or none after the retransmissions, ends the SA (a dead peer cannot hold it open).
 *
 * <pre>{@code
 * queue.add(new DeleteExchange());   // IkeSa.close()
 * }</pre>
 */
final class DeleteExchange extends Exchange {
    @Override
    int type() {
        return Ike.EXCHANGE_INFORMATIONAL;
    }

    @Override
    List<Payload> request(SaContext sa) {
        return List.of(DeletePayload.ikeSa());
    }

    @Override
    Step response(SaContext sa, IkeMessage response) {
        return new Done();
    }

    @Override
    Step timeout(SaContext sa, String waited) {
        return new Done();
    }

    @Override
    String name() {
        return "INFORMATIONAL delete";
    }
}
