package io.steadfast.pipeline.stages;

import io.netty.channel.Channel;
import io.steadfast.handlers.esp.EspDecryptHandler.InboundSa;
import io.steadfast.handlers.esp.OutboundSa;
import java.util.List;

/** What a stage may ask of the running profile when its handler is made. */
public interface StageEnvironment {

    /** The TUN channel of this profile (stages such as {@code tun-write} send to it). */
    Channel tun();

    /** The name of the pipeline the handler is placed in. */
    String pipeline();

    /** The UDP socket for ESP in UDP (only for stages that declare {@link Need#UDP_SOCKET}). */
    /** True if the instance has a UDP socket. */
    default boolean hasUdp() {
        return false;
    }

    default Channel udp() {
        throw new IllegalStateException("this environment has no UDP socket");
    }

    /** Fresh encryptors for the profile's outbound SAs (for {@link Need#OUTBOUND_SA}). */
    default List<OutboundSa> outboundSas() {
        return List.of();
    }

    /** The client's relay logic, one per profile, shared by its relay stages (for {@link Need#RELAY_CLIENT}). */
    default io.steadfast.relay.RelayClient relayClient() {
        throw new IllegalStateException("this environment has no relay client");
    }

    /** The relay's logic (for {@link Need#RELAY_SERVER}). */
    /** The one failover controller of the instance, shared by the failover stages of every pipeline. */
    default io.steadfast.handlers.failover.FailoverController failover() {
        throw new IllegalStateException("this environment has no failover controller");
    }

    /** The gateways the {@code ike} stage negotiates SAs with. */
    default java.util.List<io.steadfast.handlers.ike.IkeGateway> ikeGateways() {
        throw new IllegalStateException("this environment has no IKE gateways");
    }

    /** The gateway's IKEv2 responder (one per instance). */
    default io.steadfast.ike.sa.IkeResponder ikeResponder() {
        throw new IllegalStateException("this environment has no IKE responder");
    }

    /** P, where failover probes go (big-endian IPv4). */
    default int probeTarget() {
        throw new IllegalStateException("this environment has no failover probe target");
    }

    default io.steadfast.relay.RelayServer relayServer() {
        throw new IllegalStateException("this environment has no relay server");
    }

    /** Fresh decryptors for the profile's inbound SAs (for {@link Need#INBOUND_SA}). */
    default List<InboundSa> inboundSas() {
        return List.of();
    }
}
