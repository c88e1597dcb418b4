package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Lifetime} rules, {@link EspDropReason} counter names and the {@link Esp} helpers. */
class LifetimeAndReasonTest {

    @Test
    void unlimitedIsNeverReached() {
        assertThat(Lifetime.UNLIMITED.softReached(Long.MAX_VALUE - 1, Long.MAX_VALUE - 1)).isFalse();
        assertThat(Lifetime.UNLIMITED.hardReached(Long.MAX_VALUE - 1, Long.MAX_VALUE - 1)).isFalse();
    }

    @Test
    void softAndHardLimits() {
        Lifetime lifetime = new Lifetime(10, 20, 1000, 2000);
        assertThat(lifetime.softReached(9, 999)).isFalse();
        assertThat(lifetime.softReached(10, 0)).isTrue();
        assertThat(lifetime.softReached(0, 1000)).isTrue();
        assertThat(lifetime.hardReached(19, 1999)).isFalse();
        assertThat(lifetime.hardReached(20, 0)).isTrue();
        assertThat(lifetime.hardReached(0, 2000)).isTrue();
        assertThat(Lifetime.ofPackets(1, 2)).isEqualTo(new Lifetime(1, 2, Long.MAX_VALUE, Long.MAX_VALUE));
        assertThat(Lifetime.ofBytes(1, 2)).isEqualTo(new Lifetime(Long.MAX_VALUE, Long.MAX_VALUE, 1, 2));
    }

    @ParameterizedTest
    @CsvSource({"0, 1, 1, 1", "1, 0, 1, 1", "1, 1, -1, 1", "1, 1, 1, 0", "2, 1, 1, 1", "1, 1, 3, 2"})
    void invalidLimitsAreRefused(long sp, long hp, long sb, long hb) {
        assertThatThrownBy(() -> new Lifetime(sp, hp, sb, hb)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void counterNames() {
        assertThat(EspDropReason.BAD_ICV.counterName()).isEqualTo("dropped.bad-icv");
        assertThat(EspDropReason.TRUNCATED.counterName()).isEqualTo("dropped.truncated");
        assertThat(EspDropReason.UNKNOWN_SPI.counterName()).isEqualTo("dropped.unknown-spi");
        assertThat(EspDropReason.SEQUENCE_EXHAUSTED.counterName()).isEqualTo("dropped.sequence-exhausted");
        assertThat(Arrays.stream(EspDropReason.values()).map(EspDropReason::counterName))
                .doesNotHaveDuplicates()
                .allMatch(name -> name.matches("dropped\\.[a-z]+(-[a-z]+)*"));
    }

    @Test
    void requiredReasonsExist() {
        assertThat(Arrays.stream(EspDropReason.values()).map(Enum::name)).contains("TRUNCATED", "UNKNOWN_SPI", "REPLAYED",
                "TOO_OLD", "BAD_ICV", "BAD_PADDING", "BAD_NEXT_HEADER", "SEQUENCE_EXHAUSTED", "LIFETIME_EXPIRED", "NO_ROOM");
    }

    @Test
    void padLengthAlignsPayloadAndTrailerTo4() {
        for (int length = 0; length < 100; length++) {
            int pad = Esp.padLength(length);
            assertThat(pad).isBetween(0, Esp.MAX_PAD_LENGTH);
            assertThat((length + pad + Esp.TRAILER_LENGTH) % Esp.PAD_ALIGNMENT).isZero();
        }
        assertThat(Esp.padLength(2)).isZero();
        assertThat(Esp.padLength(1)).isEqualTo(1);
        assertThat(Esp.padLength(0)).isEqualTo(2);
        assertThat(Esp.padLength(3)).isEqualTo(3);
    }
}
