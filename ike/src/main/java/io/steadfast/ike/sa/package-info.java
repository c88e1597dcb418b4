/**
 * IKE SAs and their exchanges (RFC 7296): the per-IKE-SA state machine {@link io.steadfast.ike.sa.IkeSa}, one
 * class per exchange (IKE_SA_INIT, IKE_AUTH with PSK or certificates, CREATE_CHILD_SA rekeys of Child and IKE SAs,
 * INFORMATIONAL delete and liveness), the responder front end {@link io.steadfast.ike.sa.IkeResponder} with cookies,
 * a cap on half-open SAs and a virtual-IP pool. Plain code driven by its caller: datagrams and timer ticks in,
 * datagrams and events out; no threads, no sockets, time and randomness injected.
 */
package io.steadfast.ike.sa;
