/**
 * The packet relay's protocol: IP-in-IP (RFC 2003), the binding table (stable address S to care-of
 * address V) and authenticated binding updates. Plain code over Netty buffers; it knows nothing of
 * channels, event loops or the wall clock (time comes in as nanoseconds or a {@code LongSupplier}).
 *
 * <ul>
 *   <li>{@link io.steadfast.relay.IpIp}: encapsulation in place into the headroom, checked
 *       decapsulation, ICMP "fragmentation needed" for the tunnel;</li>
 *   <li>{@link io.steadfast.relay.RelayServer}: the relay's checks (inner source bound, outer source its
 *       V), care-of lookup, binding updates with rate limit, expiry, counters;</li>
 *   <li>{@link io.steadfast.relay.RelayClient}: the client's updates, retransmission, refresh and acks;</li>
 *   <li>{@link io.steadfast.relay.BindingMessage}, {@link io.steadfast.relay.BindingCodec},
 *       {@link io.steadfast.relay.BindingPacket}: the wire format (HMAC-SHA-256) and its IPv4/UDP packet;</li>
 *   <li>{@link io.steadfast.relay.BindingTable}, {@link io.steadfast.relay.Binding}: S -> V, by S and by client;</li>
 *   <li>{@link io.steadfast.relay.Ipv4}, {@link io.steadfast.relay.AddressPrefix}: IPv4 headers and prefixes;</li>
 *   <li>{@link io.steadfast.relay.Relay}: the protocol constants; {@link io.steadfast.relay.RelayDropReason}: why.</li>
 * </ul>
 *
 * <pre>{@code
 * RelayServer server = new RelayServer(relay, List.of(AddressPrefix.parse("10.1.0.0/16")),
 *         ClientKeys.of(List.of(new RelayClientConfig(7, stable, key))), System::nanoTime);
 * RelayClient client = new RelayClient(7, key, stable, relay, 300, System.currentTimeMillis(), System::nanoTime);
 * }</pre>
 */
package io.steadfast.relay;
