/**
 * User events stages send one another through a pipeline (e.g. {@link io.steadfast.handlers.event.TunnelChanged}),
 * kept apart so that the stages that fire them and the stages that take them need not know each other.
 */
package io.steadfast.handlers.event;
