package io.steadfast.relay;

/**
 * What the relay knows of one client: its id, the one stable address S it may claim, and the key it
 * shares with the relay (from the key files, read elsewhere). The key is copied; never printed.
 *
 * <pre>{@code
 * RelayClientConfig alice = new RelayClientConfig(7, Ipv4.parse("10.1.0.7"), keyBytes);
 * }</pre>
 *
 * @param clientId      the client id carried in its binding messages
 * @param stableAddress S
 * @param key           the HMAC-SHA-256 key, at least 16 bytes (32 recommended)
 */
public record RelayClientConfig(int clientId, int stableAddress, byte[] key) {
    /** Checks and copies the key. */
    public RelayClientConfig {
        if (key == null || key.length < Relay.MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("client " + Integer.toUnsignedString(clientId) + " needs a key of at least "
                    + Relay.MIN_KEY_LENGTH + " bytes");
        }
        key = key.clone();
    }

    /** The key; the caller must not change it. */
    @Override
    public byte[] key() {
        return key;
    }

    @Override
    public String toString() {
        return "RelayClientConfig[client " + Integer.toUnsignedString(clientId) + ", S " + Ipv4.format(stableAddress)
                + ", key " + key.length + " bytes]";
    }
}
