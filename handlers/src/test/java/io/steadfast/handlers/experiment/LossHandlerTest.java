package io.steadfast.handlers.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.steadfast.handlers.testing.Packets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LossHandlerTest {
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel channel(LossHandler handler) {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        channels.add(ch);
        return ch;
    }

    private static ByteBuf packet(int i) {
        return Packets.udp4("10.0.0.1", "10.0.0.2", 1000, 2000, 8, i);
    }

    /** What happened to each of {@code count} packets written one by one: true if it came out. */
    private static final class Outcome {
        final List<ByteBuf> sent = new ArrayList<>();
        final List<Boolean> passed = new ArrayList<>();

        long passedCount() {
            return passed.stream().filter(b -> b).count();
        }

        long droppedCount() {
            return passed.size() - passedCount();
        }
    }

    /** Writes packets one at a time, checks each either comes out as the same buffer or is released, releases them. */
    private static Outcome send(EmbeddedChannel ch, int count) {
        Outcome outcome = new Outcome();
        for (int i = 0; i < count; i++) {
            ByteBuf p = packet(i);
            outcome.sent.add(p);
            ch.writeInbound(p);
            ByteBuf out = ch.readInbound();
            if (out == null) {
                assertThat(p.refCnt()).as("dropped packet %d is released", i).isZero();
                outcome.passed.add(false);
            } else {
                assertThat(out).isSameAs(p);
                assertThat(out.refCnt()).isEqualTo(1);
                assertThat(out.readerIndex()).isZero();
                out.release();
                outcome.passed.add(true);
            }
            assertThat(ch.<Object>readInbound()).isNull();
        }
        return outcome;
    }

    @Test
    void probabilityZeroPassesEverything() {
        LossHandler loss = new LossHandler(0.0, false, new SplittableRandom(1));
        EmbeddedChannel ch = channel(loss);
        Outcome o = send(ch, 2000);
        assertThat(o.passedCount()).isEqualTo(2000);
        assertThat(loss.counters()).containsExactly(entry("passed", 2000L), entry("dropped", 0L));
    }

    @Test
    void probabilityOneDropsEverythingAndReleasesIt() {
        LossHandler loss = new LossHandler(1.0, false, new SplittableRandom(1));
        EmbeddedChannel ch = channel(loss);
        Outcome o = send(ch, 2000);
        assertThat(o.droppedCount()).isEqualTo(2000);
        assertThat(o.sent).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        assertThat(loss.counters()).containsExactly(entry("passed", 0L), entry("dropped", 2000L));
    }

    @Test
    void seededThirtyPercentLossStaysWithinStatisticalBounds() {
        LossHandler loss = new LossHandler(0.3, false, new SplittableRandom(20240506L));
        EmbeddedChannel ch = channel(loss);
        Outcome o = send(ch, 10_000);
        // Binomial(10000, 0.3): mean 3000, sigma ~45.8; allow 5 sigma.
        assertThat(o.droppedCount()).isBetween(2771L, 3229L);
        assertThat(loss.counters().get("dropped")).isEqualTo(o.droppedCount());
        assertThat(loss.counters().get("passed")).isEqualTo(o.passedCount());
        assertThat(o.droppedCount() + o.passedCount()).isEqualTo(10_000);
        // Drops are spread over the run, not bunched: every block of 1000 loses 20..40 %.
        for (int block = 0; block < 10; block++) {
            long drops = o.passed.subList(block * 1000, (block + 1) * 1000).stream().filter(b -> !b).count();
            assertThat(drops).as("drops in block %d", block).isBetween(200L, 400L);
        }
        // Losses are independent: after a drop, the next packet is dropped about 30 % of the time too.
        long afterDrop = 0;
        long dropAfterDrop = 0;
        for (int i = 1; i < o.passed.size(); i++) {
            if (!o.passed.get(i - 1)) {
                afterDrop++;
                if (!o.passed.get(i)) dropAfterDrop++;
            }
        }
        assertThat((double) dropAfterDrop / afterDrop).isBetween(0.22, 0.38);
    }

    @Test
    void sameSeedGivesTheSameDrops() {
        Outcome a = send(channel(new LossHandler(0.5, false, new SplittableRandom(99))), 500);
        Outcome b = send(channel(new LossHandler(0.5, false, new SplittableRandom(99))), 500);
        Outcome c = send(channel(new LossHandler(0.5, false, new SplittableRandom(100))), 500);
        assertThat(a.passed).isEqualTo(b.passed);
        assertThat(a.passed).isNotEqualTo(c.passed);
    }

    @Test
    void dropsExactlyWhenTheRandomDrawIsBelowTheProbability() {
        double[] draws = {0.0, 0.2499, 0.25, 0.9, 0.1};
        RandomGenerator scripted = new RandomGenerator() {
            int next;

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return draws[next++];
            }
        };
        LossHandler loss = new LossHandler(0.25, false, scripted);
        Outcome o = send(channel(loss), draws.length);
        assertThat(o.passed).containsExactly(false, false, true, true, false);
    }

    @Test
    void blackholeOnAndOffThroughControl() {
        LossHandler loss = new LossHandler(0.0, false, new SplittableRandom(3));
        EmbeddedChannel ch = channel(loss);
        assertThat(send(ch, 10).passedCount()).isEqualTo(10);

        assertThat(loss.control("on")).isEqualTo("loss: blackhole on, probability 0.0");
        assertThat(loss.blackhole()).isTrue();
        Outcome during = send(ch, 10);
        assertThat(during.droppedCount()).isEqualTo(10);
        assertThat(during.sent).allSatisfy(b -> assertThat(b.refCnt()).isZero());

        assertThat(loss.control("off")).isEqualTo("loss: blackhole off, probability 0.0");
        assertThat(loss.blackhole()).isFalse();
        assertThat(send(ch, 10).passedCount()).isEqualTo(10);
        assertThat(loss.counters()).containsExactly(entry("passed", 20L), entry("dropped", 10L));
    }

    @Test
    void blackholeOverridesProbabilityAndOffRestoresIt() {
        LossHandler loss = new LossHandler(0.25, false, new SplittableRandom(3));
        EmbeddedChannel ch = channel(loss);
        assertThat(loss.control("on")).isEqualTo("loss: blackhole on, probability 0.25");
        assertThat(send(ch, 200).droppedCount()).isEqualTo(200);
        assertThat(loss.control("off")).isEqualTo("loss: blackhole off, probability 0.25");
        long dropped = send(ch, 2000).droppedCount();
        assertThat(dropped).isBetween(400L, 600L); // 25 % of 2000, sigma ~19
    }

    @Test
    void startingWithTheBlackholeOnDropsFromTheFirstPacket() {
        LossHandler loss = new LossHandler(0.0, true, new SplittableRandom(3));
        assertThat(loss.describe()).isEqualTo("loss: blackhole on, probability 0.0");
        assertThat(send(channel(loss), 5).droppedCount()).isEqualTo(5);
    }

    @Test
    void probabilityCommandChangesTheLossRate() {
        LossHandler loss = new LossHandler(0.0, false, new SplittableRandom(5));
        EmbeddedChannel ch = channel(loss);
        assertThat(loss.control("probability=0.25")).isEqualTo("loss: blackhole off, probability 0.25");
        assertThat(loss.probability()).isEqualTo(0.25);
        assertThat(loss.control("probability=1")).isEqualTo("loss: blackhole off, probability 1.0");
        assertThat(send(ch, 50).droppedCount()).isEqualTo(50);
        assertThat(loss.control("probability=0")).isEqualTo("loss: blackhole off, probability 0.0");
        assertThat(send(ch, 50).passedCount()).isEqualTo(50);
    }

    @Test
    void commandsIgnoreCaseAndSurroundingSpace() {
        LossHandler loss = new LossHandler(0.5, false, new SplittableRandom(5));
        assertThat(loss.control("  ON ")).isEqualTo("loss: blackhole on, probability 0.5");
        assertThat(loss.control("Probability = 0.125")).isEqualTo("loss: blackhole on, probability 0.125");
        assertThat(loss.control("status")).isEqualTo("loss: blackhole on, probability 0.125");
        assertThat(loss.control("off\n")).isEqualTo("loss: blackhole off, probability 0.125");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "enable", "blackhole", "probability", "probability=", "probability=abc",
        "probability=1.5", "probability=-0.1", "probability=NaN", "probability=Infinity", "on off"})
    void badCommandsAreRejectedAndChangeNothing(String command) {
        LossHandler loss = new LossHandler(0.25, false, new SplittableRandom(5));
        assertThatThrownBy(() -> loss.control(command))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("loss: ")
                .hasMessageContaining("accepted: on, off, probability=P");
        assertThat(loss.describe()).isEqualTo("loss: blackhole off, probability 0.25");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.0001, Double.NaN, Double.POSITIVE_INFINITY, -1})
    void constructorRejectsProbabilitiesOutsideZeroToOne(double p) {
        assertThatThrownBy(() -> new LossHandler(p, false, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("probability must be between 0 and 1")
                .hasMessageContaining(String.valueOf(p));
    }

    @Test
    void convenienceConstructorUsesProbabilityMode() {
        LossHandler loss = new LossHandler(1.0);
        assertThat(loss.blackhole()).isFalse();
        assertThat(send(channel(loss), 3).droppedCount()).isEqualTo(3);
    }

    @Test
    void nonBufferMessagesAlwaysPassAndAreNotCounted() {
        LossHandler loss = new LossHandler(1.0, true, new SplittableRandom(1));
        EmbeddedChannel ch = channel(loss);
        Object event = new Object();
        assertThat(ch.writeInbound(event)).isTrue();
        assertThat(ch.<Object>readInbound()).isSameAs(event);
        assertThat(loss.counters()).containsExactly(entry("passed", 0L), entry("dropped", 0L));
    }

    @Test
    void aBatchOfDirectBuffersLeavesNothingUnreleased() {
        LossHandler loss = new LossHandler(0.5, false, new SplittableRandom(11));
        EmbeddedChannel ch = channel(loss);
        List<ByteBuf> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(PooledByteBufAllocator.DEFAULT.directBuffer(64).writeLong(i));
        }
        ch.writeInbound(batch.toArray());
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readInbound()) != null) {
            out.add(b);
        }
        assertThat(out).hasSize((int) (long) loss.counters().get("passed"));
        // order of survivors is kept
        assertThat(out).extracting(x -> x.getLong(0)).isSorted();
        for (ByteBuf sent : batch) {
            assertThat(sent.refCnt()).isEqualTo(out.stream().anyMatch(x -> x == sent) ? 1 : 0);
        }
        out.forEach(ByteBuf::release);
        assertThat(batch).allSatisfy(x -> assertThat(x.refCnt()).isZero());
    }

    @Test
    void isNotSharable() {
        assertThat(new LossHandler(0.1).isSharable()).isFalse();
    }
}
