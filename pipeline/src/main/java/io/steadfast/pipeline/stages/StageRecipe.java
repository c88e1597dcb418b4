package io.steadfast.pipeline.stages;

import io.netty.channel.ChannelHandler;

/** A stage with its options read and checked; makes a fresh handler for each pipeline it is placed in. */
@FunctionalInterface
public interface StageRecipe {

    ChannelHandler newHandler(StageEnvironment environment);
}
