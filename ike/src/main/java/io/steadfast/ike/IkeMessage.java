package io.steadfast.ike;

import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A decoded IKE message: its header and payloads. After {@link IkeMessageDecoder#decrypt} the payloads
 * are the cleartext ones (if any) followed by those from inside the SK payload, and {@code encrypted} is
 * true; after {@link IkeMessageDecoder#decode} an SK or SKF payload is still sealed.
 *
 * <pre>{@code
 * IkeMessage response = IkeMessageDecoder.decode(datagram);
 * Optional<NotifyPayload> retry = response.notify(Ike.NOTIFY_INVALID_KE_PAYLOAD);
 * SaPayload sa = response.first(SaPayload.class).orElseThrow();
 * }</pre>
 */
public record IkeMessage(IkeHeader header, List<Payload> payloads, boolean encrypted) {
    /** Copies the list. */
    public IkeMessage {
        payloads = List.copyOf(payloads);
    }

    /** The first payload of a class, e.g. {@code SaPayload.class}. */
    public <T extends Payload> Optional<T> first(Class<T> type) {
        return payloads.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** Every payload of a class, in order. */
    public <T extends Payload> List<T> all(Class<T> type) {
        return payloads.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The first notify of a type. */
    public Optional<NotifyPayload> notify(int notifyType) {
        return all(NotifyPayload.class).stream().filter(n -> n.notifyType() == notifyType).findFirst();
    }

    /** Every notify of a type (e.g. several NAT_DETECTION_SOURCE_IP). */
    public List<NotifyPayload> notifies(int notifyType) {
        return all(NotifyPayload.class).stream().filter(n -> n.notifyType() == notifyType).toList();
    }

    /** The error notifies (types below 16384). */
    public List<NotifyPayload> errors() {
        return all(NotifyPayload.class).stream().filter(NotifyPayload::isError).toList();
    }

    /** Like strongSwan's log: {@code IKE_SA_INIT request 0 [ SA KE No N(NAT_DETECTION_SOURCE_IP) ]}. */
    @Override
    public String toString() {
        return Ike.exchangeName(header.exchangeType()) + " " + (header.isResponse() ? "response" : "request") + " "
                + Integer.toUnsignedString(header.messageId()) + (encrypted ? " (encrypted)" : "") + " [ "
                + payloads.stream().map(IkeMessage::shortName).collect(Collectors.joining(" ")) + " ]";
    }

    private static String shortName(Payload p) {
        return switch (p) {
            case NotifyPayload n -> "N(" + Ike.notifyName(n.notifyType()) + ")";
            default -> p.toString().replaceAll("[\\[(].*", "");
        };
    }
}
