/**
 * The stage registry: stage name to {@link io.steadfast.pipeline.stages.StageFactory}, filled by Dagger
 * from {@link io.steadfast.pipeline.stages.StagesModule}.
 */
package io.steadfast.pipeline.stages;
