/** The local control socket: {@code steadfast status} and {@code steadfast control} talk to a running instance. */
package io.steadfast.pipeline.control;
