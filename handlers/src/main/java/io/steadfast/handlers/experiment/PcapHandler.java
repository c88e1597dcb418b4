package io.steadfast.handlers.experiment;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.RateLimitedLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@value #NAME}: a capture tap that writes every {@link ByteBuf} packet passing inbound (and, with
 * {@link Direction#BOTH}, every one written outbound) to a classic libpcap file, then passes the packet on
 * unchanged. Each buffer must hold one IP packet starting at its reader index.
 *
 * <p>The file uses magic {@code 0xa1b2c3d4} (written little-endian, microsecond timestamps), version 2.4 and
 * link type {@code LINKTYPE_RAW} (101), so Wireshark and tshark decode IPv4 and IPv6 directly. Packets longer
 * than the snap length are truncated in the file ({@code incl_len < orig_len}).
 *
 * <p>The file is opened (parent directories created, existing file truncated) and the file header written when
 * the handler is added; if that fails, {@code handlerAdded} throws an {@link UncheckedIOException} naming the
 * file. Records go through a 64 KiB buffer that is written to the file on {@code channelReadComplete} (and on
 * {@code flush} for outbound captures) and when full; the file is closed on {@code channelInactive} or when the
 * handler is removed. File writes happen on the event loop: this is an experiment tool, not a production tap.
 *
 * <p>A capture never breaks the data path: an I/O error while writing increments {@code write.errors}, is
 * logged (rate-limited), and stops the capture; packets keep flowing. Records still in the buffer when the
 * error happens are lost.
 *
 * <p>Counters: {@code packets} (records captured), {@code bytes} (original length of those packets),
 * {@code write.errors}. Not {@code @Sharable}: one instance per pipeline position.
 *
 * <pre>{@code
 * // capture what comes out of the decryptor, truncated to 128 bytes per packet
 * pipeline.addAfter("esp-decrypt", "pcap", new PcapHandler(Path.of("/tmp/sf/inner.pcap"), 128));
 * // later:  tshark -r /tmp/sf/inner.pcap -T fields -e ip.src -e ip.dst
 * }</pre>
 */
public final class PcapHandler extends ChannelDuplexHandler implements CountingStage {
    /** The stage name profiles use. */
    public static final String NAME = "pcap";
    /** Snap length used when none is given: whole packets up to 64 KiB. */
    public static final int DEFAULT_SNAP_LENGTH = 65535;
    /** Largest snap length accepted (libpcap's maximum). */
    public static final int MAX_SNAP_LENGTH = 262144;

    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int LINKTYPE_RAW = 101;
    static final int FILE_HEADER_LENGTH = 24;
    static final int RECORD_HEADER_LENGTH = 16;
    static final int BUFFER_SIZE = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(PcapHandler.class);

    /** Which packets are captured. */
    public enum Direction {
        /** Packets read inbound through this position (channelRead). */
        INBOUND,
        /** Inbound packets and packets written outbound through this position. */
        BOTH
    }

    /** Opens the capture file; a seam for tests that need a failing channel. */
    @FunctionalInterface
    interface FileOpener {
        WritableByteChannel open(Path file) throws IOException;
    }

    private final Path file;
    private final int snapLength;
    private final Direction direction;
    private final InstantSource clock;
    private final FileOpener opener;
    private final RateLimitedLog writeProblems = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);

    private WritableByteChannel out;
    private ByteBuffer buffer;
    private long packets;
    private long bytes;
    private long writeErrors;

    /** Captures inbound packets to {@code file} with the default snap length. */
    public PcapHandler(Path file) {
        this(file, DEFAULT_SNAP_LENGTH);
    }

    /** Captures inbound packets to {@code file}, keeping at most {@code snapLength} bytes of each. */
    public PcapHandler(Path file, int snapLength) {
        this(file, snapLength, Direction.INBOUND);
    }

    /** Captures packets in {@code direction} to {@code file}, keeping at most {@code snapLength} bytes of each. */
    public PcapHandler(Path file, int snapLength, Direction direction) {
        this(file, snapLength, direction, InstantSource.system(), PcapHandler::openFile);
    }

    /** For tests: a fixed or stepping clock for the record timestamps. */
    PcapHandler(Path file, int snapLength, Direction direction, InstantSource clock) {
        this(file, snapLength, direction, clock, PcapHandler::openFile);
    }

    /** For tests: a clock and a custom way to open the file. */
    PcapHandler(Path file, int snapLength, Direction direction, InstantSource clock, FileOpener opener) {
        this.file = Objects.requireNonNull(file, "file");
        if (snapLength < 1 || snapLength > MAX_SNAP_LENGTH) {
            throw new IllegalArgumentException(
                    "pcap: snap length must be in 1.." + MAX_SNAP_LENGTH + ", got " + snapLength);
        }
        this.snapLength = snapLength;
        this.direction = Objects.requireNonNull(direction, "direction");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    private static WritableByteChannel openFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The capture file. */
    public Path file() {
        return file;
    }

    /** True while packets are being written (between handlerAdded and close or a write error). */
    public boolean capturing() {
        return out != null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (out != null) {
            return;
        }
        WritableByteChannel opened = null;
        try {
            opened = opener.open(file);
            ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(MAGIC_MICROS)
                    .putShort((short) 2) // version major
                    .putShort((short) 4) // version minor
                    .putInt(0) // thiszone: timestamps are UTC
                    .putInt(0) // sigfigs
                    .putInt(snapLength)
                    .putInt(LINKTYPE_RAW)
                    .flip();
            writeFully(opened, header);
        } catch (IOException | RuntimeException e) {
            closeQuietly(opened);
            throw new UncheckedIOException("pcap: cannot open capture file " + file + ": " + e,
                    e instanceof IOException io ? io : new IOException(e));
        }
        out = opened;
        buffer = ByteBuffer.allocate(BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf packet && out != null) {
            capture(packet);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        drain();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (direction == Direction.BOTH && msg instanceof ByteBuf packet && out != null) {
            capture(packet);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (direction == Direction.BOTH) {
            drain();
        }
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        close();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        close();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("packets", packets);
        counters.put("bytes", bytes);
        counters.put("write.errors", writeErrors);
        return counters;
    }

    private void capture(ByteBuf packet) {
        int length = packet.readableBytes();
        int included = Math.min(length, snapLength);
        Instant now = clock.instant();
        try {
            ensureSpace(RECORD_HEADER_LENGTH);
            buffer.putInt((int) now.getEpochSecond())
                    .putInt(now.getNano() / 1000)
                    .putInt(included)
                    .putInt(length);
            int index = packet.readerIndex();
            int remaining = included;
            while (remaining > 0) {
                ensureSpace(1);
                int chunk = Math.min(remaining, buffer.remaining());
                packet.getBytes(index, buffer.array(), buffer.arrayOffset() + buffer.position(), chunk);
                buffer.position(buffer.position() + chunk);
                index += chunk;
                remaining -= chunk;
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        packets++;
        bytes += length;
    }

    private void ensureSpace(int needed) throws IOException {
        if (buffer.remaining() < needed) {
            writeBuffer();
        }
    }

    private void writeBuffer() throws IOException {
        buffer.flip();
        try {
            writeFully(out, buffer);
        } finally {
            buffer.clear();
        }
    }

    private void drain() {
        if (out == null || buffer.position() == 0) {
            return;
        }
        try {
            writeBuffer();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        writeErrors++;
        writeProblems.warn("pcap: writing {} failed, capture stopped: {}", file, e.toString());
        closeQuietly(out);
        out = null;
        buffer = null;
    }

    private void close() {
        if (out == null) {
            return;
        }
        drain();
        if (out == null) {
            return; // drain failed and already closed it
        }
        try {
            out.close();
        } catch (IOException e) {
            writeErrors++;
            writeProblems.warn("pcap: closing {} failed: {}", file, e.toString());
        }
        out = null;
        buffer = null;
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }

    private static void closeQuietly(WritableByteChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing; the original error is what matters
        }
    }
}
