package io.steadfast.ike.sa;

import io.steadfast.ike.payload.TrafficSelector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * In-memory IKE handshakes (IKE_SA_INIT, IKE_AUTH with a throwaway PSK, a Child SA, a virtual IP, the delete) of
 * our initiator against our responder, so that the JIT compiles the handshake code before a real handshake needs
 * it. A JVM runs its first few hundred handshakes interpreted, each several milliseconds slower than a compiled
 * one (measured with {@code benchmarks/ike-timing.sh}); a long-running client or gateway pays that once, here, in
 * the background, instead of in every reconnect and failover. Its SAs log nothing.
 *
 * <pre>{@code
 * Thread.ofPlatform().daemon().start(() -> new HandshakeWarmup(ike, esp).run(Duration.ofSeconds(10), 2000, 0.5));
 * }</pre>
 */
public final class HandshakeWarmup {
    private static final byte[] PSK = "steadfast handshake warm-up, never on the wire".getBytes(StandardCharsets.US_ASCII);
    private static final InetSocketAddress CLIENT = documentationAddress(2, 40500);
    private static final InetSocketAddress GATEWAY = documentationAddress(1, 500);
    private static final List<TrafficSelector> CLOUD = List.of(TrafficSelector.ipv4Subnet("10.0.0.0", 8));
    private static final int MAX_MESSAGES = 8;

    private final InitiatorConfig initiator;
    private final IkeResponder responder;
    private final SecureRandom random = new SecureRandom();

    /** Handshakes with these IKE and ESP proposals (strongSwan syntax), as a real peer would negotiate them. */
    public HandshakeWarmup(String ikeProposals, String espProposals) {
        this.initiator = InitiatorConfig.psk("warmup-client.invalid", PSK, ikeProposals, espProposals, CLOUD)
                .withRemoteId("warmup-gateway.invalid");
        this.responder = new IkeResponder(ResponderConfig.psk("warmup-gateway.invalid", Map.of("warmup-client.invalid", PSK),
                ikeProposals, espProposals, CLOUD, "100.64.0.0/24"), GATEWAY, random, System.nanoTime());
    }

    /**
     * Runs handshakes until {@code handshakes} are done or {@code budget} has passed, using at most {@code share} of
     * one core (0 < share <= 1: after each handshake it pauses so long that its work is that share of the time);
     * returns how many completed (fewer if one fails, which a warm-up does not report otherwise).
     */
    public int run(java.time.Duration budget, int handshakes, double share) {
        if (!(share > 0 && share <= 1)) throw new IllegalArgumentException("share " + share + " not in (0, 1]");
        long end = System.nanoTime() + budget.toNanos();
        return ScopedValue.where(IkeSa.QUIET, true).call(() -> {
            int done = 0;
            while (done < handshakes && System.nanoTime() - end < 0) {
                long start = System.nanoTime();
                if (!handshake()) break;
                done++;
                if (share < 1) java.util.concurrent.locks.LockSupport.parkNanos((long) ((System.nanoTime() - start) * (1 / share - 1)));
            }
            return done;
        });
    }

    /** One handshake and its delete; whether the SA came up and went again. */
    boolean handshake() {
        IkeSa sa = IkeSa.initiator(initiator, CLIENT, GATEWAY, random);
        exchange(sa, sa.start(System.nanoTime()));
        if (sa.state() != IkeSa.State.ESTABLISHED) return false;
        exchange(sa, sa.close(System.nanoTime()));
        return responder.sas().isEmpty();
    }

    /** Carries the initiator's requests to the responder and the answers back until neither has more to say. */
    private void exchange(IkeSa sa, Actions fromInitiator) {
        Actions out = fromInitiator;
        for (int i = 0; i < MAX_MESSAGES && !out.datagrams().isEmpty(); i++) {
            Datagram request = out.datagrams().get(0);
            Actions answer = responder.receive(CLIENT, request.payload(), System.nanoTime());
            if (answer.datagrams().isEmpty()) return;
            out = sa.receive(request.peer(), answer.datagrams().get(0).payload(), System.nanoTime());
        }
    }

    private static InetSocketAddress documentationAddress(int host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) host}), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
