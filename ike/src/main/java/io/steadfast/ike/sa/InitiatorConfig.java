package io.steadfast.ike.sa;

import io.steadfast.ike.auth.Certificates;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What our initiator offers one gateway. Proposals are in strongSwan's syntax ({@code aes128gcm16-prfsha256-x25519},
 * {@code aes128gcm16}); a DH group in the ESP proposal only matters for CREATE_CHILD_SA (IKE_AUTH never has PFS).
 * {@code remoteId} may be null (accept any identity the PSK authenticates). {@code forceEncapsulation} fakes a NAT
 * like swanctl's {@code encap = yes}, so ESP always travels in UDP (our data plane speaks ESP-in-UDP only).
 * With {@code certificates} we sign AUTH with our key and check the gateway's certificate against their CAs; the
 * gateway may still answer with the PSK when one is configured too.
 * Fragments are used for messages longer than {@code fragmentSize} when both sides support RFC 7383.
 *
 * <pre>{@code
 * InitiatorConfig config = InitiatorConfig.psk("client.example", "secret".getBytes(), "aes128gcm16-prfsha256-x25519",
 *         "aes128gcm16", List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16)));
 * }</pre>
 */
public record InitiatorConfig(String localId, String remoteId, byte[] psk, String ikeProposals, String espProposals,
        List<TrafficSelector> remoteTs, boolean requestVirtualIp, boolean forceEncapsulation, int nattPort,
        int fragmentSize, Retransmission retransmission, Duration fragmentTimeout, Certificates certificates) {

    /** Checks the values and parses the proposals once, so a typo fails here with strongSwan's keywords. */
    public InitiatorConfig {
        Identities.parse(localId, true);
        if (remoteId != null) Identities.parse(remoteId, false);
        if (certificates == null && (psk == null || psk.length == 0)) {
            throw new IllegalArgumentException("a pre-shared key or certificates are needed");
        }
        psk = psk == null ? null : psk.clone();
        ProposalSyntax.parseIke(ikeProposals);
        ProposalSyntax.parseEsp(espProposals, new byte[4]);
        remoteTs = List.copyOf(remoteTs);
        if (remoteTs.isEmpty()) throw new IllegalArgumentException("no remote traffic selector");
        if (nattPort < 1 || nattPort > 0xFFFF || fragmentSize < 576 || fragmentSize > 65000) {
            throw new IllegalArgumentException("NAT-T port or fragment size out of range");
        }
    }

    /** The configuration without certificates (PSK authentication). */
    public InitiatorConfig(String localId, String remoteId, byte[] psk, String ikeProposals, String espProposals,
            List<TrafficSelector> remoteTs, boolean requestVirtualIp, boolean forceEncapsulation, int nattPort,
            int fragmentSize, Retransmission retransmission, Duration fragmentTimeout) {
        this(localId, remoteId, psk, ikeProposals, espProposals, remoteTs, requestVirtualIp, forceEncapsulation, nattPort,
                fragmentSize, retransmission, fragmentTimeout, null);
    }

    /** A PSK configuration with the defaults: virtual IP, forced UDP encapsulation, port 4500, 1280-byte fragments. */
    public static InitiatorConfig psk(String localId, byte[] psk, String ikeProposals, String espProposals,
            List<TrafficSelector> remoteTs) {
        return new InitiatorConfig(localId, null, psk, ikeProposals, espProposals, remoteTs, true, true, 4500, 1280,
                Retransmission.DEFAULT, Duration.ofSeconds(30));
    }

    /** This configuration expecting the responder to prove {@code id}. */
    public InitiatorConfig withRemoteId(String id) {
        return new InitiatorConfig(localId, id, psk, ikeProposals, espProposals, remoteTs, requestVirtualIp,
                forceEncapsulation, nattPort, fragmentSize, retransmission, fragmentTimeout, certificates);
    }

    /** This configuration with another retransmission policy. */
    public InitiatorConfig withRetransmission(Retransmission policy) {
        return new InitiatorConfig(localId, remoteId, psk, ikeProposals, espProposals, remoteTs, requestVirtualIp,
                forceEncapsulation, nattPort, fragmentSize, policy, fragmentTimeout, certificates);
    }

    /** This configuration with other proposals. */
    public InitiatorConfig withProposals(String ike, String esp) {
        return new InitiatorConfig(localId, remoteId, psk, ike, esp, remoteTs, requestVirtualIp, forceEncapsulation,
                nattPort, fragmentSize, retransmission, fragmentTimeout, certificates);
    }

    /** This configuration with another pre-shared key. */
    public InitiatorConfig withPsk(byte[] key) {
        return new InitiatorConfig(localId, remoteId, key, ikeProposals, espProposals, remoteTs, requestVirtualIp,
                forceEncapsulation, nattPort, fragmentSize, retransmission, fragmentTimeout, certificates);
    }

    /** This configuration with another fragment size. */
    public InitiatorConfig withFragmentSize(int bytes) {
        return new InitiatorConfig(localId, remoteId, psk, ikeProposals, espProposals, remoteTs, requestVirtualIp,
                forceEncapsulation, nattPort, bytes, retransmission, fragmentTimeout, certificates);
    }

    /** This configuration with another NAT-T port (tests run peers on unprivileged ports). */
    public InitiatorConfig withNattPort(int port) {
        return new InitiatorConfig(localId, remoteId, psk, ikeProposals, espProposals, remoteTs, requestVirtualIp,
                forceEncapsulation, port, fragmentSize, retransmission, fragmentTimeout, certificates);
    }

    /** This configuration authenticating with {@code ours} (and checking the gateway's certificate against its CAs). */
    public InitiatorConfig withCertificates(Certificates ours) {
        return new InitiatorConfig(localId, remoteId, psk, ikeProposals, espProposals, remoteTs, requestVirtualIp,
                forceEncapsulation, nattPort, fragmentSize, retransmission, fragmentTimeout, ours);
    }

    /** A copy of the key, or null (certificate authentication). */
    @Override
    public byte[] psk() {
        return psk == null ? null : psk.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitiatorConfig c && toString().equals(c.toString()) && Arrays.equals(psk, c.psk)
                && java.util.Objects.equals(certificates, c.certificates);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** Everything but the key. */
    @Override
    public String toString() {
        return "InitiatorConfig[" + localId + " -> " + (remoteId == null ? "%any" : remoteId) + ", ike " + ikeProposals
                + ", esp " + espProposals + ", remote ts " + remoteTs + (certificates == null ? ", psk" : ", " + certificates)
                + "]";
    }
}
