package io.steadfast.handlers.basic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.steadfast.handlers.stage.ChannelSender;
import io.steadfast.handlers.stage.CountingStage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Stage {@code tun-write}: the last stage of a pipeline whose packets go to the TUN device. Writes every
 * packet to the TUN channel and flushes once per read batch, so a burst costs one flush.
 *
 * <p>The TUN channel is looked up on first use, which lets a pipeline on another source (a UDP socket)
 * end in the TUN. A packet that arrives while the TUN is closed is dropped and counted.
 *
 * <pre>{@code
 * tunChannel.pipeline().addLast("tun-write", new TunWriteHandler(() -> tunChannel));
 * }</pre>
 */
public final class TunWriteHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    private final ChannelSender tun;
    private long written;
    private long droppedClosed;
    private long droppedNotPacket;

    public TunWriteHandler(Supplier<Channel> tun) {
        this.tun = new ChannelSender(tun);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            droppedNotPacket++;
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!tun.send(msg)) {
            droppedClosed++;
            ReferenceCountUtil.release(msg);
            return;
        }
        written++;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        tun.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("written", written);
        c.put("dropped.tun-closed", droppedClosed);
        c.put("dropped.not-a-packet", droppedNotPacket);
        return c;
    }
}
