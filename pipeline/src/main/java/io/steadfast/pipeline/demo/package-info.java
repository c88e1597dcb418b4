/** {@code steadfast demo}: a profile-built pipeline in a network namespace of its own, end to end. */
package io.steadfast.pipeline.demo;
