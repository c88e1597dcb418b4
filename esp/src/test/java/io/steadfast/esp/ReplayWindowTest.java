package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The RFC 4303 3.4.3 sliding window and the RFC 4303 Appendix A inference of ESN high bits. */
class ReplayWindowTest {

    /** check, and if new, update: what the decryptor does for an authentic packet. */
    private static EspDropReason accept(ReplayWindow window, long seq) {
        EspDropReason reason = window.check(seq);
        if (reason == null) {
            window.update(seq);
        }
        return reason;
    }

    @Test
    void firstPacketsInOrderAreAcceptedOnce() {
        ReplayWindow window = new ReplayWindow(1024, false);
        for (long seq = 1; seq <= 5000; seq++) {
            assertThat(accept(window, seq)).isNull();
            assertThat(window.highest()).isEqualTo(seq);
        }
        for (long seq = 5000 - 1023; seq <= 5000; seq++) {
            assertThat(window.check(seq)).as("seq %d", seq).isEqualTo(EspDropReason.REPLAYED);
        }
    }

    @Test
    void sequenceZeroIsNeverValid() {
        ReplayWindow window = new ReplayWindow(64, false);
        assertThat(window.check(0)).isEqualTo(EspDropReason.TOO_OLD);
        window.update(0);
        assertThat(window.highest()).isZero();
        assertThat(window.check(1)).isNull();
    }

    @Test
    void duplicatesAreReplayed() {
        ReplayWindow window = new ReplayWindow(1024, false);
        assertThat(accept(window, 7)).isNull();
        assertThat(accept(window, 7)).isEqualTo(EspDropReason.REPLAYED);
        assertThat(accept(window, 3)).isNull();
        assertThat(accept(window, 3)).isEqualTo(EspDropReason.REPLAYED);
        assertThat(window.highest()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 65, 100, 1024, 1025, 4096, 65536})
    void edgeOfTheWindowIsExact(int size) {
        ReplayWindow window = new ReplayWindow(size, false);
        long top = 3L * size + 17;
        assertThat(accept(window, top)).isNull();
        long oldestInside = top - size + 1;
        assertThat(window.check(oldestInside)).isNull();
        assertThat(window.check(oldestInside - 1)).isEqualTo(EspDropReason.TOO_OLD);
        assertThat(accept(window, oldestInside)).isNull();
        assertThat(accept(window, oldestInside)).isEqualTo(EspDropReason.REPLAYED);
        assertThat(window.size()).isEqualTo(size);
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1024, 2048})
    void outOfOrderWithinTheWindowIsAcceptedExactlyOnce(int size) {
        ReplayWindow window = new ReplayWindow(size, false);
        List<Long> order = new ArrayList<>();
        for (long seq = 1; seq <= size; seq++) {
            order.add(seq);
        }
        Collections.shuffle(order, new Random(size));
        for (long seq : order) {
            assertThat(accept(window, seq)).as("first %d", seq).isNull();
        }
        for (long seq : order) {
            assertThat(accept(window, seq)).as("again %d", seq).isEqualTo(EspDropReason.REPLAYED);
        }
        assertThat(window.highest()).isEqualTo(size);
    }

    @Test
    void largeJumpClearsTheWholeMapButKeepsTheNewTop() {
        ReplayWindow window = new ReplayWindow(1024, false);
        for (long seq = 1; seq <= 1024; seq++) {
            accept(window, seq);
        }
        long jump = 1_000_000;
        assertThat(accept(window, jump)).isNull();
        assertThat(window.check(jump)).isEqualTo(EspDropReason.REPLAYED);
        for (long seq = jump - 1023; seq < jump; seq++) {
            assertThat(window.check(seq)).as("seq %d", seq).isNull(); // nothing stale survived the jump
        }
        assertThat(window.check(jump - 1024)).isEqualTo(EspDropReason.TOO_OLD);
        assertThat(window.check(1024)).isEqualTo(EspDropReason.TOO_OLD);
    }

    @Test
    void jumpsOfEveryLengthAroundTheWordSize() {
        for (int jump = 1; jump <= 200; jump++) {
            ReplayWindow window = new ReplayWindow(128, false);
            long base = 1000 + jump;
            accept(window, base);
            accept(window, base - 3);
            accept(window, base + jump);
            assertThat(window.check(base)).isEqualTo(jump < 128 ? EspDropReason.REPLAYED : EspDropReason.TOO_OLD);
            assertThat(window.check(base - 3)).isEqualTo(jump + 3 < 128 ? EspDropReason.REPLAYED : EspDropReason.TOO_OLD);
            assertThat(window.check(base - 1)).isEqualTo(jump + 1 < 128 ? null : EspDropReason.TOO_OLD);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 100, 1024, 3000})
    void agreesWithANaiveModelOnRandomTraffic(int size) {
        ReplayWindow window = new ReplayWindow(size, false);
        BitSet seen = new BitSet();
        seen.set(0);
        long top = 0;
        Random random = new Random(size);
        for (int i = 0; i < 50_000; i++) {
            long seq = Math.max(0, top + random.nextInt(3 * size) - 2L * size);
            if (random.nextInt(50) == 0) {
                seq = top + random.nextInt(10 * size);
            }
            EspDropReason expected;
            if (seq > top) {
                expected = null;
            } else if (seq == 0 || top - seq >= size) {
                expected = EspDropReason.TOO_OLD;
            } else {
                expected = seen.get((int) seq) ? EspDropReason.REPLAYED : null;
            }
            assertThat(window.check(seq)).as("step %d seq %d top %d", i, seq, top).isEqualTo(expected);
            if (expected == null && random.nextInt(5) != 0) { // some packets fail their ICV: no update
                window.update(seq);
                seen.set((int) seq);
                top = Math.max(top, seq);
            }
            assertThat(window.highest()).isEqualTo(top);
        }
    }

    @Test
    void checkNeverChangesTheWindow() {
        ReplayWindow window = new ReplayWindow(64, false);
        accept(window, 10);
        assertThat(window.check(1_000_000)).isNull();
        assertThat(window.check(9)).isNull();
        assertThat(window.highest()).isEqualTo(10);
        assertThat(window.check(9)).isNull();
        assertThat(window.check(10)).isEqualTo(EspDropReason.REPLAYED);
    }

    @Test
    void updateLeftOfTheWindowIsIgnored() {
        ReplayWindow window = new ReplayWindow(64, false);
        accept(window, 1000);
        window.update(10);
        assertThat(window.highest()).isEqualTo(1000);
        assertThat(window.check(10)).isEqualTo(EspDropReason.TOO_OLD);
        assertThat(window.check(1000 - 63)).isNull();
    }

    @Test
    void sizesOutsideTheRangeAreRefused() {
        assertThatThrownBy(() -> new ReplayWindow(63, false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64..65536");
        assertThatThrownBy(() -> new ReplayWindow(65537, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ReplayWindow(64, true).extendedSequenceNumbers()).isTrue();
    }

    @Test
    void withoutEsnTheWireValueIsTheSequence() {
        ReplayWindow window = new ReplayWindow(1024, false);
        assertThat(window.inferSequence(5)).isEqualTo(5);
        assertThat(window.inferSequence(0xFFFF_FFFF)).isEqualTo(0xFFFF_FFFFL);
        accept(window, 0xFFFF_FFF0L);
        assertThat(window.inferSequence(3)).isEqualTo(3); // no wrap without ESN
        assertThat(window.check(window.inferSequence(3))).isEqualTo(EspDropReason.TOO_OLD);
    }

    @Test
    void esnCaseAWindowWithinOneEpoch() {
        ReplayWindow window = new ReplayWindow(1024, true);
        long top = (2L << 32) | 5000;
        window.update(top);
        assertThat(window.inferSequence(5000)).isEqualTo(top);
        assertThat(window.inferSequence(5001)).isEqualTo(top + 1);
        assertThat(window.inferSequence(5000 - 1023)).isEqualTo(top - 1023); // bottom edge: same epoch
        assertThat(window.inferSequence(5000 - 1024)).isEqualTo((3L << 32) | (5000 - 1024)); // below: next epoch
        assertThat(window.inferSequence(0)).isEqualTo(3L << 32);
        assertThat(window.inferSequence(0xFFFF_FFFF)).isEqualTo((2L << 32) | 0xFFFF_FFFFL);
    }

    @Test
    void esnCaseBWindowStraddlesTheEpochStart() {
        ReplayWindow window = new ReplayWindow(1024, true);
        long top = (2L << 32) | 100;
        window.update(top);
        assertThat(window.inferSequence(100)).isEqualTo(top);
        assertThat(window.inferSequence(0)).isEqualTo(2L << 32);
        assertThat(window.inferSequence(5000)).isEqualTo((2L << 32) | 5000); // ahead, same epoch
        long bottom = (top - 1023) & 0xFFFF_FFFFL;
        assertThat(window.inferSequence((int) bottom)).isEqualTo((1L << 32) | bottom); // left part: previous epoch
        assertThat(window.inferSequence(0xFFFF_FFFF)).isEqualTo((1L << 32) | 0xFFFF_FFFFL);
        assertThat(window.check(window.inferSequence(0xFFFF_FFFF))).isNull();
        assertThat(window.check(window.inferSequence((int) bottom - 1))).isNull(); // bottom - 1 is read as ahead, next epoch
    }

    @Test
    void esnAcrossThe2To32Boundary() {
        ReplayWindow window = new ReplayWindow(1024, true);
        window.update(0xFFFF_FF00L);
        for (long seq = 0xFFFF_FF01L; seq <= 0x1_0000_0100L; seq++) {
            long inferred = window.inferSequence((int) seq);
            assertThat(inferred).as("wire %x", seq & 0xFFFF_FFFFL).isEqualTo(seq);
            assertThat(accept(window, inferred)).isNull();
        }
        assertThat(window.highest()).isEqualTo(0x1_0000_0100L);
        // Late packets from before the boundary are still recognised as such, and as replays.
        assertThat(window.inferSequence(0xFFFF_FF80)).isEqualTo(0xFFFF_FF80L);
        assertThat(window.check(window.inferSequence(0xFFFF_FF80))).isEqualTo(EspDropReason.REPLAYED);
    }

    @Test
    void esnOutOfOrderAcrossTheBoundary() {
        ReplayWindow window = new ReplayWindow(1024, true);
        window.update(0xFFFF_FFF0L);
        long after = 0x1_0000_0005L;
        assertThat(accept(window, window.inferSequence((int) after))).isNull();
        long late = 0xFFFF_FFF8L; // sent before the wrap, arrives after
        assertThat(window.inferSequence((int) late)).isEqualTo(late);
        assertThat(accept(window, window.inferSequence((int) late))).isNull();
        assertThat(accept(window, window.inferSequence((int) late))).isEqualTo(EspDropReason.REPLAYED);
        assertThat(window.highest()).isEqualTo(after);
    }

    @Test
    void esnInferenceBeforeSequenceZeroIsRejected() {
        ReplayWindow window = new ReplayWindow(1024, true);
        window.update(5);
        long inferred = window.inferSequence(0xFFFF_FF00); // would be epoch -1
        assertThat(inferred).isZero();
        assertThat(window.check(inferred)).isEqualTo(EspDropReason.TOO_OLD);
    }

    @Test
    void esnFreshWindowStartsInEpochZero() {
        ReplayWindow window = new ReplayWindow(64, true);
        assertThat(window.inferSequence(1)).isEqualTo(1);
        assertThat(window.inferSequence(0x7FFF_FFFF)).isEqualTo(0x7FFF_FFFFL);
    }

    @Test
    void unsignedTopHalfOfSequenceNumbersWorks() {
        ReplayWindow window = new ReplayWindow(64, true);
        long huge = 0xFFFF_FFFF_0000_0010L; // beyond Long.MAX_VALUE as unsigned
        assertThat(accept(window, huge)).isNull();
        assertThat(window.check(huge - 1)).isNull();
        assertThat(window.check(huge)).isEqualTo(EspDropReason.REPLAYED);
        assertThat(window.check(5)).isEqualTo(EspDropReason.TOO_OLD);
        assertThat(window.inferSequence(0x11)).isEqualTo(huge + 1);
        assertThat(window.toString()).contains(Long.toUnsignedString(huge));
    }
}
