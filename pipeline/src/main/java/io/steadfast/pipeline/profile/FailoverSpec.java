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
     * @param outboundSa  the outbound SA to it (an IKE gateway's: the gateway's name)
     * @param inboundSa   the inbound SA from it (an IKE gateway's: {@code NAME.in-*}, any of its SAs)
     * @param careOf      V through it: the outbound SA's care-of, else the TUN's address; 0 for an IKE gateway,
     *                    whose V is the virtual IP it assigns
     */
    public record GatewaySpec(String name, String outboundSa, String inboundSa, int careOf) {}
}
