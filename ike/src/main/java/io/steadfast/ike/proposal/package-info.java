/**
 * Proposals in strongSwan's syntax ({@code aes128gcm16-prfsha256-x25519}) each way, and proposal selection for
 * both the responder and the initiator (RFC 7296 2.7).
 */
package io.steadfast.ike.proposal;
