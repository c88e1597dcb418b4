package io.steadfast.relay;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The client's side of the relay protocol, called by the client's handler: after every tunnel switch it
 * produces a binding update (S -> the new V), retransmits it until the relay acknowledges it, and
 * refreshes the binding before its lifetime ends. Also checks and unwraps IP-in-IP from the relay.
 * Not thread-safe: call it from the client's one thread.
 *
 * <pre>{@code
 * RelayClient client = new RelayClient(7, key, stable, relay, 300, System.currentTimeMillis(), System::nanoTime);
 * client.tunnelChanged(virtualIp);                     // at start and after every switch
 * UpdateToSend update = client.pollUpdate(now);        // on every timer tick: null if nothing is due
 * if (update != null) sendThroughTunnel(update.packet());
 * schedule(client.nextDeadline());                     // NO_DEADLINE: nothing to wait for
 * client.handleAckPacket(udpFromRelay);                // true: the relay now maps S to V
 * }</pre>
 *
 * <p>Schedule of one update: sent at once, then again after 100 ms, 200, 400, ... doubling up to
 * {@link Relay#MAX_RETRANSMIT_NANOS} (5 s) between sends, until the matching ACCEPTED ack. A new
 * tunnel change supersedes it with a higher sequence. Once acknowledged, a refresh (a new update, same
 * V) is due at 2/3 of the granted lifetime, counted from the first send of the acknowledged update.
 *
 * <p>Sequence numbers: the first is the wall-clock time given at construction in epoch milliseconds,
 * shifted left by 16, and each new update takes the next. A restarted client therefore starts above
 * every sequence it used before, unless it sent more than 65 536 updates per millisecond of its former
 * life or its wall clock went back; in that case the relay's STALE_SEQUENCE ack names its last accepted
 * sequence and the client continues above it.
 */
public final class RelayClient {
    /** {@link #nextDeadline()} when nothing is scheduled (before the first {@link #tunnelChanged}). */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final int clientId;
    private final byte[] key;
    private final int stableAddress;
    private final int relayAddress;
    private final int lifetimeSeconds;
    private final LongSupplier clock;
    private final BindingCodec codec = new BindingCodec();
    private long nextSequence;
    private int careOf;
    private Outstanding outstanding;
    private boolean bound;
    private int acknowledgedCareOf;
    private long acknowledgedSequence;
    private int grantedLifetimeSeconds;
    private long refreshAtNanos;
    private AckStatus lastRefusal;
    private RelayDropReason lastAckDrop;
    private long updatesSent;
    private long retransmits;
    private long acksAccepted;
    private long packetsFromRelay;

    /** The update in flight: sent (or due) and not yet acknowledged. */
    private static final class Outstanding {
        final long sequence;
        final int careOf;
        final byte[] packet;
        long dueAtNanos;
        long intervalNanos = Relay.FIRST_RETRANSMIT_NANOS;
        long firstSentNanos;
        int attempts;

        Outstanding(long sequence, int careOf, byte[] packet, long dueAtNanos) {
            this.sequence = sequence;
            this.careOf = careOf;
            this.packet = packet;
            this.dueAtNanos = dueAtNanos;
        }
    }

    /**
     * A client with id {@code clientId} and its key (copied), claiming S = {@code stableAddress} at the relay
     * R = {@code relayAddress}, asking for {@code lifetimeSeconds} (at least 1); {@code epochMillis} is
     * the wall clock now (e.g. {@code System.currentTimeMillis()}), the start of its sequence numbers;
     * {@code clock} gives monotonic nanoseconds (e.g. {@code System::nanoTime}).
     */
    public RelayClient(int clientId, byte[] key, int stableAddress, int relayAddress, int lifetimeSeconds, long epochMillis,
            LongSupplier clock) {
        if (key.length < Relay.MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("a binding key has at least " + Relay.MIN_KEY_LENGTH + " bytes, not " + key.length);
        }
        if (lifetimeSeconds < 1) {
            throw new IllegalArgumentException("lifetime " + lifetimeSeconds + " s; at least 1");
        }
        if (epochMillis <= 0 || epochMillis >= 1L << (63 - Relay.SEQUENCE_MILLIS_SHIFT)) {
            throw new IllegalArgumentException("epoch milliseconds " + epochMillis + " out of range");
        }
        this.clientId = clientId;
        this.key = key.clone();
        this.stableAddress = stableAddress;
        this.relayAddress = relayAddress;
        this.lifetimeSeconds = lifetimeSeconds;
        this.nextSequence = epochMillis << Relay.SEQUENCE_MILLIS_SHIFT;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The tunnel now has address {@code newCareOf} (V): a new update, due at once, supersedes any outstanding one. */
    public void tunnelChanged(int newCareOf) {
        tunnelChanged(newCareOf, clock.getAsLong());
    }

    /** {@link #tunnelChanged(int)} at {@code nowNanos}. */
    public void tunnelChanged(int newCareOf, long nowNanos) {
        if (newCareOf == 0) {
            throw new IllegalArgumentException("0.0.0.0 is no care-of address");
        }
        careOf = newCareOf;
        lastRefusal = null;
        startUpdate(nowNanos);
    }

    private void startUpdate(long nowNanos) {
        long sequence = nextSequence++;
        byte[] payload = codec.encodeUpdate(key, clientId, sequence, stableAddress, careOf, lifetimeSeconds);
        byte[] packet = BindingPacket.encode(careOf, Relay.DEFAULT_PORT, relayAddress, Relay.DEFAULT_PORT, payload);
        outstanding = new Outstanding(sequence, careOf, packet, nowNanos);
    }

    /**
     * The update to send at {@code nowNanos}, or null if none is due: the outstanding update when its
     * (re)transmission time has come, or a refresh once 2/3 of the granted lifetime has passed.
     */
    public UpdateToSend pollUpdate(long nowNanos) {
        if (outstanding == null) {
            if (!bound || nowNanos - refreshAtNanos < 0) {
                return null;
            }
            startUpdate(nowNanos);
        }
        Outstanding o = outstanding;
        if (nowNanos - o.dueAtNanos < 0) {
            return null;
        }
        int attempt = o.attempts++;
        if (attempt == 0) {
            o.firstSentNanos = nowNanos;
        } else {
            retransmits++;
        }
        updatesSent++;
        o.dueAtNanos = nowNanos + o.intervalNanos;
        o.intervalNanos = Math.min(o.intervalNanos * 2, Relay.MAX_RETRANSMIT_NANOS);
        return new UpdateToSend(o.packet, o.sequence, o.careOf, attempt);
    }

    /** When {@link #pollUpdate} next has something to send (nanoseconds of the clock), or {@link #NO_DEADLINE}. */
    public long nextDeadline() {
        if (outstanding != null) {
            return outstanding.dueAtNanos;
        }
        return bound ? refreshAtNanos : NO_DEADLINE;
    }

    /**
     * An ack's UDP payload (readable bytes). Returns true if it is an authentic ACCEPTED ack of the
     * outstanding update (same sequence, S and V): retransmission stops and the refresh is scheduled.
     * Everything else returns false and changes nothing (see {@link #lastAckDrop()}), except two
     * authentic answers to the outstanding update: STALE_SEQUENCE at or above its sequence makes a new
     * update above the relay's sequence, due at once; STABLE_ADDRESS_NOT_ALLOWED is recorded
     * ({@link #lastRefusal()}) and slows retransmission to the cap. Never throws on bad input.
     */
    public boolean handleAck(ByteBuf udpPayload) {
        BindingCodec.Parsed parsed = codec.parse(udpPayload, key);
        if (!parsed.ok()) {
            return ignore(parsed.reason());
        }
        BindingMessage ack = parsed.message();
        if (ack.isUpdate()) {
            return ignore(RelayDropReason.MALFORMED_UPDATE);
        }
        if (ack.clientId() != clientId) {
            return ignore(RelayDropReason.UNKNOWN_CLIENT);
        }
        Outstanding o = outstanding;
        if (o == null) {
            return ignore(RelayDropReason.REPLAYED_UPDATE);
        }
        switch (ack.status()) {
            case ACCEPTED -> {
                if (ack.sequence() != o.sequence || ack.careOfAddress() != o.careOf || ack.stableAddress() != stableAddress) {
                    return ignore(RelayDropReason.REPLAYED_UPDATE);
                }
                bound = true;
                acknowledgedCareOf = o.careOf;
                acknowledgedSequence = o.sequence;
                grantedLifetimeSeconds = ack.lifetimeSeconds();
                refreshAtNanos = o.firstSentNanos
                        + TimeUnit.SECONDS.toNanos(ack.lifetimeSeconds()) / 3 * Relay.REFRESH_THIRDS;
                outstanding = null;
                lastRefusal = null;
                acksAccepted++;
                lastAckDrop = null;
                return true;
            }
            case STALE_SEQUENCE -> {
                if (Long.compareUnsigned(ack.sequence(), o.sequence) < 0) {
                    return ignore(RelayDropReason.REPLAYED_UPDATE);
                }
                if (Long.compareUnsigned(ack.sequence() + 1, nextSequence) > 0) {
                    nextSequence = ack.sequence() + 1;
                }
                startUpdate(clock.getAsLong());
                lastAckDrop = null;
                return false;
            }
            case STABLE_ADDRESS_NOT_ALLOWED -> {
                if (ack.sequence() != o.sequence) {
                    return ignore(RelayDropReason.REPLAYED_UPDATE);
                }
                lastRefusal = AckStatus.STABLE_ADDRESS_NOT_ALLOWED;
                o.intervalNanos = Relay.MAX_RETRANSMIT_NANOS;
                lastAckDrop = null;
                return false;
            }
            default -> throw new AssertionError(ack.status());
        }
    }

    /**
     * {@link #handleAck} for a whole IPv4/UDP packet at readerIndex: checked by
     * {@link BindingPacket#openUdp} (which leaves the payload readable) and required to come from
     * R:{@value Relay#DEFAULT_PORT} (else WRONG_ADDRESS).
     */
    public boolean handleAckPacket(ByteBuf ipPacket) {
        int start = ipPacket.readerIndex();
        RelayDropReason problem = BindingPacket.openUdp(ipPacket);
        if (problem != null) {
            return ignore(problem);
        }
        if (ipPacket.getInt(start + Relay.IPV4_SOURCE_OFFSET) != relayAddress
                || ipPacket.getUnsignedShort(ipPacket.readerIndex() - Relay.UDP_HEADER_LENGTH) != Relay.DEFAULT_PORT) {
            return ignore(RelayDropReason.WRONG_ADDRESS);
        }
        return handleAck(ipPacket);
    }

    private boolean ignore(RelayDropReason reason) {
        lastAckDrop = reason;
        return false;
    }

    /**
     * An IP-in-IP packet from the relay (R -> V) at readerIndex: well formed ({@link IpIp#check}), outer
     * source R and inner destination S (else WRONG_ADDRESS). Strips the outer header in place and
     * returns null, or returns the reason with the buffer untouched. Any V is accepted as outer
     * destination: packets to the previous V may still arrive after a switch.
     */
    public RelayDropReason fromRelay(ByteBuf ipip) {
        RelayDropReason problem = IpIp.check(ipip);
        if (problem != null) {
            return problem;
        }
        if (IpIp.outerSource(ipip) != relayAddress || IpIp.innerDestination(ipip) != stableAddress) {
            return RelayDropReason.WRONG_ADDRESS;
        }
        IpIp.strip(ipip);
        packetsFromRelay++;
        return null;
    }

    /** The client id. */
    public int clientId() {
        return clientId;
    }

    /** S. */
    public int stableAddress() {
        return stableAddress;
    }

    /** R. */
    public int relayAddress() {
        return relayAddress;
    }

    /** The current tunnel address V to wrap outgoing packets from (V -> R); 0 before the first tunnel. */
    public int careOf() {
        return careOf;
    }

    /** Whether the relay has acknowledged any update of this client. */
    public boolean isBound() {
        return bound;
    }

    /** The V the relay last acknowledged; 0 if none. */
    public int acknowledgedCareOf() {
        return acknowledgedCareOf;
    }

    /** Sequence of the last acknowledged update; 0 if none. */
    public long acknowledgedSequence() {
        return acknowledgedSequence;
    }

    /** Lifetime the relay granted with the last acknowledgement, in seconds; 0 if none. */
    public int grantedLifetimeSeconds() {
        return grantedLifetimeSeconds;
    }

    /** Whether an update waits for its acknowledgement. */
    public boolean hasOutstanding() {
        return outstanding != null;
    }

    /** Sequence of the outstanding update; 0 if none. */
    public long outstandingSequence() {
        return outstanding == null ? 0 : outstanding.sequence;
    }

    /** Times the outstanding update has been sent; 0 if none. */
    public int outstandingAttempts() {
        return outstanding == null ? 0 : outstanding.attempts;
    }

    /** Sequence the next new update will take. */
    public long nextSequence() {
        return nextSequence;
    }

    /** Updates sent, retransmissions included. */
    public long updatesSent() {
        return updatesSent;
    }

    /** Retransmissions sent. */
    public long retransmits() {
        return retransmits;
    }

    /** Acks that acknowledged an outstanding update. */
    public long acksAccepted() {
        return acksAccepted;
    }

    /** IP-in-IP packets from the relay accepted by {@link #fromRelay}. */
    public long packetsFromRelay() {
        return packetsFromRelay;
    }

    /** The relay's refusal of the outstanding update (STABLE_ADDRESS_NOT_ALLOWED), or null. */
    public AckStatus lastRefusal() {
        return lastRefusal;
    }

    /** Why the last ack handed in was ignored, or null if it was used. */
    public RelayDropReason lastAckDrop() {
        return lastAckDrop;
    }
}
