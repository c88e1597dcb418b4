package io.steadfast.handlers.ike;

import io.steadfast.ike.sa.HandshakeWarmup;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link HandshakeWarmup} once per JVM on a daemon thread, for the {@code ike} and {@code ike-responder}
 * stages (their option {@code warmup}, default on): {@link #HANDSHAKES} in-memory handshakes (within
 * {@link #BUDGET}, on half a core; a few seconds on this project's 2-vCPU machines), after which a real handshake
 * runs compiled code, several milliseconds faster than the interpreted first ones, and no longer competes with the
 * JIT compiling it (500 left the median 0.5 ms and the p90 1-5 ms higher on 2 vCPUs).
 */
public final class BackgroundWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWarmup.class);
    static final Duration BUDGET = Duration.ofSeconds(10);
    static final int HANDSHAKES = 2000;
    /** Half a core at most, so that the data path and the first real handshakes keep the rest. */
    static final double SHARE = 0.5;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private BackgroundWarmup() {}

    /** Starts the warm-up with these proposals unless this JVM has started one; returns whether it did. */
    public static boolean startOnce(String ikeProposals, String espProposals) {
        if (!STARTED.compareAndSet(false, true)) return false;
        Thread.ofPlatform().daemon().name("ike-warmup").priority(Thread.MIN_PRIORITY).start(() -> {
            long start = System.nanoTime();
            try {
                int done = new HandshakeWarmup(ikeProposals, espProposals).run(BUDGET, HANDSHAKES, SHARE);
                LOG.debug("ike: warmed up the handshake code with {} in-memory handshakes in {} ms", done,
                        (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.debug("ike: handshake warm-up stopped", e);
            }
        });
        return true;
    }
}
