/**
 * IKEv2 (RFC 7296) as plain code, no channels: the constants ({@link io.steadfast.ike.Ike}), the header
 * ({@link io.steadfast.ike.IkeHeader}), whole messages built ({@link io.steadfast.ike.IkeMessageBuilder}) and
 * decoded ({@link io.steadfast.ike.IkeMessageDecoder}) with SK protection and SKF fragments
 * ({@link io.steadfast.ike.FragmentReassembler}), NAT detection and the non-ESP marker
 * ({@link io.steadfast.ike.NatTraversal}). Payloads live in {@code payload}, algorithms and key derivation in
 * {@code crypto} (Child SA keys go to {@code io.steadfast.esp} as {@code SecurityAssociation}s), strongSwan's
 * proposal syntax and proposal selection in {@code proposal}, PSK authentication in {@code auth}.
 *
 * <p>Bad input never throws anything but {@link io.steadfast.ike.IkeParseException}, which names the notify to
 * answer with (or says to drop silently).
 *
 * <p>Not here yet: exchanges and the IKE SA state machine, retransmission, cookies, certificate (RFC 7427)
 * authentication, when to fragment.
 */
package io.steadfast.ike;
