/**
 * ESP (RFC 4303) in UDP (RFC 3948): security associations, AEAD transforms, the anti-replay window and
 * the wire codecs. Plain code over Netty buffers; it knows nothing of channels or event loops.
 *
 * <ul>
 *   <li>{@link io.steadfast.esp.SecurityAssociation}: one direction of an SA (SPI, transform, keys,
 *       sequence numbers or replay window, lifetime);</li>
 *   <li>{@link io.steadfast.esp.EspEncryptor} / {@link io.steadfast.esp.EspDecryptor}: seal and open
 *       packets in place on a {@code ByteBuf}, returning an {@link io.steadfast.esp.EspDropReason} or null;</li>
 *   <li>{@link io.steadfast.esp.EspAlgorithm}: aes128gcm16, aes256gcm16 (RFC 4106), chacha20poly1305
 *       (RFC 7634) and null (experiments only);</li>
 *   <li>{@link io.steadfast.esp.ReplayWindow}: RFC 4303 3.4.3 window with ESN inference (Appendix A);</li>
 *   <li>{@link io.steadfast.esp.EspInUdp}: ESP, IKE and NAT-keepalive on port 4500;</li>
 *   <li>{@link io.steadfast.esp.Esp}: the protocol constants.</li>
 * </ul>
 *
 * <pre>{@code
 * SecurityAssociation out = SecurityAssociation.outbound(peerSpi, EspAlgorithm.AES128GCM16, keyOut, false, Lifetime.UNLIMITED);
 * SecurityAssociation in = SecurityAssociation.inbound(ourSpi, EspAlgorithm.AES128GCM16, keyIn, false, Lifetime.UNLIMITED);
 * EspEncryptor encryptor = new EspEncryptor(out);   // one per SA, on the thread that sends
 * EspDecryptor decryptor = new EspDecryptor(in);    // one per SA, on the thread that receives
 * }</pre>
 */
package io.steadfast.esp;
