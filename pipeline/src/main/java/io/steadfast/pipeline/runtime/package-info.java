/** Running a profile: transport choice, the TUN channel, pipelines built from stage recipes. */
package io.steadfast.pipeline.runtime;
