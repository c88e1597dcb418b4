/**
 * The packet relay's protocol: IP-in-IP (RFC 2003), the binding table (stable address S to care-of
 * address V) and authenticated binding updates. Plain code over Netty buffers; no channels.
 *
 * <p>Filled in by the relay issue; until then this package holds only its contract.
 */
package io.steadfast.relay;
