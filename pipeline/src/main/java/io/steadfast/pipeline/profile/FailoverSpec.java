package io.steadfast.pipeline.profile;

import io.steadfast.handlers.failover.FailoverSettings;
import java.util.List;

/**
 * The failover part of a client profile ({@code steadfast.failover}).
 *
 * @param probeTarget  P, the address probes go to (big-endian IPv4); 0: no failover configured
 * @param settings     probe interval, F or A, hold-down, retry backoff
 * @param gateways     in order of preference
 */
public record FailoverSpec(int probeTarget, FailoverSettings settings, List<GatewaySpec> gateways) {

    /** No failover configured. */
    public static final FailoverSpec NONE = new FailoverSpec(0, FailoverSettings.defaults(), List.of());

    public boolean configured() {
        return probeTarget != 0 && !gateways.isEmpty();
    }

    /**
     * A gateway of the failover list, by the static SAs that reach it.
     *
     * @param name        for logs and commands
     * @param outboundSa  the outbound SA to it
     * @param inboundSa   the inbound SA from it
     * @param careOf      V through it: the outbound SA's care-of (0 if none; probes then come from the TUN's address)
     */
    public record GatewaySpec(String name, String outboundSa, String inboundSa, int careOf) {}
}
