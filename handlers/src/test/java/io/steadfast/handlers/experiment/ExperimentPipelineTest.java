package io.steadfast.handlers.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.steadfast.handlers.experiment.PcapReader.Packet;
import io.steadfast.handlers.testing.Packets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three experiment stages together, as a profile would chain them: loss, then a capture tap, then delay. */
class ExperimentPipelineTest {
    @TempDir
    Path dir;

    @Test
    void lossThenCaptureThenDelayRecordsAndDeliversExactlyTheSurvivorsInOrder() throws Exception {
        Path file = dir.resolve("survivors.pcap");
        LossHandler loss = new LossHandler(0.2, false, new SplittableRandom(2024));
        PcapHandler pcap = new PcapHandler(file, 96);
        DelayHandler delay = new DelayHandler(Duration.ofMillis(25), Duration.ZERO, new SplittableRandom(1));
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(LossHandler.NAME, loss).addLast(PcapHandler.NAME, pcap).addLast(DelayHandler.NAME, delay);
        ch.freezeTime();

        List<ByteBuf> sent = Packets.udp4Batch(500, 200);
        List<byte[]> sentBytes = sent.stream().map(Packets::bytes).toList();
        for (int i = 0; i < sent.size(); i += 50) {
            ch.writeInbound(sent.subList(i, i + 50).toArray()); // ten read batches, 1 ms apart
            ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
        }
        assertThat(ch.<Object>readInbound()).isNull(); // all still held by the delay stage
        long survivors = loss.counters().get("passed");
        assertThat(loss.counters().get("dropped")).isBetween(60L, 140L);
        assertThat(pcap.counters().get("packets")).isEqualTo(survivors);
        assertThat(delay.counters().get("pending")).isEqualTo(survivors);

        ch.advanceTimeBy(25, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        List<ByteBuf> delivered = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readInbound()) != null) {
            delivered.add(b);
        }
        assertThat(delivered).hasSize((int) survivors);
        // delivered in sending order, and exactly the packets not released by the loss stage
        List<Integer> deliveredIndexes = new ArrayList<>();
        for (ByteBuf d : delivered) {
            int index = -1;
            for (int i = 0; i < sent.size(); i++) {
                if (sent.get(i) == d) index = i; // identity: ByteBuf.equals compares contents
            }
            assertThat(index).as("a delivered buffer is one that was sent").isNotNegative();
            deliveredIndexes.add(index);
        }
        assertThat(deliveredIndexes).isSorted().doesNotHaveDuplicates();
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i).refCnt()).isEqualTo(deliveredIndexes.contains(i) ? 1 : 0);
        }

        ch.close();
        List<Packet> records = PcapReader.read(file).packets();
        assertThat(records).hasSize((int) survivors);
        for (int r = 0; r < records.size(); r++) {
            byte[] original = sentBytes.get(deliveredIndexes.get(r));
            assertThat(records.get(r).originalLength()).isEqualTo(original.length);
            assertThat(records.get(r).includedLength()).isEqualTo(96);
            assertThat(records.get(r).data()).isEqualTo(java.util.Arrays.copyOf(original, 96));
        }
        delivered.forEach(ByteBuf::release);
        assertThat(ch.finishAndReleaseAll()).isFalse();
        assertThat(sent).allSatisfy(s -> assertThat(s.refCnt()).isZero());
    }

    @Test
    void aBlackholeUpstreamOfTheDelayLeavesNothingPendingOrLeaked() {
        LossHandler loss = new LossHandler(0.0, false, new SplittableRandom(1));
        DelayHandler delay = new DelayHandler(Duration.ofMillis(50), Duration.ofMillis(10), new SplittableRandom(3));
        EmbeddedChannel ch = new EmbeddedChannel(loss, delay);
        ch.freezeTime();
        List<ByteBuf> before = Packets.udp4Batch(20, 10);
        ch.writeInbound(before.toArray());
        assertThat(loss.control("on")).isEqualTo("loss: blackhole on, probability 0.0");
        List<ByteBuf> during = Packets.udp4Batch(20, 10);
        ch.writeInbound(during.toArray());
        assertThat(during).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        assertThat(delay.counters().get("pending")).isEqualTo(20L);

        ch.advanceTimeBy(60, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        int delivered = 0;
        ByteBuf b;
        while ((b = ch.readInbound()) != null) {
            delivered++;
            b.release();
        }
        assertThat(delivered).isEqualTo(20);
        assertThat(before).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
