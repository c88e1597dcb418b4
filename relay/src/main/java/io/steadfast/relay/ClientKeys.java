package io.steadfast.relay;

import java.util.Collection;

/**
 * The relay's lookup of clients by id: key and allowed S. Called once per binding update, before any
 * MAC work, on the relay's thread.
 *
 * <pre>{@code
 * ClientKeys keys = ClientKeys.of(List.of(new RelayClientConfig(7, stable, key)));
 * RelayClientConfig client = keys.find(7); // null for an unknown id
 * }</pre>
 */
@FunctionalInterface
public interface ClientKeys {
    /** The client with this id, or null if there is none. */
    RelayClientConfig find(int clientId);

    /** A fixed set of clients. IllegalArgumentException if two share an id or an S. */
    static ClientKeys of(Collection<RelayClientConfig> clients) {
        IntMap<RelayClientConfig> byId = new IntMap<>(clients.size());
        IntMap<RelayClientConfig> byStable = new IntMap<>(clients.size());
        for (RelayClientConfig client : clients) {
            if (byId.put(client.clientId(), client) != null) {
                throw new IllegalArgumentException("two clients have id " + Integer.toUnsignedString(client.clientId()));
            }
            RelayClientConfig other = byStable.put(client.stableAddress(), client);
            if (other != null) {
                throw new IllegalArgumentException("clients " + Integer.toUnsignedString(other.clientId()) + " and "
                        + Integer.toUnsignedString(client.clientId()) + " share " + Ipv4.format(client.stableAddress()));
            }
        }
        return byId::get;
    }
}
