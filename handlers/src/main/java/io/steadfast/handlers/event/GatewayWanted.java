package io.steadfast.handlers.event;

/**
 * A user event: the traffic is to go through gateway {@code name}, whose SA may not exist yet. Fired on the
 * UDP pipeline by {@code failover-controller}; the {@code ike} stage in cold standby answers it by starting
 * IKE with that gateway.
 *
 * @param name the gateway's name (that of its outbound SA)
 */
public record GatewayWanted(String name) {}
