/**
 * Failure detection and failover between gateways: the plain {@link io.steadfast.handlers.failover.FailoverController}
 * and the stages {@code inbound-monitor}, {@code probe-injector} and {@code failover-controller} that adapt it.
 */
package io.steadfast.handlers.failover;
