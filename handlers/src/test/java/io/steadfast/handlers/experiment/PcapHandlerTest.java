package io.steadfast.handlers.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelPipelineException;
import io.netty.channel.embedded.EmbeddedChannel;
import io.steadfast.handlers.experiment.PcapHandler.Direction;
import io.steadfast.handlers.experiment.PcapReader.Capture;
import io.steadfast.handlers.experiment.PcapReader.Packet;
import io.steadfast.handlers.testing.Packets;
import io.steadfast.handlers.testing.RootTests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapHandlerTest {
    private static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456789Z");

    @TempDir
    Path dir;

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel channel(PcapHandler handler) {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.checkException();
        channels.add(ch);
        return ch;
    }

    /** A clock that starts at {@link #T0} and moves on by {@code stepMicros} after every reading. */
    private static InstantSource steppingClock(long stepMicros) {
        AtomicLong calls = new AtomicLong();
        return () -> T0.plus(calls.getAndIncrement() * stepMicros, java.time.temporal.ChronoUnit.MICROS);
    }

    private static void writeAndRelease(EmbeddedChannel ch, ByteBuf packet) {
        assertThat(ch.writeInbound(packet)).isTrue();
        ByteBuf out = ch.readInbound();
        assertThat(out).isSameAs(packet);
        out.release();
    }

    @Test
    void emptyCaptureHasAValidFileHeader() throws IOException {
        Path file = dir.resolve("empty.pcap");
        PcapHandler handler = new PcapHandler(file, 1500);
        EmbeddedChannel ch = channel(handler);
        assertThat(handler.capturing()).isTrue();
        ch.pipeline().remove(handler);
        assertThat(handler.capturing()).isFalse();

        byte[] raw = Files.readAllBytes(file);
        assertThat(raw).hasSize(24);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(0xa1b2c3d4);
        assertThat(b.getShort(4)).isEqualTo((short) 2);
        assertThat(b.getShort(6)).isEqualTo((short) 4);
        assertThat(b.getInt(8)).isZero();
        assertThat(b.getInt(12)).isZero();
        assertThat(b.getInt(16)).isEqualTo(1500);
        assertThat(b.getInt(20)).isEqualTo(101);

        Capture capture = PcapReader.read(file);
        assertThat(capture.header().versionMajor()).isEqualTo(2);
        assertThat(capture.header().versionMinor()).isEqualTo(4);
        assertThat(capture.header().snapLength()).isEqualTo(1500);
        assertThat(capture.header().linkType()).isEqualTo(PcapHandler.LINKTYPE_RAW);
        assertThat(capture.packets()).isEmpty();
    }

    @Test
    void defaultSnapLengthIs65535() throws IOException {
        Path file = dir.resolve("default.pcap");
        EmbeddedChannel ch = channel(new PcapHandler(file));
        ch.close();
        assertThat(PcapReader.read(file).header().snapLength()).isEqualTo(65535);
    }

    @Test
    void writesEveryPacketWithItsBytesLengthsAndTimestamps() throws IOException {
        Path file = dir.resolve("five.pcap");
        PcapHandler handler = new PcapHandler(file, 65535, Direction.INBOUND, steppingClock(250_000));
        EmbeddedChannel ch = channel(handler);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ByteBuf p = Packets.udp4("10.1.0." + (i + 1), "10.2.0." + (i + 1), 1000 + i, 2000 + i, 10 * i, i);
            sent.add(Packets.bytes(p));
            writeAndRelease(ch, p);
        }
        ch.close();

        Capture capture = PcapReader.read(file);
        assertThat(capture.packets()).hasSize(5);
        for (int i = 0; i < 5; i++) {
            Packet p = capture.packets().get(i);
            Instant expected = T0.plusNanos(i * 250_000_000L);
            assertThat(p.seconds()).isEqualTo(expected.getEpochSecond());
            assertThat(p.micros()).isEqualTo(expected.getNano() / 1000);
            assertThat(p.includedLength()).isEqualTo(sent.get(i).length);
            assertThat(p.originalLength()).isEqualTo(sent.get(i).length);
            assertThat(p.data()).isEqualTo(sent.get(i));
            assertThat(Packets.ipv4HeaderChecksumOk(p.data())).isTrue();
        }
        long totalBytes = sent.stream().mapToLong(b -> b.length).sum();
        assertThat(handler.counters()).containsExactly(
                org.assertj.core.api.Assertions.entry("packets", 5L),
                org.assertj.core.api.Assertions.entry("bytes", totalBytes),
                org.assertj.core.api.Assertions.entry("write.errors", 0L));
    }

    @Test
    void timestampsHaveMicrosecondResolution() throws IOException {
        Path file = dir.resolve("micros.pcap");
        Instant t = Instant.ofEpochSecond(1_700_000_000L, 999_999_999);
        EmbeddedChannel ch = channel(new PcapHandler(file, 65535, Direction.INBOUND, () -> t));
        writeAndRelease(ch, Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 0, 0));
        ch.close();
        Packet p = PcapReader.read(file).packets().getFirst();
        assertThat(p.seconds()).isEqualTo(1_700_000_000L);
        assertThat(p.micros()).isEqualTo(999_999);
    }

    @Test
    void packetsPassOnUnchangedAndUnread() throws IOException {
        Path file = dir.resolve("pass.pcap");
        PcapHandler handler = new PcapHandler(file, 65535);
        EmbeddedChannel ch = channel(handler);

        byte[] ip = Packets.udp4Bytes("10.9.8.7", "10.6.5.4", 5555, 6666, 33, 3);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(256);
        buf.writeBytes(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}); // not part of the packet
        buf.writeBytes(ip);
        buf.readerIndex(4);
        int readerIndex = buf.readerIndex();
        int writerIndex = buf.writerIndex();

        assertThat(ch.writeInbound(buf)).isTrue();
        ByteBuf out = ch.readInbound();
        try {
            assertThat(out).isSameAs(buf);
            assertThat(out.refCnt()).isEqualTo(1);
            assertThat(out.readerIndex()).isEqualTo(readerIndex);
            assertThat(out.writerIndex()).isEqualTo(writerIndex);
            assertThat(Packets.bytes(out)).isEqualTo(ip);
        } finally {
            out.release();
        }
        assertThat(ch.<Object>readInbound()).isNull();
        ch.close();
        // The capture holds the packet from the reader index on, not the bytes before it.
        assertThat(PcapReader.read(file).packets()).singleElement()
                .satisfies(p -> assertThat(p.data()).isEqualTo(ip));
    }

    @Test
    void snapLengthTruncatesRecordsButKeepsOriginalLength() throws IOException {
        Path file = dir.resolve("snap.pcap");
        PcapHandler handler = new PcapHandler(file, 30);
        EmbeddedChannel ch = channel(handler);
        ByteBuf big = Packets.udp4("10.0.0.1", "10.0.0.2", 7, 9, 72, 1); // 100 bytes
        ByteBuf exact = Packets.udp4("10.0.0.1", "10.0.0.2", 7, 9, 2, 2); // 30 bytes
        ByteBuf small = Packets.udp4("10.0.0.1", "10.0.0.2", 7, 9, 0, 3); // 28 bytes
        byte[] bigBytes = Packets.bytes(big);
        byte[] exactBytes = Packets.bytes(exact);
        byte[] smallBytes = Packets.bytes(small);
        assertThat(bigBytes).hasSize(100);

        writeAndRelease(ch, big);
        writeAndRelease(ch, exact);
        writeAndRelease(ch, small);
        ch.close();

        Capture capture = PcapReader.read(file);
        assertThat(capture.header().snapLength()).isEqualTo(30);
        List<Packet> packets = capture.packets();
        assertThat(packets).hasSize(3);
        assertThat(packets.get(0).includedLength()).isEqualTo(30);
        assertThat(packets.get(0).originalLength()).isEqualTo(100);
        assertThat(packets.get(0).data()).isEqualTo(java.util.Arrays.copyOf(bigBytes, 30));
        assertThat(packets.get(1).includedLength()).isEqualTo(30);
        assertThat(packets.get(1).originalLength()).isEqualTo(30);
        assertThat(packets.get(1).data()).isEqualTo(exactBytes);
        assertThat(packets.get(2).includedLength()).isEqualTo(28);
        assertThat(packets.get(2).originalLength()).isEqualTo(28);
        assertThat(packets.get(2).data()).isEqualTo(smallBytes);
        // bytes counts what passed, not what was kept
        assertThat(handler.counters()).containsEntry("bytes", 158L).containsEntry("packets", 3L);
    }

    @Test
    void packetsLargerThanTheWriteBufferAreWrittenWhole() throws IOException {
        Path file = dir.resolve("large.pcap");
        EmbeddedChannel ch = channel(new PcapHandler(file, PcapHandler.MAX_SNAP_LENGTH));
        List<byte[]> sent = new ArrayList<>();
        int[] payloads = {65_000, 9_000, 65_507, 1, 40_000};
        for (int i = 0; i < payloads.length; i++) {
            ByteBuf p = Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, payloads[i], i);
            sent.add(Packets.bytes(p));
            writeAndRelease(ch, p);
        }
        // a non-IP blob bigger than the 64 KiB write buffer: the capture does not care what the bytes are
        byte[] blob = new byte[150_000];
        for (int i = 0; i < blob.length; i++) blob[i] = (byte) (i * 31);
        ByteBuf blobBuf = PooledByteBufAllocator.DEFAULT.directBuffer(blob.length).writeBytes(blob);
        sent.add(blob);
        writeAndRelease(ch, blobBuf);
        ch.close();

        List<Packet> packets = PcapReader.read(file).packets();
        assertThat(packets).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(packets.get(i).originalLength()).isEqualTo(sent.get(i).length);
            assertThat(packets.get(i).data()).isEqualTo(sent.get(i));
        }
    }

    @Test
    void manyPacketsInOneReadBatchSurviveBufferSpills() throws IOException {
        Path file = dir.resolve("many.pcap");
        PcapHandler handler = new PcapHandler(file, 65535);
        EmbeddedChannel ch = channel(handler);
        List<ByteBuf> batch = Packets.udp4Batch(3000, 100); // ~400 KiB of records before one readComplete
        List<byte[]> sent = batch.stream().map(Packets::bytes).toList();
        assertThat(ch.writeInbound(batch.toArray())).isTrue();
        for (int i = 0; i < sent.size(); i++) {
            ByteBuf out = ch.readInbound();
            assertThat(out).isSameAs(batch.get(i));
            out.release();
        }
        ch.close();
        List<Packet> packets = PcapReader.read(file).packets();
        assertThat(packets).hasSize(3000);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(packets.get(i).data()).isEqualTo(sent.get(i));
        }
        assertThat(handler.counters()).containsEntry("packets", 3000L);
    }

    @Test
    void recordsReachTheFileOnReadCompleteNotBefore() throws IOException {
        Path file = dir.resolve("flush.pcap");
        EmbeddedChannel ch = channel(new PcapHandler(file, 65535));
        ByteBuf p = Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 20, 0);
        int length = p.readableBytes();

        ch.writeOneInbound(p); // channelRead without channelReadComplete
        assertThat(Files.size(file)).isEqualTo(24);
        ch.flushInbound(); // channelReadComplete
        assertThat(Files.size(file)).isEqualTo(24 + 16 + length);
        assertThat(PcapReader.read(file).packets()).hasSize(1);
        ByteBuf out = ch.readInbound();
        out.release();
    }

    @Test
    void channelInactiveClosesTheFileAndLaterPacketsStillPass() throws IOException {
        Path file = dir.resolve("inactive.pcap");
        PcapHandler handler = new PcapHandler(file, 65535);
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ByteBuf p = Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 20, 0);
        ch.writeOneInbound(p); // buffered, not yet flushed
        ch.pipeline().fireChannelInactive();
        assertThat(handler.capturing()).isFalse();
        assertThat(PcapReader.read(file).packets()).hasSize(1); // close flushed it

        ByteBuf late = Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 20, 1);
        ch.pipeline().fireChannelRead(late);
        assertThat(handler.counters()).containsEntry("packets", 1L);
        assertThat(PcapReader.read(file).packets()).hasSize(1);
        ch.finishAndReleaseAll();
        assertThat(p.refCnt()).isZero();
        assertThat(late.refCnt()).isZero();
    }

    @Test
    void nonBufferMessagesPassUntouchedAndAreNotCaptured() throws IOException {
        Path file = dir.resolve("objects.pcap");
        PcapHandler handler = new PcapHandler(file, 65535);
        EmbeddedChannel ch = channel(handler);
        Object marker = "not a packet";
        assertThat(ch.writeInbound(marker)).isTrue();
        assertThat(ch.<Object>readInbound()).isSameAs(marker);
        ch.close();
        assertThat(PcapReader.read(file).packets()).isEmpty();
        assertThat(handler.counters()).containsEntry("packets", 0L);
    }

    @Test
    void inboundOnlyIgnoresOutboundWrites() throws IOException {
        Path file = dir.resolve("in-only.pcap");
        EmbeddedChannel ch = channel(new PcapHandler(file, 65535));
        ByteBuf p = Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 4, 0);
        assertThat(ch.writeOutbound(p)).isTrue();
        ByteBuf out = ch.readOutbound();
        assertThat(out).isSameAs(p);
        out.release();
        ch.close();
        assertThat(PcapReader.read(file).packets()).isEmpty();
    }

    @Test
    void bothDirectionsCapturesOutboundWritesInOrder() throws IOException {
        Path file = dir.resolve("both.pcap");
        PcapHandler handler = new PcapHandler(file, 65535, Direction.BOTH);
        EmbeddedChannel ch = channel(handler);
        ByteBuf in = Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 4, 1);
        ByteBuf outbound = Packets.udp4("10.0.0.2", "10.0.0.1", 2, 1, 8, 2);
        byte[] inBytes = Packets.bytes(in);
        byte[] outBytes = Packets.bytes(outbound);

        writeAndRelease(ch, in);
        ch.write(outbound);
        assertThat(PcapReader.read(file).packets()).hasSize(1); // outbound record waits for flush
        ch.flush();
        ByteBuf written = ch.readOutbound();
        assertThat(written).isSameAs(outbound);
        assertThat(written.readerIndex()).isZero();
        assertThat(Packets.bytes(written)).isEqualTo(outBytes);
        written.release();

        List<Packet> packets = PcapReader.read(file).packets();
        assertThat(packets).extracting(Packet::data).containsExactly(inBytes, outBytes);
        assertThat(handler.counters()).containsEntry("packets", 2L);
    }

    @Test
    void capturesIpv6Packets() throws IOException {
        Path file = dir.resolve("v6.pcap");
        EmbeddedChannel ch = channel(new PcapHandler(file, 65535));
        ByteBuf p = Packets.udp6("2001:db8::1", "2001:db8::2", 3000, 4000, 12, 5);
        byte[] bytes = Packets.bytes(p);
        writeAndRelease(ch, p);
        ch.close();
        assertThat(PcapReader.read(file).packets()).singleElement()
                .satisfies(r -> assertThat(r.data()).isEqualTo(bytes));
    }

    @Test
    void createsMissingParentDirectoriesAndTruncatesAnOldFile() throws IOException {
        Path file = dir.resolve("a/b/c/cap.pcap");
        EmbeddedChannel first = channel(new PcapHandler(file, 65535));
        writeAndRelease(first, Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 500, 0));
        first.close();
        assertThat(PcapReader.read(file).packets()).hasSize(1);

        EmbeddedChannel second = channel(new PcapHandler(file, 65535));
        second.close();
        assertThat(Files.size(file)).isEqualTo(24);
        assertThat(PcapReader.read(file).packets()).isEmpty();
    }

    @Test
    void unwritablePathFailsClearlyWhenTheHandlerIsAdded() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Path file = notADirectory.resolve("sub/cap.pcap");
        PcapHandler handler = new PcapHandler(file, 65535);

        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(handler);
        assertThatThrownBy(ch::checkException)
                .isInstanceOf(ChannelPipelineException.class)
                .cause()
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("pcap: cannot open capture file")
                .hasMessageContaining(file.toString());
        assertThat(handler.capturing()).isFalse();
        assertThat(ch.pipeline().get(PcapHandler.class)).isNull(); // Netty removed the failed handler
        ch.finishAndReleaseAll();
    }

    @Test
    void aDirectoryInPlaceOfTheFileFailsClearly() throws IOException {
        Path file = Files.createDirectory(dir.resolve("cap.pcap"));
        PcapHandler handler = new PcapHandler(file, 65535);
        // Call handlerAdded directly, as a pipeline does: the exception itself must be clear.
        EmbeddedChannel ch = new EmbeddedChannel();
        channels.add(ch);
        ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter());
        assertThatThrownBy(() -> handler.handlerAdded(ch.pipeline().firstContext()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("pcap: cannot open capture file " + file);
    }

    @Test
    void aFullDeviceFailsAtTheFileHeader() {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "/dev/full not available");
        PcapHandler handler = new PcapHandler(full, 65535);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(handler);
        assertThatThrownBy(ch::checkException)
                .cause()
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("/dev/full");
        ch.finishAndReleaseAll();
    }

    /** Accepts {@code budget} bytes, then fails every write; records whether it was closed. */
    private static final class FailingChannel implements WritableByteChannel {
        private final FileChannel delegate;
        private long budget;
        private boolean closed;

        FailingChannel(Path file, long budget) throws IOException {
            this.delegate = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            this.budget = budget;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (src.remaining() > budget) {
                throw new IOException("No space left on device (test)");
            }
            budget -= src.remaining();
            return delegate.write(src);
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            delegate.close();
        }
    }

    @Test
    void aWriteErrorIsCountedStopsTheCaptureAndNeverBreaksTheDataPath() throws IOException {
        Path file = dir.resolve("fails.pcap");
        FailingChannel[] opened = new FailingChannel[1];
        PcapHandler handler = new PcapHandler(file, 65535, Direction.INBOUND, InstantSource.system(), f -> {
            opened[0] = new FailingChannel(f, 24 + 16 + 40); // the header and one 40-byte packet
            return opened[0];
        });
        EmbeddedChannel ch = channel(handler);

        writeAndRelease(ch, Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 12, 0)); // 40 bytes: fits
        assertThat(handler.counters()).containsEntry("write.errors", 0L);
        writeAndRelease(ch, Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 12, 1)); // flush fails
        assertThat(handler.counters()).containsEntry("write.errors", 1L).containsEntry("packets", 2L);
        assertThat(handler.capturing()).isFalse();
        assertThat(opened[0].closed).isTrue();
        assertThat(ch.isActive()).isTrue();

        for (int i = 0; i < 10; i++) {
            writeAndRelease(ch, Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 12, 2 + i));
        }
        ch.checkException();
        assertThat(handler.counters()).containsEntry("write.errors", 1L).containsEntry("packets", 2L);
        ch.close();
        assertThat(PcapReader.read(file).packets()).hasSize(1); // what got out before the error
    }

    @Test
    void aWriteErrorWhileSpillingAFullBufferAlsoStopsTheCapture() throws IOException {
        Path file = dir.resolve("spill.pcap");
        PcapHandler handler = new PcapHandler(file, 65535, Direction.INBOUND, InstantSource.system(),
                f -> new FailingChannel(f, 24));
        EmbeddedChannel ch = channel(handler);
        List<ByteBuf> batch = Packets.udp4Batch(100, 1400); // > 64 KiB within one read batch
        assertThat(ch.writeInbound(batch.toArray())).isTrue();
        for (ByteBuf p : batch) {
            ByteBuf out = ch.readInbound();
            assertThat(out).isSameAs(p);
            assertThat(out.refCnt()).isEqualTo(1);
            out.release();
        }
        assertThat(handler.capturing()).isFalse();
        assertThat(handler.counters().get("write.errors")).isEqualTo(1L);
        assertThat(handler.counters().get("packets")).isBetween(40L, 50L); // the buffer holds ~45 of them
    }

    @Test
    void removingTheHandlerFlushesWhatIsBufferedAndClosesTheFile() throws IOException {
        Path file = dir.resolve("removed.pcap");
        PcapHandler handler = new PcapHandler(file, 65535);
        EmbeddedChannel ch = channel(handler);
        ByteBuf p = Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 30, 0);
        byte[] bytes = Packets.bytes(p);
        ch.writeOneInbound(p); // no readComplete: the record is only in the write buffer
        ch.pipeline().remove(handler);
        assertThat(handler.capturing()).isFalse();
        assertThat(PcapReader.read(file).packets()).singleElement()
                .satisfies(r -> assertThat(r.data()).isEqualTo(bytes));
        ByteBuf out = ch.readInbound();
        out.release();
        ch.writeInbound(Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 30, 1)); // flows on without the tap
        ByteBuf after = ch.readInbound();
        after.release();
        assertThat(PcapReader.read(file).packets()).hasSize(1);
    }

    @Test
    void aPacketSpreadOverACompositeBufferIsCapturedWhole() throws IOException {
        Path file = dir.resolve("composite.pcap");
        EmbeddedChannel ch = channel(new PcapHandler(file, 65535));
        byte[] ip = Packets.udp4Bytes("10.3.3.3", "10.4.4.4", 11, 22, 60, 7);
        io.netty.buffer.CompositeByteBuf composite = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer();
        composite.addComponent(true, PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(ip, 0, 20));
        composite.addComponent(true, PooledByteBufAllocator.DEFAULT.heapBuffer().writeBytes(ip, 20, 8));
        composite.addComponent(true, PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(ip, 28, ip.length - 28));
        writeAndRelease(ch, composite);
        ch.close();
        assertThat(PcapReader.read(file).packets()).singleElement()
                .satisfies(r -> assertThat(r.data()).isEqualTo(ip));
    }

    @Test
    void aWriteErrorWhenClosingIsCountedNotThrown() throws IOException {
        Path file = dir.resolve("close-fails.pcap");
        PcapHandler handler = new PcapHandler(file, 65535, Direction.INBOUND, InstantSource.system(),
                f -> new FailingChannel(f, 24));
        EmbeddedChannel ch = channel(handler);
        ch.writeOneInbound(Packets.udp4("10.0.0.1", "10.0.0.2", 1, 2, 30, 0));
        ByteBuf out = ch.readInbound();
        out.release();
        ch.close().syncUninterruptibly(); // the final drain fails
        ch.checkException();
        assertThat(handler.capturing()).isFalse();
        assertThat(handler.counters()).containsEntry("write.errors", 1L).containsEntry("packets", 1L);
        assertThat(Files.size(file)).isEqualTo(24);
    }

    @Test
    void rejectsBadSnapLengths() {
        Path file = dir.resolve("x.pcap");
        assertThatThrownBy(() -> new PcapHandler(file, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snap length");
        assertThatThrownBy(() -> new PcapHandler(file, PcapHandler.MAX_SNAP_LENGTH + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("262144");
        assertThat(Files.exists(file)).isFalse(); // nothing opened before handlerAdded
    }

    @Test
    void isNotSharable() {
        assertThat(new PcapHandler(dir.resolve("s.pcap")).isSharable()).isFalse();
    }

    @Test
    void tsharkDecodesTheCapturedAddresses() throws Exception {
        Path tshark = RootTests.requireTool("tshark");
        Path file = dir.resolve("tshark.pcap");
        EmbeddedChannel ch = channel(new PcapHandler(file, 65535));
        String[][] flows = {
            {"10.0.0.1", "192.0.2.10"}, {"198.51.100.7", "10.0.0.1"}, {"172.16.5.4", "203.0.113.99"},
        };
        for (int i = 0; i < flows.length; i++) {
            writeAndRelease(ch, Packets.udp4(flows[i][0], flows[i][1], 40000 + i, 47000, 16, i));
        }
        writeAndRelease(ch, Packets.udp6("2001:db8::1", "2001:db8:ffff::2", 45000, 46000, 16, 9));
        ch.close();

        List<String> lines = run(tshark.toString(), "-n", "-r", file.toString(), "-T", "fields",
                "-e", "ip.src", "-e", "ip.dst");
        assertThat(lines).containsExactly(
                "10.0.0.1\t192.0.2.10", "198.51.100.7\t10.0.0.1", "172.16.5.4\t203.0.113.99", "\t");

        List<String> detail = run(tshark.toString(), "-n", "-r", file.toString(), "-T", "fields",
                "-e", "frame.len", "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "udp.srcport", "-e", "udp.dstport");
        assertThat(detail).containsExactly(
                "44\t\t\t40000\t47000", "44\t\t\t40001\t47000", "44\t\t\t40002\t47000",
                "64\t2001:db8::1\t2001:db8:ffff::2\t45000\t46000");

        // the bytes are exactly what was sent: Wireshark verifies the IPv4 header and UDP checksums (1 = good)
        List<String> checksums = run(tshark.toString(), "-n", "-r", file.toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-T", "fields",
                "-e", "ip.checksum.status", "-e", "udp.checksum.status");
        assertThat(checksums).containsExactly("1\t1", "1\t1", "1\t1", "\t1");

        // nothing in the file is malformed as far as Wireshark's dissectors are concerned (the payloads are
        // counting bytes, so the ports are decoded as plain data rather than whatever protocol owns them)
        List<String> summary = run(tshark.toString(), "-n", "-r", file.toString(),
                "-d", "udp.port==47000,data", "-d", "udp.port==46000,data");
        assertThat(summary).hasSize(4).noneMatch(line -> line.contains("Malformed"))
                .allMatch(line -> line.contains("UDP"));
    }

    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("tshark finished").isTrue();
        assertThat(process.exitValue()).as("tshark exit status, output: %s", output).isZero();
        return output.lines().toList();
    }
}
