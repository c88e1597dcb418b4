package io.steadfast.handlers.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.steadfast.esp.EspInUdp;
import io.steadfast.handlers.stage.ChannelSender;
import io.steadfast.handlers.stage.CountingStage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Stage {@code udp-send}: the last stage of a pipeline whose packets leave as UDP datagrams (ESP in UDP
 * 4500). Writes each {@link DatagramPacket} to the UDP channel and flushes once per read batch. Sends a
 * one-byte NAT keepalive (RFC 3948 section 2.3) to every peer it has sent nothing to for the keepalive
 * interval, so that NAT bindings on the path stay open.
 *
 * <pre>{@code
 * tun.pipeline().addLast("esp-encrypt", encrypt)
 *               .addLast("udp-send", new UdpSendHandler(() -> udpChannel, Duration.ofSeconds(20)));
 * }</pre>
 */
public final class UdpSendHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    /** Peers not sent to for this long are forgotten (no more keepalives). */
    private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final ChannelSender udp;
    private final long keepaliveNanos;
    private final Map<InetSocketAddress, long[]> lastSent = new HashMap<>();
    private io.netty.util.concurrent.Ticker ticker; // the event loop's clock: tests can move it
    private ScheduledFuture<?> keepaliveTask;
    private long sent;
    private long bytes;
    private long keepalivesSent;
    private long droppedClosed;
    private long droppedNotDatagram;

    /** @param keepalive interval of NAT keepalives; zero switches them off */
    public UdpSendHandler(Supplier<Channel> udp, Duration keepalive) {
        this.udp = new ChannelSender(udp);
        this.keepaliveNanos = keepalive.toNanos();
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
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket datagram)) {
            droppedNotDatagram++;
            ReferenceCountUtil.release(msg);
            return;
        }
        InetSocketAddress peer = datagram.recipient();
        int length = datagram.content().readableBytes();
        if (!udp.send(datagram)) {
            droppedClosed++;
            datagram.release();
            return;
        }
        sent++;
        bytes += length;
        if (keepaliveNanos > 0) touch(peer);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        udp.flush();
        ctx.fireChannelReadComplete();
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
        c.put("keepalives", keepalivesSent);
        c.put("dropped.udp-closed", droppedClosed);
        c.put("dropped.not-a-datagram", droppedNotDatagram);
        return c;
    }
}
