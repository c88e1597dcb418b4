package io.steadfast.relay;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when told; starts at an arbitrary large value, as System.nanoTime may. */
final class FakeClock implements LongSupplier {
    private long now = 7_000_000_000_000L;

    @Override
    public long getAsLong() {
        return now;
    }

    long now() {
        return now;
    }

    FakeClock advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
        return this;
    }

    FakeClock advanceSeconds(long seconds) {
        now += TimeUnit.SECONDS.toNanos(seconds);
        return this;
    }

    FakeClock advanceNanos(long nanos) {
        now += nanos;
        return this;
    }

    FakeClock set(long nanos) {
        now = nanos;
        return this;
    }
}
