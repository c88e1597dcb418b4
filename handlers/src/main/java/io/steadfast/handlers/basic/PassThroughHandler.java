package io.steadfast.handlers.basic;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.steadfast.handlers.stage.CountingStage;
import java.util.Map;

/**
 * Stage {@code pass}: passes every message on and counts it. A placeholder for experiments and the
 * yardstick of the framework's own per-stage cost in the benchmarks.
 */
public final class PassThroughHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    private long passed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        passed++;
        ctx.fireChannelRead(msg);
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("passed", passed);
    }
}
