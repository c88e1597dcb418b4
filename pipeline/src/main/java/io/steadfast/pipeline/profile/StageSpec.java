package io.steadfast.pipeline.profile;

import io.steadfast.pipeline.stages.StageRecipe;

/**
 * One position in a pipeline.
 *
 * @param stage       the registry name, e.g. {@code loss}
 * @param handlerName the unique name of the handler in its Netty pipeline ({@code as = ...}, else the stage name)
 * @param recipe      makes the handler
 * @param needs       what the stage needs from the profile
 */
public record StageSpec(String stage, String handlerName, StageRecipe recipe, java.util.Set<io.steadfast.pipeline.stages.Need> needs) {}
