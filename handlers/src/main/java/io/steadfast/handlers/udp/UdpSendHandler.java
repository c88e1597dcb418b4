package io.steadfast.handlers.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.steadfast.esp.EspInUdp;
import io.steadfast.handlers.stage.ChannelSender;
import io.steadfast.handlers.stage.CountingStage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Stage {@code udp-send}: the last stage of a pipeline whose packets leave as UDP datagrams (ESP in UDP
 * 4500). Writes each {@link DatagramPacket} to the UDP channel and flushes once per read batch. Sends a
 * one-byte NAT keepalive (RFC 3948 section 2.3) to every peer it has sent nothing to for the keepalive
 * interval, so that NAT bindings on the path stay open.
 *
 * <p>With {@code gso}, consecutive datagrams of a batch to the same peer with the same length (the last of a
 * run may be shorter) leave as one UDP GSO send ({@code UDP_SEGMENT}, a {@link SegmentedDatagramPacket}):
 * one system call and one trip through the kernel's stack for up to {@value #MAX_SEGMENTS} datagrams, which
 * the kernel cuts apart on the wire. Such runs are what a TUN with TSO hands over: a 64 KB TCP super-packet
 * becomes about 45 equal ESP packets.
 *
 * <pre>{@code
 * tun.pipeline().addLast("esp-encrypt", encrypt)
 *               .addLast("udp-send", new UdpSendHandler(() -> udpChannel, Duration.ofSeconds(20), true));
 * }</pre>
 */
public final class UdpSendHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    /** Peers not sent to for this long are forgotten (no more keepalives). */
    private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** Most datagrams in one GSO send (the kernel's UDP_MAX_SEGMENTS is 64 or more). */
    static final int MAX_SEGMENTS = 64;
    /** Most bytes in one GSO send: an IPv4 UDP payload's limit. */
    static final int MAX_GSO_BYTES = 65_507;

    private final ChannelSender udp;
    private final long keepaliveNanos;
    private boolean gso;       // switched off on first use if the UDP channel cannot send GSO
    private boolean gsoChecked;
    private final Predicate<Channel> gsoCapable;
    private final List<DatagramPacket> run = new ArrayList<>(MAX_SEGMENTS); // pending GSO run: one peer, equal lengths
    private int runLength;    // length of each datagram of the run (the last may be shorter)
    private int runBytes;
    private boolean runClosed; // its last datagram was shorter: nothing more may join
    private final Map<InetSocketAddress, long[]> lastSent = new HashMap<>();
    private io.netty.util.concurrent.Ticker ticker; // the event loop's clock: tests can move it
    private ScheduledFuture<?> keepaliveTask;
    private long sent;
    private long gsoSends;
    private long bytes;
    private long keepalivesSent;
    private long droppedClosed;
    private long droppedNotDatagram;

    /**
     * @param keepalive interval of NAT keepalives; zero switches them off
     * @param gso       send runs of equal datagrams to one peer as one UDP GSO send
     */
    public UdpSendHandler(Supplier<Channel> udp, Duration keepalive, boolean gso) {
        this(udp, keepalive, gso, UdpSendHandler::canSendGso);
    }

    /** As above; {@code gsoCapable} says whether the UDP channel takes GSO sends (tests and benchmarks use sinks). */
    public UdpSendHandler(Supplier<Channel> udp, Duration keepalive, boolean gso, Predicate<Channel> gsoCapable) {
        this.udp = new ChannelSender(udp);
        this.keepaliveNanos = keepalive.toNanos();
        this.gso = gso;
        this.gsoCapable = gsoCapable;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ticker = ctx.executor().ticker();
        if (keepaliveNanos > 0) {
            long period = Math.max(keepaliveNanos / 4, TimeUnit.MILLISECONDS.toNanos(100));
            keepaliveTask = ctx.executor().scheduleAtFixedRate(this::sendKeepalives, period, period, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (keepaliveTask != null) keepaliveTask.cancel(false);
        for (DatagramPacket d : run) d.release();
        run.clear();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket datagram)) {
            droppedNotDatagram++;
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!gsoChecked && udp.isOpen()) {
            gsoChecked = true;
            gso &= gsoCapable.test(udp.channel());
        }
        if (!gso) {
            send(datagram, datagram.recipient(), 1, datagram.content().readableBytes());
            return;
        }
        int length = datagram.content().readableBytes();
        if (!run.isEmpty() && !joins(datagram, length)) sendRun();
        if (run.isEmpty()) {
            runLength = length;
            runBytes = 0;
            runClosed = false;
        }
        run.add(datagram);
        runBytes += length;
        runClosed = length < runLength;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!run.isEmpty()) sendRun();
        udp.flush();
        ctx.fireChannelReadComplete();
    }

    /** True if {@code channel} is a native datagram channel that takes {@link SegmentedDatagramPacket}s. */
    static boolean canSendGso(Channel channel) {
        return channel instanceof EpollDatagramChannel && EpollDatagramChannel.isSegmentedDatagramPacketSupported()
                || channel instanceof IoUringDatagramChannel && IoUringDatagramChannel.isSegmentedDatagramPacketSupported();
    }

    /** True if {@code datagram} may be the next datagram of the pending run. */
    private boolean joins(DatagramPacket datagram, int length) {
        return !runClosed && length <= runLength && run.size() < MAX_SEGMENTS && runBytes + length <= MAX_GSO_BYTES
                && samePeer(run.get(0).recipient(), datagram.recipient());
    }

    /** Packets of one SA share its peer object, so the identity test settles almost every call without equals. */
    private static boolean samePeer(InetSocketAddress a, InetSocketAddress b) {
        return a == b || a.equals(b);
    }

    /** Sends the pending run: one datagram as it is, more as one GSO send of their bytes joined. */
    private void sendRun() {
        DatagramPacket first = run.get(0);
        if (run.size() == 1) {
            send(first, first.recipient(), 1, runBytes);
        } else if (!udp.isOpen()) {
            droppedClosed += run.size();
            for (DatagramPacket d : run) d.release();
        } else {
            ByteBuf joined = udp.channel().alloc().directBuffer(runBytes);
            for (DatagramPacket d : run) {
                joined.writeBytes(d.content());
                d.release();
            }
            gsoSends++;
            send(new SegmentedDatagramPacket(joined, runLength, first.recipient()), first.recipient(), run.size(), runBytes);
        }
        run.clear();
    }

    private void send(DatagramPacket datagram, InetSocketAddress peer, int datagrams, int length) {
        if (!udp.send(datagram)) {
            droppedClosed += datagrams;
            datagram.release();
            return;
        }
        sent += datagrams;
        bytes += length;
        if (keepaliveNanos > 0) touch(peer);
    }

    private void touch(InetSocketAddress peer) {
        long[] at = lastSent.get(peer);
        if (at == null) lastSent.put(peer, at = new long[1]);
        at[0] = ticker.nanoTime();
    }

    /** Runs on the event loop: a keepalive to each peer idle for the interval; forgets long-idle peers. */
    private void sendKeepalives() {
        if (!udp.isOpen()) return;
        Channel out = udp.channel();
        long now = ticker.nanoTime();
        boolean wrote = false;
        var it = lastSent.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            long idle = now - e.getValue()[0];
            if (idle >= FORGET_NANOS) {
                it.remove();
            } else if (idle >= keepaliveNanos) {
                ByteBuf keepalive = EspInUdp.writeKeepalive(out.alloc().directBuffer(1));
                out.write(new DatagramPacket(keepalive, e.getKey()), out.voidPromise());
                keepalivesSent++;
                e.getValue()[0] = now;
                wrote = true;
            }
        }
        if (wrote) out.flush();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("sent", sent);
        c.put("bytes", bytes);
        c.put("gso.sends", gsoSends);
        c.put("keepalives", keepalivesSent);
        c.put("dropped.udp-closed", droppedClosed);
        c.put("dropped.not-a-datagram", droppedNotDatagram);
        return c;
    }
}
