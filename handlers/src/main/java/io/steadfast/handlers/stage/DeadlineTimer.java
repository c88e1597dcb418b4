package io.steadfast.handlers.stage;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One timer at a deadline of a protocol object's clock (IKE retransmissions, binding-update refreshes), on a
 * stage's event loop: {@link #at} schedules it, and schedules anew only when the deadline moves. Used on
 * that event loop only.
 *
 * <pre>{@code
 * DeadlineTimer timer = new DeadlineTimer(System::nanoTime, this::onTimer);
 * timer.at(ctx.executor(), sa.nextDeadline());
 * }</pre>
 */
public final class DeadlineTimer {
    /** No deadline: the timer is off. */
    public static final long NONE = Long.MAX_VALUE;

    private final LongSupplier clock;
    private final Runnable onDue;
    private ScheduledFuture<?> future;
    private long deadline = NONE;

    /** @param clock the clock deadlines are in (nanoseconds); {@code onDue} runs when one is reached */
    public DeadlineTimer(LongSupplier clock, Runnable onDue) {
        this.clock = clock;
        this.onDue = onDue;
    }

    /** Fires at {@code next} ({@link #NONE}: never), replacing the deadline set before. */
    public void at(EventExecutor executor, long next) {
        if (next == deadline && future != null && !future.isDone()) return;
        cancel();
        deadline = next;
        if (next == NONE) return;
        future = executor.schedule(this::fire, Math.max(0, next - clock.getAsLong()), TimeUnit.NANOSECONDS);
    }

    private void fire() {
        future = null;
        deadline = NONE;
        onDue.run();
    }

    /** Turns the timer off. */
    public void cancel() {
        if (future != null) future.cancel(false);
        future = null;
        deadline = NONE;
    }
}
