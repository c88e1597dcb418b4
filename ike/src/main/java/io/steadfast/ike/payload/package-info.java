/**
 * IKEv2 payloads (RFC 7296 3.2-3.15, RFC 7383 2.5), one record per payload type, and
 * {@link io.steadfast.ike.payload.PayloadChain}, which walks and writes chains of them.
 */
package io.steadfast.ike.payload;
