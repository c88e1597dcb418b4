package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.payload.DeletePayload;
import io.steadfast.ike.payload.Payload;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers the peer's INFORMATIONAL requests (RFC 7296 1.4, 2.4) with its own message-ID counter: an empty one is
 * a liveness check (empty answer); D(IKE) deletes the IKE SA with its Child SAs; D(ESP) deletes the Child SAs whose
 * outbound SPI it names, and our answer names the inbound SPIs we drop in turn. Notifies are acknowledged.
 *
 * <pre>{@code
 * Answer answer = InformationalResponder.answer(context, decryptedRequest); // next == CLOSED after D(IKE)
 * }</pre>
 */
final class InformationalResponder {
    private InformationalResponder() {}

    /** Our answer to the peer's INFORMATIONAL request, and the IKE SA's next state (CLOSED after D(IKE)). */
    static Answer answer(SaContext sa, IkeMessage request) {
        List<DeletePayload> deletes = request.all(DeletePayload.class);
        if (deletes.stream().anyMatch(d -> d.protocolId() == Ike.PROTOCOL_IKE)) {
            IkeSa.log(sa.remote + " deleted the IKE SA " + sa.owner.name());
            return Answer.then(List.of(), IkeSa.State.CLOSED);
        }
        List<Integer> ours = new ArrayList<>();
        for (DeletePayload delete : deletes) {
            if (delete.protocolId() != Ike.PROTOCOL_ESP) continue;
            for (int spi : delete.spis()) {
                sa.children.stream().filter(c -> c.outboundSpi() == spi).findFirst().ifPresent(child -> {
                    sa.children.remove(child);
                    ours.add(child.inboundSpi());
                    sa.events.add(new IkeEvent.ChildSaDown(sa.owner, child, true));
                });
            }
        }
        List<Payload> payloads = ours.isEmpty() ? List.of()
                : List.of(DeletePayload.esp(ours.stream().mapToInt(Integer::intValue).toArray()));
        return Answer.stay(payloads);
    }
}
