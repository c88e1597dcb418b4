/**
 * IKEv2 (RFC 7296): messages and payloads, one class per exchange, key derivation, authentication and
 * retransmission. Hands Child SA keys to {@code io.steadfast.esp}. Knows nothing of channels.
 *
 * <p>Filled in by the IKEv2 issue; until then this package holds only its contract.
 */
package io.steadfast.ike;
