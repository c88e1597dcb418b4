package io.steadfast.pipeline.profile;

import io.steadfast.pipeline.config.Ipv4Prefix;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The IKEv2 part of a client profile ({@code steadfast.ike}): the gateways to negotiate SAs with.
 *
 * @param gateways  client profiles: in order of preference
 * @param responder gateway profiles: our IKEv2 responder, or null
 */
public record IkeSpec(List<Gateway> gateways, Responder responder) {

    /** No IKE configured. */
    public static final IkeSpec NONE = new IkeSpec(List.of(), null);

    public boolean configured() {
        return !gateways.isEmpty();
    }

    /**
     * Our gateway's IKEv2 responder.
     *
     * @param localId       its identity (IDr)
     * @param psks          identity -> pre-shared key, from the PSK file (empty with certificates only)
     * @param ikeProposals  strongSwan syntax
     * @param espProposals  strongSwan syntax
     * @param localTs       the cloud-side traffic selectors offered
     * @param pool          the virtual-IP pool, e.g. 10.99.0.0/24
     * @param certificates  our certificate, its key and the CAs clients' certificates must chain to (null: PSKs only)
     */
    public record Responder(String localId, java.util.Map<String, byte[]> psks, String ikeProposals, String espProposals,
                            List<Ipv4Prefix> localTs, Ipv4Prefix pool, io.steadfast.ike.auth.Certificates certificates) {

        /** The IKE library's configuration. */
        public io.steadfast.ike.sa.ResponderConfig responderConfig() {
            var config = io.steadfast.ike.sa.ResponderConfig.psk(localId, psks, ikeProposals, espProposals,
                    localTs.stream().map(p -> io.steadfast.ike.payload.TrafficSelector.ipv4Subnet(p.addressText(), p.length())).toList(),
                    pool.network().toString());
            return certificates == null ? config : config.withCertificates(certificates);
        }
    }

    /**
     * One gateway.
     *
     * @param name          names its SAs and log lines
     * @param address       its IKE/ESP endpoint (port 4500: IKE shares the ESP socket)
     * @param localId       our identity (IDi)
     * @param remoteId      the identity the gateway must prove (IDr), or null for any
     * @param psk           the pre-shared key, from the PSK file (null with certificates)
     * @param ikeProposals  strongSwan syntax, e.g. {@code aes128gcm16-prfsha256-x25519}
     * @param espProposals  strongSwan syntax, e.g. {@code aes128gcm16}
     * @param remoteTs      the cloud-side traffic selectors asked for
     * @param certificates  our certificate, its key and the CAs we trust for the gateway's (null: PSK)
     */
    public record Gateway(String name, InetSocketAddress address, String localId, String remoteId, byte[] psk, String ikeProposals,
                          String espProposals, List<Ipv4Prefix> remoteTs, io.steadfast.ike.auth.Certificates certificates) {

        /** The IKE library's configuration for this gateway. */
        public io.steadfast.ike.sa.InitiatorConfig initiatorConfig() {
            List<io.steadfast.ike.payload.TrafficSelector> ts = remoteTs.stream()
                    .map(p -> io.steadfast.ike.payload.TrafficSelector.ipv4Subnet(p.addressText(), p.length())).toList();
            return new io.steadfast.ike.sa.InitiatorConfig(localId, remoteId, psk, ikeProposals, espProposals, ts, true, true, 4500, 1280,
                    io.steadfast.ike.sa.Retransmission.DEFAULT, java.time.Duration.ofSeconds(30), certificates);
        }

        @Override
        public String toString() {
            return name + " (" + address.getAddress().getHostAddress() + ":" + address.getPort() + ", id " + localId
                    + (remoteId != null ? " -> " + remoteId : "") + (certificates != null ? ", certificate" : ", psk") + ", ike " + ikeProposals + ", esp " + espProposals + ", ts " + remoteTs + ")";
        }
    }
}
