package io.steadfast.handlers.failover;

/**
 * One gateway the client can send through, as the failover controller sees it.
 *
 * @param name        for logs, counters and commands
 * @param outboundSa  the name of the outbound SA that reaches it ({@code esp-encrypt use NAME})
 * @param inboundSa   the name of the inbound SA its packets arrive on (liveness)
 * @param probeSource the address probes through it come from: the care-of V it gave us (big-endian IPv4)
 */
public record Gateway(String name, String outboundSa, String inboundSa, int probeSource) {}
