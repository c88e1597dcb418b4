package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-client update limit: a full burst at first, then the rate, never more than the burst saved. */
class TokenBucketTest {
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aFullBurstThenNothingUntilTimePasses() {
        TokenBucket bucket = new TokenBucket(50, 10);
        long now = 123_456_789L;
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.tryTake(now)).as("token %d of the burst", i).isTrue();
        }
        assertThat(bucket.tryTake(now)).isFalse();
        assertThat(bucket.tryTake(now + 19 * MS)).as("a token takes 20 ms at 50/s").isFalse();
        assertThat(bucket.tryTake(now + 20 * MS)).isTrue();
        assertThat(bucket.tryTake(now + 20 * MS)).isFalse();
    }

    @Test
    void overOneSecondTheRateHolds() {
        TokenBucket bucket = new TokenBucket(50, 10);
        long start = 0;
        int taken = 0;
        for (long t = start; t <= start + TimeUnit.SECONDS.toNanos(10); t += MS / 10) {
            if (bucket.tryTake(t)) {
                taken++;
            }
        }
        assertThat(taken).as("burst plus 50 per second for 10 s").isBetween(10 + 500 - 1, 10 + 500 + 1);
    }

    @Test
    void savesAtMostTheBurst() {
        TokenBucket bucket = new TokenBucket(50, 10);
        assertThat(bucket.tryTake(0)).isTrue();
        long later = TimeUnit.HOURS.toNanos(5);
        int taken = 0;
        while (taken < 1000 && bucket.tryTake(later)) {
            taken++;
        }
        assertThat(taken).isEqualTo(10);
    }

    @Test
    void aClockThatGoesBackRefillsNothing() {
        TokenBucket bucket = new TokenBucket(50, 1);
        assertThat(bucket.tryTake(TimeUnit.SECONDS.toNanos(10))).isTrue();
        assertThat(bucket.tryTake(0)).isFalse();
        assertThat(bucket.tryTake(TimeUnit.SECONDS.toNanos(10) + 19 * MS)).isFalse();
        assertThat(bucket.tryTake(TimeUnit.SECONDS.toNanos(10) + 20 * MS)).isTrue();
    }

    @Test
    void worksAcrossTheNanoTimeWrap() {
        TokenBucket bucket = new TokenBucket(50, 1);
        long beforeWrap = Long.MAX_VALUE - 5 * MS;
        assertThat(bucket.tryTake(beforeWrap)).isTrue();
        assertThat(bucket.tryTake(beforeWrap + 20 * MS)).isTrue(); // overflows to a negative value
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new TokenBucket(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
