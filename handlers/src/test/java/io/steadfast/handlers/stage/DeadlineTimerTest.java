package io.steadfast.handlers.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlineTimerTest {

    @Test
    void firesOnceAtTheDeadlineMovesWithItAndStopsWhenToldOrAtNone() {
        EmbeddedChannel ch = new EmbeddedChannel();
        long[] now = {1_000_000_000L};
        AtomicInteger fired = new AtomicInteger();
        DeadlineTimer timer = new DeadlineTimer(() -> now[0], fired::incrementAndGet);

        timer.at(ch.eventLoop(), now[0] + TimeUnit.MILLISECONDS.toNanos(100));
        timer.at(ch.eventLoop(), now[0] + TimeUnit.MILLISECONDS.toNanos(100)); // the same deadline: nothing new
        ch.advanceTimeBy(99, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(fired).hasValue(0);
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(fired).hasValue(1);
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(fired).as("once").hasValue(1);

        timer.at(ch.eventLoop(), now[0] + TimeUnit.MILLISECONDS.toNanos(500));
        timer.at(ch.eventLoop(), now[0] + TimeUnit.MILLISECONDS.toNanos(50));   // moved earlier
        ch.advanceTimeBy(60, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(fired).hasValue(2);
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(fired).as("the replaced deadline does not fire").hasValue(2);

        timer.at(ch.eventLoop(), now[0] + TimeUnit.MILLISECONDS.toNanos(10));
        timer.at(ch.eventLoop(), DeadlineTimer.NONE);
        timer.at(ch.eventLoop(), now[0] + TimeUnit.MILLISECONDS.toNanos(10));
        timer.cancel();
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(fired).hasValue(2);
    }
}
