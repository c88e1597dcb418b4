package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.TrafficSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Traffic-selector arithmetic (RFC 7296 2.9): the responder narrows what the initiator proposed to the
 * intersection with its own policy; the initiator checks that what came back lies within what it proposed.
 * IPv4 ranges only; a selector with a protocol or ports intersects on those too.
 *
 * <pre>{@code
 * List<TrafficSelector> tsr = TrafficSelectors.narrow(offeredTsr, policy);   // empty: TS_UNACCEPTABLE
 * boolean ok = TrafficSelectors.within(answeredTsi, offeredTsi);
 * }</pre>
 */
public final class TrafficSelectors {
    private TrafficSelectors() {}

    /** The non-empty intersections of every offered selector with every allowed one, without duplicates. */
    public static List<TrafficSelector> narrow(List<TrafficSelector> offered, List<TrafficSelector> allowed) {
        List<TrafficSelector> out = new ArrayList<>();
        for (TrafficSelector o : offered) {
            for (TrafficSelector a : allowed) {
                TrafficSelector both = intersect(o, a);
                if (both != null && !out.contains(both)) out.add(both);
            }
        }
        return out;
    }

    /** Whether every selector of {@code answered} lies inside one of {@code offered}. */
    public static boolean within(List<TrafficSelector> answered, List<TrafficSelector> offered) {
        return answered.stream().allMatch(a -> offered.stream().anyMatch(o -> a.equals(intersect(a, o))));
    }

    /** The intersection of two selectors, or null if they do not overlap. */
    public static TrafficSelector intersect(TrafficSelector a, TrafficSelector b) {
        if (a.tsType() != Ike.TS_IPV4_ADDR_RANGE || b.tsType() != Ike.TS_IPV4_ADDR_RANGE) return null;
        if (a.ipProtocol() != 0 && b.ipProtocol() != 0 && a.ipProtocol() != b.ipProtocol()) return null;
        long start = Math.max(value(a.startAddress()), value(b.startAddress()));
        long end = Math.min(value(a.endAddress()), value(b.endAddress()));
        int startPort = Math.max(a.startPort(), b.startPort());
        int endPort = Math.min(a.endPort(), b.endPort());
        if (start > end || startPort > endPort) return null;
        return new TrafficSelector(Ike.TS_IPV4_ADDR_RANGE, Math.max(a.ipProtocol(), b.ipProtocol()), startPort, endPort,
                bytes(start), bytes(end));
    }

    /** A single-address selector (a virtual IP). */
    public static TrafficSelector host(byte[] ipv4) {
        return new TrafficSelector(Ike.TS_IPV4_ADDR_RANGE, 0, 0, 0xFFFF, Arrays.copyOf(ipv4, 4), Arrays.copyOf(ipv4, 4));
    }

    private static long value(byte[] b) {
        return ((b[0] & 0xFFL) << 24) | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
    }

    private static byte[] bytes(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
