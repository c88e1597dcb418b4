package io.steadfast.pipeline.stages;

/** Something a stage needs from its profile; the profile is refused when it lacks it. */
public enum Need {
    /** The UDP socket (ESP in UDP 4500); opened when any stage needs it. */
    UDP_SOCKET("the UDP socket"),
    /** At least one outbound SA in steadfast.esp.security-associations. */
    OUTBOUND_SA("at least one outbound SA (direction = out) in steadfast.esp.security-associations"),
    /** At least one inbound SA in steadfast.esp.security-associations. */
    INBOUND_SA("at least one inbound SA (direction = in) in steadfast.esp.security-associations"),
    /** The client side of the relay: steadfast.relay with address, client-id and key-file. */
    RELAY_CLIENT("steadfast.relay { address, client-id, key-file } (a client's relay settings)"),
    /** The relay itself: steadfast.relay with address, serves and key-file, in a relay profile. */
    RELAY_SERVER("steadfast.relay { address, serves, key-file } in a relay profile"),
    /** Failover between gateways: steadfast.failover with a probe target and gateways. */
    FAILOVER("steadfast.failover { probe-target, gateways = [...] }"),
    /** IKEv2 gateways to negotiate SAs with. */
    IKE("steadfast.ike { gateways = [{ name, address, local-id, psk-file }] }"),
    /** Our IKEv2 responder (gateway profiles). */
    IKE_RESPONDER("steadfast.ike.responder { local-id, psk-file (or certificate, private-key, ca), pool }");

    private final String description;

    Need(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
