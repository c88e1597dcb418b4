package io.steadfast.handlers.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.ReferenceCountUtil;
import io.steadfast.handlers.offload.OffloadException;
import io.steadfast.handlers.offload.TcpCoalescer;
import io.steadfast.handlers.offload.TcpSegmenter;
import io.steadfast.handlers.offload.VirtioNetHeader;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.RateLimitedLog;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Netty {@link io.netty.channel.Channel} over a {@link TunDevice}: each inbound message is one IP packet read
 * from the device (a direct {@link ByteBuf} the pipeline must release), each outbound {@link ByteBuf} is written
 * as one IP packet. Runs on a {@link io.netty.channel.MultiThreadIoEventLoopGroup} made with
 * {@code EpollIoHandler.newFactory()} or {@code IoUringIoHandler.newFactory()}. Closing the channel closes the
 * device, which destroys it.
 *
 * <p>Reads up to {@link #maxPacketsPerRead()} packets per wakeup, then fires one channelReadComplete. A packet
 * longer than {@link #maxPacketSize()} is dropped and counted as {@code rx.truncated}. A write the kernel refuses
 * with EAGAIN is dropped ({@code tx.dropped}, promise succeeds); any other write error fails that write's
 * promise ({@code tx.errors}); neither stalls the outbound buffer. Counters are read on the event loop.
 *
 * <p>On a device opened with offloads ({@link TunDevice#offloads()}) the pipeline still sees one IP packet per
 * message: a TCP super-packet read from the kernel (TSO) is cut into MTU-sized packets with their checksums
 * ({@link TcpSegmenter}; {@code rx.gso} counts such reads), and consecutive TCP segments of one flow in one
 * flush are written as one super-packet ({@link TcpCoalescer}; {@code tx.gso} counts such writes). A read the
 * segmenter rejects is dropped and counted as {@code rx.malformed}.
 *
 * <pre>{@code
 * EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()); // or IoUringIoHandler
 * TunChannel tun = new TunChannel(TunDevice.open("sf0"));
 * tun.pipeline().addLast(new IpPacketHandler());       // reads ByteBuf packets, may write some back
 * group.register(tun).sync();
 * TunInterface.configure("sf0", 1400, 1000, List.of("10.9.0.1/24"), List.of());
 * ...
 * tun.close().sync();                                   // the device and its addresses and routes are gone
 * }</pre>
 */
public final class TunChannel extends AbstractChannel implements CountingStage {
    /** Default {@link #maxPacketSize()}: above any MTU this project uses (1500 at most). */
    public static final int DEFAULT_MAX_PACKET_SIZE = 2048;
    /** Default {@link #maxPacketsPerRead()}. */
    public static final int DEFAULT_MAX_PACKETS_PER_READ = 64;
    /**
     * Bytes left free before and after each packet read, so that stages can prepend headers (IP-in-IP, ESP)
     * and append trailers (ESP padding and ICV) in place, without a copy.
     */
    public static final int SPARE_ROOM = 64;

    private static final Logger LOG = LoggerFactory.getLogger(TunChannel.class);
    private static final ChannelMetadata METADATA = new ChannelMetadata(false);
    private static final int EBADFD = 77; // errno: read(2) on a TUN fd whose device was deleted
    /** Room for one read or write on a device with offloads: the virtio-net header and a 64 KB packet. */
    private static final int OFFLOAD_SCRATCH = VirtioNetHeader.SIZE + 65_535;
    /** Most flushed packets looked at together for coalescing. */
    private static final int WRITE_BATCH = 128;

    private final TunDevice device;
    private final FileDescriptor fd;
    private final TunAddress address;
    private final DefaultChannelConfig config;
    private final RateLimitedLog writeErrorLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private final RateLimitedLog malformedLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private volatile int maxPacketSize;
    private volatile int maxPacketsPerRead;

    // Event loop only.
    private TunIo io;
    private boolean readPending;
    private long rxPackets, rxBytes, rxTruncated, txPackets, txBytes, txDropped, txErrors;
    private int deliveredInBatch;
    private final java.util.function.Consumer<ByteBuf> deliverer = this::deliver;
    private int collected; // packets of the flush gathered into writeBatch
    private final ChannelOutboundBuffer.MessageProcessor collector = this::collect;
    // Offloads only: one read's and one write's bytes with the virtio-net header, and the packets of a flush.
    private ByteBuf readScratch, writeScratch;
    private ByteBuf[] writeBatch;
    private long rxGso, rxMalformed, txGso;

    /** A channel over {@code device} with the default packet size and batch limits. */
    public TunChannel(TunDevice device) {
        this(device, DEFAULT_MAX_PACKET_SIZE, DEFAULT_MAX_PACKETS_PER_READ);
    }

    /** A channel over {@code device} (which must be open; the channel now owns it). */
    public TunChannel(TunDevice device, int maxPacketSize, int maxPacketsPerRead) {
        super(null);
        if (!device.isOpen()) throw new IllegalArgumentException(device + " is closed");
        this.device = device;
        this.fd = new DeviceFd(device);
        this.address = new TunAddress(device.name());
        this.config = new TunConfig(this);
        maxPacketSize(maxPacketSize);
        maxPacketsPerRead(maxPacketsPerRead);
    }

    /** The device this channel reads and writes. */
    public TunDevice device() {
        return device;
    }

    /** The longest packet delivered; longer ones are dropped as {@code rx.truncated}. */
    public int maxPacketSize() {
        return maxPacketSize;
    }

    /** Sets {@link #maxPacketSize()} (1..65535); takes effect at the next read. */
    public TunChannel maxPacketSize(int bytes) {
        if (bytes < 1 || bytes > 65535) throw new IllegalArgumentException("maxPacketSize must be 1..65535: " + bytes);
        this.maxPacketSize = bytes;
        return this;
    }

    /** The most reads, and the most packets delivered, per wakeup before the loop turns to other work. */
    public int maxPacketsPerRead() {
        return maxPacketsPerRead;
    }

    /** Sets {@link #maxPacketsPerRead()} (at least 1). */
    public TunChannel maxPacketsPerRead(int packets) {
        if (packets < 1) throw new IllegalArgumentException("maxPacketsPerRead must be at least 1: " + packets);
        this.maxPacketsPerRead = packets;
        return this;
    }

    /** rx.packets, rx.bytes, rx.truncated, tx.packets, tx.bytes, tx.dropped, tx.errors; call on the event loop. */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("rx.packets", rxPackets);
        counters.put("rx.bytes", rxBytes);
        counters.put("rx.truncated", rxTruncated);
        counters.put("tx.packets", txPackets);
        counters.put("tx.bytes", txBytes);
        counters.put("tx.dropped", txDropped);
        counters.put("tx.errors", txErrors);
        if (device.offloads()) {
            counters.put("rx.gso", rxGso);
            counters.put("rx.malformed", rxMalformed);
            counters.put("tx.gso", txGso);
        }
        return counters;
    }

    @Override
    public DefaultChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return device.isOpen();
    }

    @Override
    public boolean isActive() {
        return device.isOpen();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public TunAddress localAddress() {
        return address;
    }

    @Override
    public SocketAddress remoteAddress() {
        return null;
    }

    @Override
    protected SocketAddress localAddress0() {
        return address;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return null;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new TunUnsafe();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof IoEventLoop ioLoop
                && (ioLoop.isCompatible(TunEpollHandle.class) || ioLoop.isCompatible(TunUringHandle.class));
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        IoEventLoop loop = (IoEventLoop) eventLoop();
        TunIo handle = loop.isCompatible(TunEpollHandle.class) ? new TunEpollHandle(this) : new TunUringHandle(this);
        loop.register(handle).addListener(f -> {
            if (f.isSuccess()) {
                handle.attach((IoRegistration) f.getNow());
                io = handle;
                if (readPending) handle.wantRead(true);
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        if (io != null) io.wantRead(true);
    }

    @Override
    protected void doDeregister() {
        TunIo handle = io;
        io = null;
        if (handle != null) handle.detach();
    }

    @Override
    protected void doClose() throws IOException {
        readPending = false;
        try {
            doDeregister(); // withdraw from epoll / cancel the io_uring poll while the fd is still open
        } finally {
            releaseScratch();
            device.close();
        }
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("a TUN channel does not bind");
    }

    @Override
    protected void doDisconnect() {
        throw new UnsupportedOperationException("a TUN channel does not disconnect");
    }

    /** Accepts ByteBufs only, copying any without a native address into a pooled direct buffer. */
    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            throw new UnsupportedOperationException("TunChannel writes IP packets as ByteBuf, one per message; got "
                    + (msg == null ? "null" : msg.getClass().getName()));
        }
        if (buf.hasMemoryAddress() || (buf.isDirect() && buf.nioBufferCount() == 1)) return buf;
        ByteBuf direct = config.getAllocator().directBuffer(buf.readableBytes());
        direct.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
        ReferenceCountUtil.safeRelease(buf);
        return direct;
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (device.offloads()) {
            doWriteOffloaded(in);
            return;
        }
        for (Object msg; (msg = in.current()) != null; ) {
            ByteBuf buf = (ByteBuf) msg;
            int length = buf.readableBytes();
            if (length == 0) {
                txErrors++;
                in.remove(new IOException("cannot write an empty packet to TUN device " + device.name()));
                continue;
            }
            int written;
            try {
                written = write(buf);
            } catch (IOException e) {
                txErrors++;
                writeErrorLog.warn("write of a {}-byte packet to TUN device {} failed: {}",
                        length, device.name(), e.getMessage());
                in.remove(e);
                continue;
            }
            if (written == length) {
                txPackets++;
                txBytes += length;
                in.remove();
            } else if (written == 0) {
                txDropped++; // EAGAIN: the device queue is full; drop like any full IP queue
                in.remove();
            } else {
                txErrors++;
                in.remove(new IOException("short write to TUN device " + device.name() + ": "
                        + written + " of " + length + " bytes"));
            }
        }
    }

    /** Writes the flushed packets, consecutive TCP segments of one flow coalesced into one write each. */
    private void doWriteOffloaded(ChannelOutboundBuffer in) throws Exception {
        if (writeScratch == null) {
            writeScratch = config.getAllocator().directBuffer(OFFLOAD_SCRATCH, OFFLOAD_SCRATCH);
            writeBatch = new ByteBuf[WRITE_BATCH];
        }
        while (in.current() != null) {
            collected = 0;
            in.forEachFlushedMessage(collector);
            for (int i = 0; i < collected; ) {
                i += writeCoalesced(in, writeBatch, i, collected);
            }
            Arrays.fill(writeBatch, 0, collected, null);
        }
    }

    private boolean collect(Object msg) {
        writeBatch[collected++] = (ByteBuf) msg;
        return collected < writeBatch.length;
    }

    /** Writes batch[from] and what coalesces with it as one write; removes them from {@code in}; returns how many. */
    private int writeCoalesced(ChannelOutboundBuffer in, ByteBuf[] batch, int from, int count) {
        if (!batch[from].isReadable()) {
            txErrors++;
            in.remove(new IOException("cannot write an empty packet to TUN device " + device.name()));
            return 1;
        }
        ByteBuf out = writeScratch.clear();
        int used = TcpCoalescer.coalesce(batch, from, count - from, out);
        long bytes = 0;
        for (int k = from; k < from + used; k++) bytes += batch[k].readableBytes();
        int length = out.readableBytes();
        IOException failure = null;
        int written = 0;
        try {
            written = write(out);
        } catch (IOException e) {
            failure = e;
            writeErrorLog.warn("write of {} bytes ({} packets) to TUN device {} failed: {}",
                    length, used, device.name(), e.getMessage());
        }
        if (failure == null && written == length) {
            txPackets += used;
            txBytes += bytes;
            if (used > 1) txGso++;
        } else if (failure == null && written == 0) {
            txDropped += used; // EAGAIN: the device queue is full
        } else {
            txErrors += used;
            if (failure == null) failure = new IOException("short write to TUN device " + device.name() + ": "
                    + written + " of " + length + " bytes");
        }
        for (int k = 0; k < used; k++) {
            if (failure == null) in.remove(); else in.remove(failure);
        }
        return used;
    }

    /** Called by the transport handle when the fd is readable: reads one batch, then updates read interest. */
    void readReady() {
        if (wantsRead() && isOpen()) readBatch();
        TunIo handle = io;
        if (handle != null && isOpen()) handle.wantRead(wantsRead());
    }

    /** As Netty's own channels: with autoRead on, reading never stops; off, each read() allows one batch. */
    private boolean wantsRead() {
        return readPending || config.isAutoRead();
    }

    private void readBatch() {
        ByteBufAllocator allocator = config.getAllocator();
        int batch = maxPacketsPerRead;
        deliveredInBatch = 0;
        IOException failure = null;
        for (int i = 0; i < batch && deliveredInBatch < batch && isOpen(); i++) {
            try {
                if (!(device.offloads() ? readOffloaded(allocator) : readPlain(allocator))) break;
            } catch (IOException e) {
                failure = new IOException("cannot read from TUN device " + device.name() + ": " + e.getMessage()
                        + (e instanceof Errors.NativeIoException n && n.expectedErr() == -EBADFD
                                ? " (the device was deleted)" : ""), e);
                break;
            }
        }
        if (deliveredInBatch > 0) pipeline().fireChannelReadComplete();
        if (failure != null) ioFailed(failure);
    }

    /** Reads one packet into a pooled buffer and delivers it; false if there was nothing to read. */
    private boolean readPlain(ByteBufAllocator allocator) throws IOException {
        int size = maxPacketSize + 1; // one spare byte tells a packet of exactly maxPacketSize from a longer one
        ByteBuf buf = allocator.directBuffer(SPARE_ROOM + size + SPARE_ROOM);
        int length;
        try {
            length = read(buf, SPARE_ROOM, size);
        } catch (IOException e) {
            buf.release();
            throw e;
        }
        if (length <= 0) { // 0: EAGAIN, nothing left; -1: end of file, which a TUN does not report
            buf.release();
            return false;
        }
        if (length >= size) {
            rxTruncated++;
            buf.release();
            return true;
        }
        buf.setIndex(SPARE_ROOM, SPARE_ROOM + length);
        deliver(buf);
        return true;
    }

    /** Reads one virtio-net header and packet and delivers the packets it stands for; false if nothing to read. */
    private boolean readOffloaded(ByteBufAllocator allocator) throws IOException {
        if (readScratch == null) readScratch = allocator.directBuffer(OFFLOAD_SCRATCH, OFFLOAD_SCRATCH);
        ByteBuf scratch = readScratch.clear();
        int length = read(scratch, 0, OFFLOAD_SCRATCH);
        if (length <= 0) return false;
        scratch.writerIndex(length);
        if (length > VirtioNetHeader.SIZE && VirtioNetHeader.gsoType(scratch, 0) != VirtioNetHeader.GSO_NONE) rxGso++;
        try {
            TcpSegmenter.split(scratch, allocator, SPARE_ROOM, deliverer);
        } catch (OffloadException e) {
            rxMalformed++;
            malformedLog.warn("dropped a {}-byte read from TUN device {}: {}", length, device.name(), e.getMessage());
        }
        return true;
    }

    private void deliver(ByteBuf packet) {
        rxPackets++;
        rxBytes += packet.readableBytes();
        if (deliveredInBatch++ == 0) readPending = false; // a handler may call read() again meanwhile
        pipeline().fireChannelRead(packet);
    }

    private void releaseScratch() {
        if (readScratch != null) readScratch.release();
        if (writeScratch != null) writeScratch.release();
        readScratch = writeScratch = null;
    }

    /** The device reported an error (it was deleted, say): fire the cause and close. */
    void deviceFailed(String detail) {
        ioFailed(new IOException("TUN device " + device.name() + " failed (" + detail + "); was it deleted?"));
    }

    void ioFailed(IOException cause) {
        if (!isOpen()) return;
        pipeline().fireExceptionCaught(cause);
        unsafe().close(unsafe().voidPromise());
    }

    FileDescriptor fd() {
        return fd;
    }

    private int read(ByteBuf buf, int offset, int size) throws IOException {
        if (buf.hasMemoryAddress()) return fd.readAddress(buf.memoryAddress(), offset, offset + size);
        ByteBuffer nio = buf.internalNioBuffer(offset, size);
        return fd.read(nio, nio.position(), nio.limit());
    }

    private int write(ByteBuf buf) throws IOException {
        if (buf.hasMemoryAddress()) return fd.writeAddress(buf.memoryAddress(), buf.readerIndex(), buf.writerIndex());
        ByteBuffer nio = buf.internalNioBuffer(buf.readerIndex(), buf.readableBytes());
        return fd.write(nio, nio.position(), nio.limit());
    }

    private void autoReadCleared() {
        if (!isRegistered()) {
            readPending = false;
        } else if (eventLoop().inEventLoop()) {
            readPending = false;
            if (io != null) io.wantRead(false);
        } else {
            eventLoop().execute(this::autoReadCleared);
        }
    }

    private final class TunUnsafe extends AbstractUnsafe {
        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            safeSetFailure(promise, new UnsupportedOperationException("a TUN channel does not connect"));
        }
    }

    /** The device's fd as Netty sees it; its open state and close follow the {@link TunDevice}. */
    private static final class DeviceFd extends FileDescriptor {
        private final TunDevice device;

        DeviceFd(TunDevice device) {
            super(device.fd());
            this.device = device;
        }

        @Override
        public boolean isOpen() {
            return device.isOpen();
        }

        @Override
        public void close() throws IOException {
            device.close();
        }
    }

    private static final class TunConfig extends DefaultChannelConfig {
        TunConfig(TunChannel channel) {
            super(channel);
        }

        @Override
        protected void autoReadCleared() {
            ((TunChannel) channel).autoReadCleared();
        }
    }
}
