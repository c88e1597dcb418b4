/**
 * ESP (RFC 4303) in UDP (RFC 3948): security associations, AEAD transforms, the anti-replay window and
 * the wire codecs. Plain code over Netty buffers; it knows nothing of channels or event loops.
 *
 * <p>Filled in by the ESP data-plane issue; until then this package holds only its contract.
 */
package io.steadfast.esp;
