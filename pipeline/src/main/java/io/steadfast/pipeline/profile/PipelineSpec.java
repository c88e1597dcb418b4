package io.steadfast.pipeline.profile;

import java.util.List;

/**
 * A named pipeline: the packets read from {@code source} travel through {@code stages} in order.
 *
 * @param name   the pipeline's name in the profile
 * @param source where its packets come from ({@code tun})
 * @param stages the stages, first to last
 */
public record PipelineSpec(String name, String source, List<StageSpec> stages) {

    /** Stage names joined with arrows, e.g. {@code tun-read -> icmp-echo -> tun-write}. */
    public String describe() {
        return String.join(" -> ", stages.stream().map(s -> s.handlerName().equals(s.stage())
                ? s.stage() : s.handlerName() + " (" + s.stage() + ")").toList());
    }
}
