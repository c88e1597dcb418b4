package io.steadfast.handlers.stage;

import io.netty.channel.Channel;
import java.util.function.Supplier;

/**
 * Writes a stage's output to another channel (the TUN, the UDP socket) with one flush per read batch:
 * {@link #send} queues, {@link #flush} (from {@code channelReadComplete}) pushes what was queued. The
 * target is looked up on first use, so a pipeline may be built before the channel it writes to is open.
 * Used on one event loop only.
 *
 * <pre>{@code
 * private final ChannelSender out = new ChannelSender(env::tun);
 * public void channelRead(ChannelHandlerContext ctx, Object msg) { if (!out.send(msg)) dropped++; }
 * public void channelReadComplete(ChannelHandlerContext ctx) { out.flush(); ctx.fireChannelReadComplete(); }
 * }</pre>
 */
public final class ChannelSender {
    private final Supplier<Channel> target;
    private Channel channel;
    private boolean pendingFlush;

    public ChannelSender(Supplier<Channel> target) {
        this.target = target;
    }

    /** The target channel, or null if it does not exist yet. */
    public Channel channel() {
        if (channel == null) channel = target.get();
        return channel;
    }

    /** True if the target exists and is active, so {@link #send} would take a message. */
    public boolean isOpen() {
        Channel c = channel();
        return c != null && c.isActive();
    }

    /**
     * Queues {@code msg} on the target (a void promise: the target counts its own errors). Returns false,
     * taking nothing, if the target is closed: the caller releases and counts the message.
     */
    public boolean send(Object msg) {
        if (!isOpen()) return false;
        channel.write(msg, channel.voidPromise());
        pendingFlush = true;
        return true;
    }

    /** Flushes the target if anything was queued since the last flush. */
    public void flush() {
        if (pendingFlush) {
            pendingFlush = false;
            channel.flush();
        }
    }
}
