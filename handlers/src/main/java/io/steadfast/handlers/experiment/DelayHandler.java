package io.steadfast.handlers.experiment;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import io.steadfast.handlers.stage.CountingStage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Stage {@value #NAME}: holds each inbound {@link ByteBuf} packet for {@code delay} plus a jitter drawn uniformly
 * from [-jitter, +jitter] (the sum clamped at zero), then fires it on, like {@code netem delay D J}. Timing uses
 * the channel's event loop (its ticker and scheduler), so there are no threads of its own, and tests can drive it
 * with {@code EmbeddedChannel.advanceTimeBy}.
 *
 * <p>Order: with zero jitter every packet gets the same delay and packets leave in arrival order. With jitter
 * each packet leaves at its own deadline, so packets may be reordered (as with netem's jitter); packets with the
 * same deadline keep their arrival order. Messages that are not {@code ByteBuf}s are not delayed: they pass on at
 * once, and so may overtake held packets.
 *
 * <p>At most {@code maxPending} packets are held; a packet arriving while the queue is full is dropped (released)
 * and counted in {@code dropped.queue-full}. All due packets are fired in one batch followed by one
 * {@code channelReadComplete}, so downstream stages flush once per batch. When the channel goes inactive or the
 * handler is removed, held packets are released (counted in {@code dropped.closed}) and later packets pass on
 * without delay.
 *
 * <p>Counters: {@code delayed} (packets held and then fired on), {@code dropped.queue-full},
 * {@code dropped.closed}, {@code pending} (held right now). Not {@code @Sharable}: one instance per pipeline
 * position, used on its event loop only.
 *
 * <pre>{@code
 * // 40 ms +- 10 ms one-way delay on the inbound path, at most 5000 packets in flight
 * pipeline.addAfter("udp-recv", "delay",
 *         new DelayHandler(Duration.ofMillis(40), Duration.ofMillis(10), new SplittableRandom(7), 5000));
 * }</pre>
 */
public final class DelayHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    /** The stage name profiles use. */
    public static final String NAME = "delay";
    /** Held packets allowed when no limit is given. */
    public static final int DEFAULT_MAX_PENDING = 10_000;

    private final long delayNanos;
    private final long jitterNanos;
    private final RandomGenerator random;
    private final int maxPending;
    private final PriorityQueue<Held> queue = new PriorityQueue<>();

    private ChannelHandlerContext ctx;
    private Future<?> timer;
    private long timerDeadline;
    private long sequence;
    private boolean closed;
    private long delayed;
    private long droppedQueueFull;
    private long droppedClosed;

    /** A held packet; ordered by deadline, then by arrival. */
    private record Held(long deadline, long sequence, ByteBuf packet) implements Comparable<Held> {
        @Override
        public int compareTo(Held other) {
            int byDeadline = Long.compare(deadline - other.deadline, 0); // nanoTime may wrap
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }

    /** Delay with jitter, holding at most {@link #DEFAULT_MAX_PENDING} packets. */
    public DelayHandler(Duration delay, Duration jitter, RandomGenerator random) {
        this(delay, jitter, random, DEFAULT_MAX_PENDING);
    }

    /**
     * @param delay mean time each packet is held, not negative
     * @param jitter half-width of the uniform variation around {@code delay}, not negative
     * @param random source of the jitter (unused when jitter is zero)
     * @param maxPending most packets held at once, at least 1
     * @throws IllegalArgumentException if a duration is negative or {@code maxPending < 1}
     */
    public DelayHandler(Duration delay, Duration jitter, RandomGenerator random, int maxPending) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(jitter, "jitter");
        if (delay.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException(
                    "delay: delay and jitter must not be negative, got " + delay + " and " + jitter);
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("delay: max pending packets must be at least 1, got " + maxPending);
        }
        this.delayNanos = toNanos(delay);
        this.jitterNanos = toNanos(jitter);
        this.random = Objects.requireNonNull(random, "random");
        this.maxPending = maxPending;
    }

    private static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("delay: " + d + " is too long", e);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf packet) || closed) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (queue.size() >= maxPending) {
            droppedQueueFull++;
            packet.release();
            return;
        }
        long now = ctx.executor().ticker().nanoTime();
        long deadline = now + holdNanos();
        queue.add(new Held(deadline, sequence++, packet));
        if (timer == null || deadline - timerDeadline < 0) {
            schedule(deadline, now);
        }
    }

    private long holdNanos() {
        if (jitterNanos == 0) {
            return delayNanos;
        }
        long offset = random.nextLong(-jitterNanos, jitterNanos + 1);
        return Math.max(0, delayNanos + offset);
    }

    private void schedule(long deadline, long now) {
        if (timer != null) {
            timer.cancel(false);
        }
        timerDeadline = deadline;
        timer = ctx.executor().schedule(this::releaseDue, Math.max(0, deadline - now), TimeUnit.NANOSECONDS);
    }

    private void releaseDue() {
        timer = null;
        if (closed) {
            return;
        }
        long now = ctx.executor().ticker().nanoTime();
        int fired = 0;
        Held head;
        while ((head = queue.peek()) != null && head.deadline - now <= 0) {
            queue.poll();
            delayed++;
            fired++;
            ctx.fireChannelRead(head.packet);
        }
        if (fired > 0) {
            ctx.fireChannelReadComplete();
        }
        // Downstream may have closed the channel (and so released the queue) while we fired.
        if (!closed && timer == null && (head = queue.peek()) != null) {
            schedule(head.deadline, now);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discardPending();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardPending();
    }

    private void discardPending() {
        closed = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        Held held;
        while ((held = queue.poll()) != null) {
            droppedClosed++;
            held.packet.release();
        }
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("delayed", delayed);
        counters.put("dropped.queue-full", droppedQueueFull);
        counters.put("dropped.closed", droppedClosed);
        counters.put("pending", (long) queue.size());
        return counters;
    }
}
