package io.steadfast.handlers.esp;

import io.steadfast.esp.EspEncryptor;
import java.net.InetSocketAddress;

/**
 * An outbound SA with where its packets go: inner packets whose IPv4 destination lies in the traffic
 * selector {@code selectorAddress/selectorLength} are sealed with {@code encryptor} and sent to {@code peer}.
 *
 * @param name             for counters and logs
 * @param encryptor        seals with the SA's keys
 * @param peer             the remote end of the ESP-in-UDP tunnel
 * @param selectorAddress  network bits of the remote traffic selector (big-endian IPv4)
 * @param selectorLength   its prefix length; 0 matches everything, IPv6 included
 * @param careOf           the client's tunnel address V through this SA's gateway (big-endian IPv4), 0 if none:
 *                         switching to this SA announces it as a {@code TunnelChanged}
 */
public record OutboundSa(String name, EspEncryptor encryptor, InetSocketAddress peer, int selectorAddress, int selectorLength,
                         int careOf) {

    /** An SA without a care-of address (gateways, clients without a relay). */
    public OutboundSa(String name, EspEncryptor encryptor, InetSocketAddress peer, int selectorAddress, int selectorLength) {
        this(name, encryptor, peer, selectorAddress, selectorLength, 0);
    }

    /** True if the IPv4 destination lies inside this SA's traffic selector. */
    public boolean covers(int destination) {
        if (selectorLength == 0) return true;
        int mask = -1 << (32 - selectorLength);
        return (destination & mask) == (selectorAddress & mask);
    }
}
