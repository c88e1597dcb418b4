package io.steadfast.ike.sa;

import io.steadfast.esp.SecurityAssociation;
import io.steadfast.ike.payload.TrafficSelector;
import java.net.Inet4Address;
import java.util.List;

/**
 * An ESP Child SA as negotiated: both SPIs, the ESP SA pair (ours to install and close), the chosen proposal in
 * strongSwan's syntax, the narrowed traffic selectors and the initiator's virtual IP (null without one). ESP
 * travels in UDP ({@code udpEncapsulated}) to the peer's NAT-T port.
 *
 * <pre>{@code
 * ChildSa child = up.child();
 * EspEncryptor out = new EspEncryptor(child.outbound());
 * tun.addAddress(child.virtualIp());
 * }</pre>
 */
public record ChildSa(int inboundSpi, int outboundSpi, SecurityAssociation outbound, SecurityAssociation inbound,
        String proposal, List<TrafficSelector> localTs, List<TrafficSelector> remoteTs, Inet4Address virtualIp,
        boolean udpEncapsulated) {
    /** Copies the selector lists. */
    public ChildSa {
        localTs = List.copyOf(localTs);
        remoteTs = List.copyOf(remoteTs);
    }

    @Override
    public String toString() {
        return String.format("CHILD_SA %08x_i %08x_o %s %s === %s%s", inboundSpi, outboundSpi, proposal, localTs,
                remoteTs, virtualIp == null ? "" : " vip " + virtualIp.getHostAddress());
    }
}
