package io.steadfast.handlers.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.steadfast.handlers.testing.Packets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DelayHandlerTest {
    private static final Duration MS_100 = Duration.ofMillis(100);

    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final List<ByteBuf> sent = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        // Whatever a test did, no packet it sent may still be referenced by the handler or the channel.
        assertThat(sent).allSatisfy(b -> assertThat(b.refCnt()).as("refCnt of a sent packet").isZero());
    }

    /**
     * Sits after the delay stage and records what reaches it, releasing packets once recorded: {@code "r<id>"} for a
     * packet (its IPv4 identification) and {@code "c"} for a channelReadComplete.
     */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<String> events = new ArrayList<>();
        final List<Integer> ids = new ArrayList<>();
        final List<Object> others = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                assertThat(b.refCnt()).isEqualTo(1);
                assertThat(b.readerIndex()).isZero();
                int id = Packets.ipv4Id(b);
                ids.add(id);
                events.add("r" + id);
                b.release();
            } else {
                others.add(msg);
                events.add("o");
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            events.add("c");
        }

        List<String> drainEvents() {
            List<String> copy = List.copyOf(events);
            events.clear();
            return copy;
        }
    }

    private final Recorder recorder = new Recorder();

    private EmbeddedChannel channel(DelayHandler delay) {
        EmbeddedChannel ch = new EmbeddedChannel(delay, recorder);
        ch.freezeTime();
        channels.add(ch);
        return ch;
    }

    private ByteBuf packet(int id) {
        ByteBuf p = Packets.udp4("10.0.0.1", "10.0.0.2", 1000, 2000, 16, id);
        sent.add(p);
        return p;
    }

    private ByteBuf[] packets(int fromId, int count) {
        ByteBuf[] out = new ByteBuf[count];
        for (int i = 0; i < count; i++) {
            out[i] = packet(fromId + i);
        }
        return out;
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    private static List<Integer> range(int from, int count) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(from + i);
        return out;
    }

    /** Returns scripted jitter offsets (in nanoseconds) and checks the range the handler asks for. */
    private static RandomGenerator scriptedJitter(Duration jitter, long... offsetsNanos) {
        return new RandomGenerator() {
            int next;

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only nextLong(origin, bound) expected");
            }

            @Override
            public long nextLong(long origin, long bound) {
                assertThat(origin).isEqualTo(-jitter.toNanos());
                assertThat(bound).isEqualTo(jitter.toNanos() + 1);
                return offsetsNanos[next++];
            }
        };
    }

    private static RandomGenerator unusedRandom() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new AssertionError("no jitter configured, the random generator must not be used");
            }
        };
    }

    @Test
    void nothingArrivesBeforeTheDelayAndEverythingAfter() {
        DelayHandler delay = new DelayHandler(MS_100, Duration.ZERO, unusedRandom());
        EmbeddedChannel ch = channel(delay);
        ch.writeInbound((Object[]) packets(0, 10));
        assertThat(recorder.ids).isEmpty();
        assertThat(delay.counters()).containsEntry("pending", 10L).containsEntry("delayed", 0L);

        advance(ch, 99);
        assertThat(recorder.ids).isEmpty();
        ch.runPendingTasks();
        assertThat(recorder.ids).isEmpty();

        advance(ch, 1);
        assertThat(recorder.ids).isEqualTo(range(0, 10));
        assertThat(delay.counters()).containsExactly(entry("delayed", 10L), entry("dropped.queue-full", 0L),
                entry("dropped.closed", 0L), entry("pending", 0L));
        assertThat(ch.<Object>readInbound()).isNull(); // the recorder consumed them all
    }

    @Test
    void withoutJitterEachPacketLeavesExactlyOneDelayAfterItArrivedInOrder() {
        DelayHandler delay = new DelayHandler(MS_100, Duration.ZERO, unusedRandom());
        EmbeddedChannel ch = channel(delay);
        ch.writeInbound((Object[]) packets(0, 3)); // t = 0
        advance(ch, 30);
        ch.writeInbound((Object[]) packets(3, 3)); // t = 30
        advance(ch, 40);
        ch.writeInbound((Object[]) packets(6, 3)); // t = 70
        assertThat(recorder.ids).isEmpty();

        advance(ch, 29); // t = 99
        assertThat(recorder.ids).isEmpty();
        advance(ch, 1); // t = 100
        assertThat(recorder.ids).containsExactly(0, 1, 2);
        advance(ch, 29); // t = 129
        assertThat(recorder.ids).containsExactly(0, 1, 2);
        advance(ch, 1); // t = 130
        assertThat(recorder.ids).containsExactly(0, 1, 2, 3, 4, 5);
        advance(ch, 40); // t = 170
        assertThat(recorder.ids).isEqualTo(range(0, 9));
        assertThat(delay.counters()).containsEntry("delayed", 9L).containsEntry("pending", 0L);
    }

    @Test
    void aLongSteadyStreamKeepsItsOrder() {
        DelayHandler delay = new DelayHandler(Duration.ofMillis(20), Duration.ZERO, unusedRandom());
        EmbeddedChannel ch = channel(delay);
        for (int t = 0; t < 500; t++) {
            ch.writeInbound(packet(t)); // one packet per millisecond
            advance(ch, 1);
        }
        advance(ch, 20);
        assertThat(recorder.ids).isEqualTo(range(0, 500));
    }

    @Test
    void firesOneReadCompleteAfterEachReleasedBatch() {
        DelayHandler delay = new DelayHandler(MS_100, Duration.ZERO, unusedRandom());
        EmbeddedChannel ch = channel(delay);
        ch.writeInbound((Object[]) packets(0, 3));
        // The upstream readComplete still passes (downstream may hold non-packet messages to flush).
        assertThat(recorder.drainEvents()).containsExactly("c");
        advance(ch, 10);
        ch.writeInbound((Object[]) packets(3, 2));
        assertThat(recorder.drainEvents()).containsExactly("c");

        advance(ch, 90);
        assertThat(recorder.drainEvents()).containsExactly("r0", "r1", "r2", "c");
        advance(ch, 10);
        assertThat(recorder.drainEvents()).containsExactly("r3", "r4", "c");
        advance(ch, 1000);
        assertThat(recorder.drainEvents()).isEmpty(); // no empty batches, no stray completes
    }

    @Test
    void packetsDueAtOnceAfterALateRunFormOneBatch() {
        DelayHandler delay = new DelayHandler(MS_100, Duration.ZERO, unusedRandom());
        EmbeddedChannel ch = channel(delay);
        ch.writeInbound(packet(0));
        advance(ch, 5);
        ch.writeInbound(packet(1));
        advance(ch, 5);
        ch.writeInbound(packet(2));
        recorder.drainEvents();
        // The event loop was busy: by the time the timer runs, all three are due.
        advance(ch, 500);
        assertThat(recorder.drainEvents()).containsExactly("r0", "r1", "r2", "c");
    }

    @Test
    void jitterStaysWithinBoundsAndReordersLikeNetem() {
        Duration d = Duration.ofMillis(50);
        Duration j = Duration.ofMillis(20);
        DelayHandler delay = new DelayHandler(d, j, new SplittableRandom(42));
        EmbeddedChannel ch = channel(delay);
        int n = 200;
        ch.writeInbound((Object[]) packets(0, n)); // all at t = 0
        Map<Integer, Integer> arrivedAt = new HashMap<>();
        for (int t = 1; t <= 80; t++) {
            advance(ch, 1);
            for (int i = arrivedAt.size(); i < recorder.ids.size(); i++) {
                arrivedAt.put(recorder.ids.get(i), t);
            }
        }
        assertThat(recorder.ids).hasSize(n).containsExactlyInAnyOrderElementsOf(range(0, n));
        assertThat(arrivedAt.values()).allSatisfy(t -> assertThat(t).isBetween(30, 70));
        // uniform over [30, 70] ms: 200 draws reach both ends and the middle
        assertThat(arrivedAt.values().stream().mapToInt(Integer::intValue).min().orElseThrow()).isLessThan(35);
        assertThat(arrivedAt.values().stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThan(65);
        double mean = arrivedAt.values().stream().mapToInt(Integer::intValue).average().orElseThrow();
        assertThat(mean).isBetween(47.0, 54.0);
        // and the packets came out of order
        assertThat(recorder.ids).isNotEqualTo(range(0, n));
        // arrival times are non-decreasing in delivery order: each batch is what was due at that instant
        List<Integer> times = recorder.ids.stream().map(arrivedAt::get).toList();
        assertThat(times).isSorted();
        assertThat(delay.counters()).containsEntry("delayed", (long) n).containsEntry("pending", 0L);
    }

    @Test
    void aLaterPacketWithAShorterHoldOvertakesAndIsNotKeptWaiting() {
        Duration j = Duration.ofMillis(10);
        long ms = 1_000_000L;
        DelayHandler delay = new DelayHandler(Duration.ofMillis(50), j, scriptedJitter(j, 10 * ms, -10 * ms, 0));
        EmbeddedChannel ch = channel(delay);
        ch.writeInbound(packet(1)); // leaves at 60
        ch.writeInbound(packet(2)); // leaves at 40
        ch.writeInbound(packet(3)); // leaves at 50
        advance(ch, 39);
        assertThat(recorder.ids).isEmpty();
        advance(ch, 1);
        assertThat(recorder.ids).containsExactly(2);
        advance(ch, 10);
        assertThat(recorder.ids).containsExactly(2, 3);
        advance(ch, 9);
        assertThat(recorder.ids).containsExactly(2, 3);
        advance(ch, 1);
        assertThat(recorder.ids).containsExactly(2, 3, 1);
    }

    @Test
    void negativeHoldsAreClampedToZero() {
        Duration j = Duration.ofMillis(20);
        long ms = 1_000_000L;
        DelayHandler delay = new DelayHandler(Duration.ofMillis(5), j, scriptedJitter(j, -20 * ms, -5 * ms, 0));
        EmbeddedChannel ch = channel(delay);
        ch.writeInbound((Object[]) packets(1, 3));
        // holds of -15 ms and 0 ms both become 0: out at once (writeInbound runs due tasks), the third at 5 ms
        assertThat(recorder.ids).containsExactly(1, 2);
        advance(ch, 4);
        assertThat(recorder.ids).containsExactly(1, 2);
        advance(ch, 1);
        assertThat(recorder.ids).containsExactly(1, 2, 3);
    }

    @Test
    void jitterLargerThanTheDelayReleasesAboutAThirdAtOnce() {
        // delay 10 ms, jitter 30 ms: holds uniform in [-20, 40] ms, clamped, so P(hold = 0) = 20/60
        DelayHandler delay = new DelayHandler(Duration.ofMillis(10), Duration.ofMillis(30), new SplittableRandom(8));
        EmbeddedChannel ch = channel(delay);
        int n = 900;
        ch.writeInbound((Object[]) packets(0, n));
        int atOnce = recorder.ids.size();
        assertThat(atOnce).isBetween(240, 360); // mean 300, sigma ~14
        advance(ch, 39);
        assertThat(recorder.ids.size()).isLessThan(n);
        advance(ch, 1);
        assertThat(recorder.ids).hasSize(n);
    }

    @Test
    void aQueueOfOneHoldsASinglePacket() {
        DelayHandler delay = new DelayHandler(Duration.ofMillis(10), Duration.ZERO, unusedRandom(), 1);
        EmbeddedChannel ch = channel(delay);
        for (int i = 0; i < 30; i++) {
            ch.writeInbound(packet(i)); // one every 4 ms: only every third packet finds the queue empty
            advance(ch, 4);
        }
        advance(ch, 10);
        assertThat(recorder.ids).containsExactly(0, 3, 6, 9, 12, 15, 18, 21, 24, 27);
        assertThat(delay.counters()).containsEntry("delayed", 10L).containsEntry("dropped.queue-full", 20L);
    }

    @Test
    void zeroDelayPassesOnAtTheNextTaskRunInOrder() {
        DelayHandler delay = new DelayHandler(Duration.ZERO, Duration.ZERO, unusedRandom());
        EmbeddedChannel ch = channel(delay);
        ch.writeInbound((Object[]) packets(0, 5));
        assertThat(recorder.ids).isEqualTo(range(0, 5));
        assertThat(delay.counters()).containsEntry("delayed", 5L);
    }

    @Test
    void aFullQueueDropsAndReleasesNewPackets() {
        DelayHandler delay = new DelayHandler(MS_100, Duration.ZERO, unusedRandom(), 3);
        EmbeddedChannel ch = channel(delay);
        ByteBuf[] batch = packets(0, 5);
        ch.writeInbound((Object[]) batch);
        assertThat(batch[3].refCnt()).isZero();
        assertThat(batch[4].refCnt()).isZero();
        assertThat(batch[0].refCnt()).isEqualTo(1);
        assertThat(delay.counters()).containsEntry("dropped.queue-full", 2L).containsEntry("pending", 3L);

        advance(ch, 100);
        assertThat(recorder.ids).containsExactly(0, 1, 2);
        // room again
        ch.writeInbound((Object[]) packets(10, 3));
        advance(ch, 100);
        assertThat(recorder.ids).containsExactly(0, 1, 2, 10, 11, 12);
        assertThat(delay.counters()).containsExactly(entry("delayed", 6L), entry("dropped.queue-full", 2L),
                entry("dropped.closed", 0L), entry("pending", 0L));
    }

    @Test
    void theDefaultLimitIsTenThousandPackets() {
        DelayHandler delay = new DelayHandler(MS_100, Duration.ZERO, unusedRandom());
        EmbeddedChannel ch = channel(delay);
        for (int i = 0; i < DelayHandler.DEFAULT_MAX_PENDING + 5; i++) {
            ch.writeOneInbound(packet(i));
        }
        assertThat(delay.counters()).containsEntry("pending", 10_000L).containsEntry("dropped.queue-full", 5L);
        advance(ch, 100);
        assertThat(recorder.ids).isEqualTo(range(0, 10_000));
    }

    @Test
    void removingTheHandlerReleasesEveryPendingPacket() {
        DelayHandler delay = new DelayHandler(MS_100, Duration.ofMillis(30), new SplittableRandom(1));
        EmbeddedChannel ch = channel(delay);
        ByteBuf[] batch = packets(0, 50);
        ch.writeInbound((Object[]) batch);
        assertThat(batch).allSatisfy(b -> assertThat(b.refCnt()).isEqualTo(1));

        ch.pipeline().remove(delay);
        assertThat(batch).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        assertThat(delay.counters()).containsEntry("pending", 0L).containsEntry("dropped.closed", 50L);

        advance(ch, 1000); // the timer was cancelled: nothing fires from a removed handler
        assertThat(recorder.ids).isEmpty();
        ch.checkException();
        // without the stage, packets flow straight through
        ch.writeInbound(packet(99));
        assertThat(recorder.ids).containsExactly(99);
    }

    @Test
    void closingTheChannelReleasesEveryPendingPacket() {
        DelayHandler delay = new DelayHandler(MS_100, Duration.ZERO, unusedRandom());
        EmbeddedChannel ch = channel(delay);
        ByteBuf[] batch = packets(0, 20);
        ch.writeInbound((Object[]) batch);
        advance(ch, 50);
        ch.close().syncUninterruptibly();
        assertThat(batch).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        assertThat(delay.counters()).containsEntry("dropped.closed", 20L).containsEntry("delayed", 0L);
        assertThat(recorder.ids).isEmpty();
    }

    @Test
    void afterChannelInactivePacketsAreNoLongerHeld() {
        DelayHandler delay = new DelayHandler(MS_100, Duration.ZERO, unusedRandom());
        EmbeddedChannel ch = channel(delay);
        ch.writeInbound(packet(0));
        ch.pipeline().fireChannelInactive();
        assertThat(sent.getFirst().refCnt()).isZero();
        ch.writeInbound(packet(1));
        assertThat(recorder.ids).containsExactly(1);
        assertThat(delay.counters()).containsEntry("pending", 0L).containsEntry("dropped.closed", 1L);
    }

    @Test
    void aDownstreamCloseDuringABatchReleasesTheRestOnce() {
        DelayHandler delay = new DelayHandler(MS_100, Duration.ZERO, unusedRandom());
        List<Integer> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(delay, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                seen.add(Packets.ipv4Id(b));
                b.release();
                ctx.close(); // e.g. a stage that gives up on the first packet
            }
        });
        ch.freezeTime();
        channels.add(ch);
        ByteBuf[] batch = packets(0, 4);
        ch.writeInbound((Object[]) batch);
        advance(ch, 100);
        assertThat(seen).containsExactly(0);
        assertThat(batch).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        assertThat(delay.counters()).containsEntry("delayed", 1L).containsEntry("dropped.closed", 3L)
                .containsEntry("pending", 0L);
        ch.checkException();
    }

    @Test
    void nonPacketMessagesAreNotHeld() {
        DelayHandler delay = new DelayHandler(MS_100, Duration.ZERO, unusedRandom());
        EmbeddedChannel ch = channel(delay);
        Object event = "user event";
        ch.writeInbound(packet(0), event);
        assertThat(recorder.others).containsExactly(event);
        assertThat(recorder.ids).isEmpty();
        advance(ch, 100);
        assertThat(recorder.ids).containsExactly(0);
        assertThat(delay.counters()).containsEntry("delayed", 1L);
    }

    @Test
    void runsOnARealEventLoopToo() throws Exception {
        io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.local.LocalIoHandler.newFactory());
        try {
            DelayHandler delay = new DelayHandler(Duration.ofMillis(30), Duration.ZERO, unusedRandom());
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(5);
            List<Long> heldNanos = java.util.Collections.synchronizedList(new ArrayList<>());
            long[] start = new long[1];
            io.netty.channel.Channel server = new io.netty.bootstrap.ServerBootstrap()
                    .group(group)
                    .channel(io.netty.channel.local.LocalServerChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter())
                    .bind(new io.netty.channel.local.LocalAddress("delay-test-" + System.nanoTime()))
                    .sync().channel();
            io.netty.channel.Channel client = new io.netty.bootstrap.Bootstrap()
                    .group(group)
                    .channel(io.netty.channel.local.LocalChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(server.localAddress()).sync().channel();
            client.pipeline().addLast(delay, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    heldNanos.add(System.nanoTime() - start[0]);
                    ((ByteBuf) msg).release();
                    done.countDown();
                }
            });
            client.eventLoop().submit(() -> {
                start[0] = System.nanoTime();
                for (int i = 0; i < 5; i++) client.pipeline().fireChannelRead(packet(i));
                client.pipeline().fireChannelReadComplete();
            }).sync();
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(heldNanos).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(29_000_000L));
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new DelayHandler(Duration.ofMillis(-1), Duration.ZERO, unusedRandom()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> new DelayHandler(MS_100, Duration.ofMillis(-1), unusedRandom()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> new DelayHandler(MS_100, Duration.ZERO, unusedRandom(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new DelayHandler(Duration.ofSeconds(Long.MAX_VALUE), Duration.ZERO, unusedRandom()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
    }

    @Test
    void isNotSharable() {
        assertThat(new DelayHandler(MS_100, Duration.ZERO, unusedRandom()).isSharable()).isFalse();
    }
}
