package io.steadfast.ike.sa;

import io.steadfast.ike.auth.Certificates;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What our responder (the {@code gateway} profile) accepts. {@code psks} maps a peer identity, written as in
 * swanctl.conf, to its pre-shared key. {@code pool} is the virtual-IP pool as CIDR (null: no addresses to give).
 * Above {@code cookieThreshold} half-open SAs new IKE_SA_INIT requests must return a cookie (RFC 7296 2.6);
 * above {@code maxHalfOpen} they are dropped; a half-open SA lives at most {@code halfOpenTimeout}. With
 * {@code certificates} we accept initiators whose certificates chain to their CAs and sign our AUTH for them; PSK
 * initiators are still checked against {@code psks} and get our PSK MIC, never our certificate.
 *
 * <pre>{@code
 * ResponderConfig gw = ResponderConfig.psk("gw.example", Map.of("client.example", psk),
 *         "aes128gcm16-prfsha256-x25519", "aes128gcm16", List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16)),
 *         "10.99.0.0/24");
 * }</pre>
 */
public record ResponderConfig(String localId, Map<String, byte[]> psks, String ikeProposals, String espProposals,
        List<TrafficSelector> localTs, String pool, boolean forceEncapsulation, int cookieThreshold, int maxHalfOpen,
        Duration halfOpenTimeout, Retransmission retransmission, int fragmentSize, Certificates certificates) {

    /** Checks values and proposals. */
    public ResponderConfig {
        Identities.parse(localId, false);
        Map<String, byte[]> copy = new HashMap<>();
        psks.forEach((id, key) -> {
            if (key.length == 0) throw new IllegalArgumentException("empty pre-shared key for " + id);
            Identities.parse(id, true);
            copy.put(id, key.clone());
        });
        psks = Map.copyOf(copy);
        ProposalSyntax.parseIke(ikeProposals);
        ProposalSyntax.parseEsp(espProposals, new byte[4]);
        localTs = List.copyOf(localTs);
        if (localTs.isEmpty()) throw new IllegalArgumentException("no local traffic selector");
        if (pool != null) VirtualIpPool.parse(pool);
        if (cookieThreshold < 0 || maxHalfOpen < 1) throw new IllegalArgumentException("bad half-open limits");
    }

    /** The configuration without certificates (PSK authentication only). */
    public ResponderConfig(String localId, Map<String, byte[]> psks, String ikeProposals, String espProposals,
            List<TrafficSelector> localTs, String pool, boolean forceEncapsulation, int cookieThreshold, int maxHalfOpen,
            Duration halfOpenTimeout, Retransmission retransmission, int fragmentSize) {
        this(localId, psks, ikeProposals, espProposals, localTs, pool, forceEncapsulation, cookieThreshold, maxHalfOpen,
                halfOpenTimeout, retransmission, fragmentSize, null);
    }

    /** This configuration signing with {@code ours} and accepting initiators whose certificates chain to its CAs. */
    public ResponderConfig withCertificates(Certificates ours) {
        return new ResponderConfig(localId, psks, ikeProposals, espProposals, localTs, pool, forceEncapsulation,
                cookieThreshold, maxHalfOpen, halfOpenTimeout, retransmission, fragmentSize, ours);
    }

    /** A PSK gateway with defaults: cookies above 50 half-open SAs, at most 1000, 30 s each. */
    public static ResponderConfig psk(String localId, Map<String, byte[]> psks, String ikeProposals, String espProposals,
            List<TrafficSelector> localTs, String pool) {
        return new ResponderConfig(localId, psks, ikeProposals, espProposals, localTs, pool, true, 50, 1000,
                Duration.ofSeconds(30), Retransmission.DEFAULT, 1280);
    }

    /** This configuration with other half-open limits. */
    public ResponderConfig withHalfOpenLimits(int cookies, int max) {
        return new ResponderConfig(localId, psks, ikeProposals, espProposals, localTs, pool, forceEncapsulation, cookies,
                max, halfOpenTimeout, retransmission, fragmentSize, certificates);
    }

    /** This configuration with other proposals. */
    public ResponderConfig withProposals(String ike, String esp) {
        return new ResponderConfig(localId, psks, ike, esp, localTs, pool, forceEncapsulation, cookieThreshold,
                maxHalfOpen, halfOpenTimeout, retransmission, fragmentSize, certificates);
    }

    /** The key for a peer identity (as {@link Identities#describe} writes it), or null. */
    public byte[] pskFor(String describedId) {
        for (Map.Entry<String, byte[]> e : psks.entrySet()) {
            if (Identities.describe(Identities.parse(e.getKey(), true)).equals(describedId)) return e.getValue().clone();
        }
        return null;
    }

    /** Everything but the keys. */
    @Override
    public String toString() {
        return "ResponderConfig[" + localId + ", peers " + psks.keySet() + ", ike " + ikeProposals + ", esp "
                + espProposals + ", local ts " + localTs + ", pool " + pool
                + (certificates == null ? "" : ", " + certificates) + "]";
    }
}
