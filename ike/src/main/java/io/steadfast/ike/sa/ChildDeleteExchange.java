package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.payload.DeletePayload;
import io.steadfast.ike.payload.Payload;
import java.util.List;

/**
 * INFORMATIONAL with D(ESP) for one of our Child SAs (RFC 7296 1.4.1): after a rekey, the replaced SA. The peer
 * answers with the SPI of its half; either way the Child SA is gone ({@link IkeEvent.ChildSaDown}).
 *
 * <pre>{@code
 * sa.followUps.add(new ChildDeleteExchange(oldChild));
 * }</pre>
 */
final class ChildDeleteExchange extends Exchange {
    private final ChildSa child;

    ChildDeleteExchange(ChildSa child) {
        this.child = child;
    }

    @Override
    int type() {
        return Ike.EXCHANGE_INFORMATIONAL;
    }

    @Override
    String name() {
        return "delete of " + String.format("CHILD_SA %08x", child.inboundSpi());
    }

    @Override
    List<Payload> request(SaContext sa) {
        return List.of(DeletePayload.esp(child.inboundSpi()));
    }

    @Override
    Step response(SaContext sa, IkeMessage response) {
        if (sa.children.remove(child)) sa.events.add(new IkeEvent.ChildSaDown(sa.owner, child, false));
        return new Done();
    }
}
