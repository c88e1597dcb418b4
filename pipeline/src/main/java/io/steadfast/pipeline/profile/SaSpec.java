package io.steadfast.pipeline.profile;

import io.steadfast.esp.EspAlgorithm;
import io.steadfast.pipeline.config.Ipv4Prefix;
import java.net.InetSocketAddress;

/**
 * A manually keyed ESP SA from a profile (like {@code ip xfrm state}); its key comes from the key file.
 *
 * @param name            for counters and logs
 * @param outbound        true for out, false for in
 * @param spi             the SPI
 * @param algorithm       the ESP transform
 * @param esn             extended (64-bit) sequence numbers
 * @param peer            where outbound packets go (null for inbound)
 * @param trafficSelector the remote traffic selector of an outbound SA (null for inbound)
 * @param careOf          the client's tunnel address V through this outbound SA's gateway (0 if none):
 *                        announced to the relay when {@code esp-encrypt} switches to this SA
 * @param keyMaterial     key || salt, from the key file
 */
public record SaSpec(String name, boolean outbound, int spi, EspAlgorithm algorithm, boolean esn,
                     InetSocketAddress peer, Ipv4Prefix trafficSelector, int careOf, byte[] keyMaterial) {

    /** The SPI as written in key files and by tshark: 0x0000abcd. */
    public String spiText() {
        return String.format("0x%08x", spi);
    }

    @Override
    public String toString() {
        return name + " (" + (outbound ? "out" : "in") + ", spi " + spiText() + ", " + algorithm.keyword()
                + (esn ? ", esn" : "") + (peer != null ? ", peer " + peer.getAddress().getHostAddress() + ":" + peer.getPort() : "")
                + (trafficSelector != null ? ", ts " + trafficSelector : "")
                + (careOf != 0 ? ", care-of " + new Ipv4Prefix(careOf, 32).addressText() : "") + ")";
    }
}
