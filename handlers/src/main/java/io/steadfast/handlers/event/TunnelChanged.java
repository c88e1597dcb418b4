package io.steadfast.handlers.event;

/**
 * A user event: the tunnel's address (the care-of address V) is now {@code careOf}. Fired down the client's
 * outbound pipeline after a switch of gateway (the failover controller, or by hand through the control
 * socket); {@code relay-client} answers it with a binding update.
 *
 * @param careOf the new V, big-endian IPv4
 */
public record TunnelChanged(int careOf) {}
