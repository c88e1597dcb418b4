package io.steadfast.handlers.basic;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.steadfast.handlers.stage.CountingStage;
import java.util.Map;

/** Stage {@code discard}: releases and counts every message; the explicit end of a pipeline that sends nothing. */
public final class DiscardHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    private long discarded;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        discarded++;
        ReferenceCountUtil.release(msg);
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("discarded", discarded);
    }
}
