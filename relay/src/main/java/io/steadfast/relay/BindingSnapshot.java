package io.steadfast.relay;

import java.util.Locale;

/**
 * One binding as {@code steadfast status} shows it, copied at one instant.
 *
 * <pre>{@code
 * server.snapshot().forEach(b -> out.println(b));
 * // 10.1.0.7 -> 10.2.0.9 client 7 age 12.0s updated 2.0s ago expires in 298.0s moves 1 in 100 out 90
 * }</pre>
 *
 * @param clientId        the client that owns S
 * @param stableAddress   S
 * @param careOfAddress   V
 * @param sequence        sequence of the update that last set it
 * @param ageNanos        time since the binding was created
 * @param sinceUpdateNanos time since an update last set or refreshed it
 * @param expiresInNanos  time left of its lifetime
 * @param moves           times an update moved it to another V
 * @param packetsIn       IP-in-IP packets from the client accepted
 * @param packetsOut      packets to S wrapped to V
 */
public record BindingSnapshot(int clientId, int stableAddress, int careOfAddress, long sequence, long ageNanos,
        long sinceUpdateNanos, long expiresInNanos, long moves, long packetsIn, long packetsOut) {

    static BindingSnapshot of(Binding b, long nowNanos) {
        return new BindingSnapshot(b.clientId(), b.stableAddress(), b.careOfAddress(), b.sequence(), nowNanos - b.createdNanos(),
                nowNanos - b.updatedNanos(), b.expiresAtNanos() - nowNanos, b.moves(), b.packetsIn(), b.packetsOut());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s -> %s client %s age %.1fs updated %.1fs ago expires in %.1fs moves %d in %d out %d",
                Ipv4.format(stableAddress), Ipv4.format(careOfAddress), Integer.toUnsignedString(clientId), ageNanos / 1e9,
                sinceUpdateNanos / 1e9, expiresInNanos / 1e9, moves, packetsIn, packetsOut);
    }
}
