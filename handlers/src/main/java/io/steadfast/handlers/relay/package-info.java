/**
 * The relay stages: {@code ipip-encap}, {@code relay-client} and {@code ipip-decap} on the client,
 * {@code relay-server} on the relay; thin adapters over {@code io.steadfast.relay}.
 */
package io.steadfast.handlers.relay;
