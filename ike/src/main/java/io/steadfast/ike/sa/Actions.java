package io.steadfast.ike.sa;

import java.util.ArrayList;
import java.util.List;

/**
 * What the caller must do after feeding an IKE SA or the responder: send {@code datagrams} (in order) and
 * handle {@code events}. Empty when the input was dropped.
 *
 * <pre>{@code
 * Actions a = sa.receive(source, payload, ticker.nanos());
 * a.datagrams().forEach(d -> send(d));
 * a.events().forEach(e -> { if (e instanceof IkeEvent.ChildSaUp up) install(up.child()); });
 * }</pre>
 */
public record Actions(List<Datagram> datagrams, List<IkeEvent> events) {
    /** Nothing to do. */
    public static final Actions NONE = new Actions(List.of(), List.of());

    /** Copies both lists. */
    public Actions {
        datagrams = List.copyOf(datagrams);
        events = List.copyOf(events);
    }

    /** Whether there is nothing to send and nothing happened. */
    public boolean isEmpty() {
        return datagrams.isEmpty() && events.isEmpty();
    }

    /** Both lists of this and then {@code other}. */
    public Actions and(Actions other) {
        if (other.isEmpty()) return this;
        if (isEmpty()) return other;
        List<Datagram> d = new ArrayList<>(datagrams);
        d.addAll(other.datagrams);
        List<IkeEvent> e = new ArrayList<>(events);
        e.addAll(other.events);
        return new Actions(d, e);
    }

    /** The events of a type, e.g. {@code IkeEvent.ChildSaUp.class}. */
    public <T extends IkeEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
