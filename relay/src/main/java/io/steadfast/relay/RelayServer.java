package io.steadfast.relay;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The relay's logic, called by its handler: checks IP-in-IP from clients against the bindings, finds
 * the care-of address for packets to a stable address, and verifies and applies binding updates. One
 * instance per relay; not thread-safe: call it from the relay's one thread (the status accessors too).
 *
 * <pre>{@code
 * RelayServer server = new RelayServer(relay, List.of(AddressPrefix.parse("10.1.0.0/16")), keys, System::nanoTime);
 * // IP-in-IP V -> R from the TUN:
 * RelayDropReason dropped = server.fromClient(packet);        // null: packet is now the inner packet
 * // a packet to S from the cloud:
 * int careOf = server.careOfFor(Ipv4.destination(packet));  // 0: drop, count NO_BINDING
 * IpIp.encapsulate(packet, relay, careOf);
 * // a UDP datagram to R:4505:
 * UpdateResult result = server.handleUpdatePacket(packet, System.nanoTime());
 * // every second or so:
 * server.expire(System.nanoTime());
 * }</pre>
 *
 * <p>Binding updates are checked in this order, cheapest first, so that unauthenticated input costs no
 * MAC: format (MALFORMED_UPDATE), client id (UNKNOWN_CLIENT), the client's token bucket (RATE_LIMITED,
 * {@value Relay#UPDATES_PER_SECOND}/s, burst {@value Relay#UPDATE_BURST}), MAC (BAD_MAC), type and fields
 * (MALFORMED_UPDATE), V == IP source (CARE_OF_MISMATCH), S allowed (STABLE_ADDRESS_NOT_ALLOWED),
 * sequence newer than the client's last accepted one (REPLAYED_UPDATE). The last accepted sequence
 * outlives the binding, so an old update cannot revive an expired binding. Bindings are looked up
 * without consulting the clock: a binding serves until {@link #expire} removes it.
 */
public final class RelayServer {
    private final int relayAddress;
    private final List<AddressPrefix> stablePrefixes;
    private final ClientKeys clientKeys;
    private final LongSupplier clock;
    private final BindingTable table = new BindingTable(1024);
    private final IntMap<ClientState> clients = new IntMap<>(1024);
    private final BindingCodec codec = new BindingCodec();
    private final long[] dropped = new long[RelayDropReason.values().length];
    private long packetsFromClients;
    private long packetsFromPreviousCareOf;
    private long packetsToClients;
    private long updatesAccepted;
    private long acksSent;
    private long bindingsExpired;

    /** Per-client update state; it outlives the client's binding. */
    private static final class ClientState {
        final TokenBucket updates = new TokenBucket(Relay.UPDATES_PER_SECOND, Relay.UPDATE_BURST);
        boolean anyAccepted;
        long lastSequence;
    }

    /**
     * A relay at {@code relayAddress} (R) serving stable addresses within {@code stablePrefixes}, for the
     * clients in {@code clientKeys}; {@code clock} (nanoseconds, e.g. {@code System::nanoTime}) dates the
     * status snapshot.
     */
    public RelayServer(int relayAddress, List<AddressPrefix> stablePrefixes, ClientKeys clientKeys, LongSupplier clock) {
        this.relayAddress = relayAddress;
        this.stablePrefixes = List.copyOf(stablePrefixes);
        this.clientKeys = Objects.requireNonNull(clientKeys, "clientKeys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** R, the relay's address. */
    public int relayAddress() {
        return relayAddress;
    }

    /** The prefixes of stable addresses this relay serves. */
    public List<AddressPrefix> stablePrefixes() {
        return stablePrefixes;
    }

    /** Whether {@code address} lies within a served prefix. */
    public boolean serves(int address) {
        for (AddressPrefix prefix : stablePrefixes) {
            if (prefix.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An IP-in-IP packet from a client (V -> R) at readerIndex: accepted only if it is well formed
     * ({@link IpIp#check}), addressed to R, its inner source is a bound S and its outer source is that
     * binding's V (or its previous V, for {@link Relay#MOVE_GRACE_NANOS} after a move). Then strips the outer header in place (the inner packet is readable), counts it on the
     * binding and returns null; else counts and returns the reason, the buffer untouched.
     */
    public RelayDropReason fromClient(ByteBuf ipip) {
        RelayDropReason problem = IpIp.check(ipip);
        if (problem == null) {
            problem = checkBinding(ipip);
        }
        if (problem != null) {
            dropped[problem.ordinal()]++;
            return problem;
        }
        IpIp.strip(ipip);
        return null;
    }

    private RelayDropReason checkBinding(ByteBuf ipip) {
        if (IpIp.outerDestination(ipip) != relayAddress) {
            return RelayDropReason.WRONG_ADDRESS;
        }
        Binding binding = table.get(IpIp.innerSource(ipip));
        if (binding == null) {
            return RelayDropReason.SPOOFED_INNER_SOURCE;
        }
        if (binding.careOfAddress() != IpIp.outerSource(ipip)) {
            // Only off the fast path: just after a move, the previous V's packets still in flight pass.
            if (!binding.wasCareOf(IpIp.outerSource(ipip), clock.getAsLong())) return RelayDropReason.WRONG_CARE_OF;
            packetsFromPreviousCareOf++;
        }
        binding.countIn();
        packetsFromClients++;
        return null;
    }

    /**
     * The care-of address V to wrap a packet to S in (then {@code IpIp.encapsulate(packet, R, V)}), counted
     * on the binding; 0 if S has no binding (the handler drops the packet and counts NO_BINDING).
     */
    public int careOfFor(int destination) {
        Binding binding = table.get(destination);
        if (binding == null) {
            return 0;
        }
        binding.countOut();
        packetsToClients++;
        return binding.careOfAddress();
    }

    /**
     * Verifies and applies a binding update: the UDP payload's readable bytes, from IP source
     * {@code ipSource}, at {@code nowNanos}. Accepted: S is bound (or stays bound, refreshed) to V for the
     * granted lifetime (the requested one, at most {@value Relay#MAX_LIFETIME_SECONDS} s), and the result
     * carries an ACCEPTED ack. For an authentic update whose sequence is not newer: nothing changes, the
     * result is REPLAYED_UPDATE with an ack of the current state (ACCEPTED again if it is the update last
     * accepted, still in force: a retransmission whose ack was lost; else STALE_SEQUENCE). See
     * {@link UpdateResult} for which refusals are answered. Never throws on bad input; does not move the
     * payload's indices.
     */
    public UpdateResult handleUpdate(ByteBuf udpPayload, int ipSource, long nowNanos) {
        RelayDropReason format = BindingMessage.checkFormat(udpPayload);
        if (format != null) {
            return refuse(format);
        }
        int clientId = BindingMessage.clientId(udpPayload);
        RelayClientConfig client = clientKeys.find(clientId);
        if (client == null) {
            return refuse(RelayDropReason.UNKNOWN_CLIENT);
        }
        ClientState state = clients.get(clientId);
        if (state == null) {
            state = new ClientState();
            clients.put(clientId, state);
        }
        if (!state.updates.tryTake(nowNanos)) {
            return refuse(RelayDropReason.RATE_LIMITED);
        }
        BindingCodec.Parsed parsed = codec.parse(udpPayload, client.key());
        if (!parsed.ok()) {
            return refuse(parsed.reason());
        }
        BindingMessage update = parsed.message();
        if (!update.isUpdate()) {
            return refuse(RelayDropReason.MALFORMED_UPDATE);
        }
        if (update.careOfAddress() != ipSource) {
            return refuse(RelayDropReason.CARE_OF_MISMATCH);
        }
        if (!mayClaim(client, update.stableAddress())) {
            return answer(RelayDropReason.STABLE_ADDRESS_NOT_ALLOWED, client, update.sequence(), update.stableAddress(),
                    update.careOfAddress(), 0, AckStatus.STABLE_ADDRESS_NOT_ALLOWED);
        }
        if (state.anyAccepted && Long.compareUnsigned(update.sequence(), state.lastSequence) <= 0) {
            return reacknowledge(client, state, update, nowNanos);
        }
        state.anyAccepted = true;
        state.lastSequence = update.sequence();
        int granted = Math.min(update.lifetimeSeconds(), Relay.MAX_LIFETIME_SECONDS);
        table.bind(clientId, update.stableAddress(), update.careOfAddress(), update.sequence(), granted, nowNanos);
        updatesAccepted++;
        return answer(null, client, update.sequence(), update.stableAddress(), update.careOfAddress(), granted, AckStatus.ACCEPTED);
    }

    /**
     * {@link #handleUpdate} for a whole IPv4/UDP packet to R:{@value Relay#DEFAULT_PORT} at readerIndex:
     * checks it ({@link BindingPacket#openUdp}; WRONG_ADDRESS if it is not to R:4505), leaves the UDP
     * payload readable, and returns the ack also as a whole packet R:4505 -> source:port.
     */
    public UpdateResult handleUpdatePacket(ByteBuf ipPacket, long nowNanos) {
        int start = ipPacket.readerIndex();
        RelayDropReason problem = BindingPacket.openUdp(ipPacket);
        if (problem == null && (ipPacket.getInt(start + Relay.IPV4_DESTINATION_OFFSET) != relayAddress
                || ipPacket.getUnsignedShort(ipPacket.readerIndex() - 6) != Relay.DEFAULT_PORT)) {
            problem = RelayDropReason.WRONG_ADDRESS;
        }
        if (problem != null) {
            return refuse(problem);
        }
        int source = ipPacket.getInt(start + Relay.IPV4_SOURCE_OFFSET);
        int sourcePort = ipPacket.getUnsignedShort(ipPacket.readerIndex() - Relay.UDP_HEADER_LENGTH);
        UpdateResult result = handleUpdate(ipPacket, source, nowNanos);
        if (result.ack() == null) {
            return result;
        }
        return new UpdateResult(result.reason(), result.ack(),
                BindingPacket.encode(relayAddress, Relay.DEFAULT_PORT, source, sourcePort, result.ack()));
    }

    /** S must be the client's configured S, served here, and not bound to another client. */
    private boolean mayClaim(RelayClientConfig client, int stableAddress) {
        if (stableAddress != client.stableAddress() || !serves(stableAddress)) {
            return false;
        }
        Binding holder = table.get(stableAddress);
        return holder == null || holder.clientId() == client.clientId();
    }

    /** The answer to an authentic update that is not newer than the last accepted one: the current state, nothing changed. */
    private UpdateResult reacknowledge(RelayClientConfig client, ClientState state, BindingMessage update, long nowNanos) {
        Binding current = table.byClient(client.clientId());
        boolean lastAcceptedStillInForce = current != null && update.sequence() == state.lastSequence
                && current.sequence() == update.sequence() && current.careOfAddress() == update.careOfAddress();
        if (lastAcceptedStillInForce) {
            return answer(RelayDropReason.REPLAYED_UPDATE, client, update.sequence(), update.stableAddress(),
                    update.careOfAddress(), current.lifetimeSeconds(), AckStatus.ACCEPTED);
        }
        int careOf = current == null ? 0 : current.careOfAddress();
        int remaining = current == null ? 0 : remainingSeconds(current, nowNanos);
        return answer(RelayDropReason.REPLAYED_UPDATE, client, state.lastSequence, client.stableAddress(), careOf, remaining,
                AckStatus.STALE_SEQUENCE);
    }

    private static int remainingSeconds(Binding binding, long nowNanos) {
        long left = binding.expiresAtNanos() - nowNanos;
        return left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (left + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
    }

    private UpdateResult answer(RelayDropReason reason, RelayClientConfig client, long sequence, int stable, int careOf,
            int lifetimeSeconds, AckStatus status) {
        if (reason != null) {
            dropped[reason.ordinal()]++;
        }
        acksSent++;
        return new UpdateResult(reason, codec.encodeAck(client.key(), client.clientId(), sequence, stable, careOf, lifetimeSeconds, status), null);
    }

    private UpdateResult refuse(RelayDropReason reason) {
        dropped[reason.ordinal()]++;
        return UpdateResult.refused(reason);
    }

    /** Removes the bindings whose lifetime is over at {@code nowNanos}; returns how many. Call periodically (every second or so). */
    public int expire(long nowNanos) {
        int expired = table.expire(nowNanos);
        bindingsExpired += expired;
        return expired;
    }

    /** The binding of S, or null; for reading only. */
    public Binding binding(int stableAddress) {
        return table.get(stableAddress);
    }

    /** The binding of a client, or null; for reading only. */
    public Binding bindingOfClient(int clientId) {
        return table.byClient(clientId);
    }

    /** Number of bindings. */
    public int bindingCount() {
        return table.size();
    }

    /** The bindings now (by the clock), sorted by S. */
    public List<BindingSnapshot> snapshot() {
        long now = clock.getAsLong();
        List<BindingSnapshot> all = new ArrayList<>(table.size());
        for (Binding binding : table.bindings()) {
            all.add(BindingSnapshot.of(binding, now));
        }
        all.sort((a, b) -> Integer.compareUnsigned(a.stableAddress(), b.stableAddress()));
        return all;
    }

    /** How many packets or updates this server refused for {@code reason} (NO_BINDING is the handler's to count). */
    public long dropped(RelayDropReason reason) {
        return dropped[reason.ordinal()];
    }

    /** HMACs computed so far (verifying updates, signing acks): the work updates have caused. */
    public long macComputations() {
        return codec.macComputations();
    }

    /** Updates accepted (bindings created, refreshed or moved). */
    public long updatesAccepted() {
        return updatesAccepted;
    }

    /** Acks produced. */
    public long acksSent() {
        return acksSent;
    }

    /**
     * Every counter by name, for {@code steadfast status}: bindings, packets.from-clients,
     * packets.to-clients, updates.accepted, acks.sent, bindings.expired, mac.computations, and one
     * {@code dropped.*} per reason.
     */
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("bindings", (long) table.size());
        counters.put("packets.from-clients", packetsFromClients);
        counters.put("packets.to-clients", packetsToClients);
        counters.put("packets.from-previous-care-of", packetsFromPreviousCareOf);
        counters.put("updates.accepted", updatesAccepted);
        counters.put("acks.sent", acksSent);
        counters.put("bindings.expired", bindingsExpired);
        counters.put("mac.computations", codec.macComputations());
        for (RelayDropReason reason : RelayDropReason.values()) {
            counters.put(reason.counterName(), dropped[reason.ordinal()]);
        }
        return counters;
    }
}
