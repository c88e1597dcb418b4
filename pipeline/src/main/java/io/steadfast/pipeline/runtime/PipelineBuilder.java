package io.steadfast.pipeline.runtime;

import io.netty.channel.ChannelPipeline;
import io.steadfast.pipeline.profile.PipelineSpec;
import io.steadfast.pipeline.profile.StageSpec;
import io.steadfast.pipeline.stages.StageEnvironment;

/**
 * Puts the stages of a {@link PipelineSpec} into a Netty pipeline, each handler under its stage name,
 * in profile order. Works on any channel, an {@code EmbeddedChannel} included.
 *
 * <pre>{@code
 * PipelineBuilder.build(spec, tunChannel.pipeline(), environment);
 * }</pre>
 */
public final class PipelineBuilder {
    private PipelineBuilder() {}

    public static void build(PipelineSpec spec, ChannelPipeline pipeline, StageEnvironment environment) {
        for (StageSpec stage : spec.stages()) {
            pipeline.addLast(stage.handlerName(), stage.recipe().newHandler(environment));
        }
    }
}
