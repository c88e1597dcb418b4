/**
 * IKEv2 algorithms and keys: PRF and prf+ (RFC 7296 2.13), SKEYSEED and SK_* (2.14), Child SA KEYMAT (2.17),
 * Diffie-Hellman groups 14, 19 and 31, and SK payload protection (AES-GCM, ChaCha20-Poly1305, AES-CBC with
 * HMAC-SHA2). JCE does the cryptography; Bouncy Castle only derives a P-256 public key from a given private key.
 */
package io.steadfast.ike.crypto;
