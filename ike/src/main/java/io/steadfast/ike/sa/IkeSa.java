package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeHeader;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageBuilder;
import io.steadfast.ike.IkeMessageDecoder;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.payload.DeletePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One IKE SA and its state machine (RFC 7296), as initiator or as responder. Plain code: the caller feeds it
 * received datagrams and timer ticks and gets back {@link Actions}: datagrams to send and {@link IkeEvent}s. Time
 * is whatever monotonic nanosecond ticker the caller reads ({@code System.nanoTime()} in production, a fake one in
 * tests); randomness comes from the {@link SecureRandom} it is given. Not thread-safe: use it from one thread (a
 * Netty event loop).
 *
 * <pre>
 *  initiator: CREATED -start-> INIT_SENT -IKE_SA_INIT done-> AUTH_SENT -IKE_AUTH done-> ESTABLISHED
 *  responder:            (IkeResponder answers IKE_SA_INIT) HALF_OPEN -IKE_AUTH answered-> ESTABLISHED
 *  ESTABLISHED -CREATE_CHILD_SA (either side)-> ESTABLISHED with a rekeyed Child SA, or a rekeyed IKE SA
 *  ESTABLISHED -close()-> DELETING -delete answered or timed out-> CLOSED
 *  any state -failure, peer's delete, half-open timeout-> CLOSED
 * </pre>
 *
 * <p>Exchanges are one class each: {@code IkeInitExchange} / {@code IkeInitResponder}, {@code IkeAuthExchange},
 * {@code ChildRekeyExchange}, {@code IkeRekeyExchange}, {@code DeleteExchange}, {@code ChildDeleteExchange},
 * {@code LivenessExchange} and {@code InformationalResponder}. A rekeyed IKE SA keeps this object: it swaps to the new
 * SPIs and keys, and the old IKE SA retires until its delete is done. Liveness checks go out when the caller asks
 * ({@link #checkLiveness}) or by themselves after a silence ({@link #checkLivenessWhenIdle}); rekeys when the caller
 * asks ({@link #rekeyChild}, {@link #rekeyIke}), the peer's at any time.
 *
 * <p>Message IDs: our requests count from 0 with a window of 1 (one request in flight, the rest queued); the
 * peer's requests have their own counter, also with a window of 1, and a retransmitted request is answered from
 * the cached response. Unanswered requests are resent per {@link Retransmission}. Bad input is counted in
 * {@link #counters()} and dropped; nothing throws out of an input method.
 *
 * <p>Ports: the SA frames its own datagrams. IKE_SA_INIT goes to the peer's port 500 without a marker; after it
 * (when a NAT is found or encapsulation is forced, the default) IKE moves to the NAT-T port and every datagram
 * carries the 4-byte non-ESP marker. The caller hands in every received datagram that is IKE: all of port 500,
 * and those of the NAT-T port that start with the marker ({@link NatTraversal#hasNonEspMarker}); ESP is the
 * data plane's.
 *
 * <pre>{@code
 * IkeSa sa = IkeSa.initiator(config, localAddress, new InetSocketAddress(gateway, 500), new SecureRandom());
 * Actions a = sa.start(ticker.nanos());                       // the IKE_SA_INIT request
 * a = sa.receive(source, udpPayload, ticker.nanos());          // each datagram from the gateway
 * a = sa.onTimer(ticker.nanos());                              // when ticker reaches sa.nextDeadline()
 * a = sa.close(ticker.nanos());                                // delete, then Deleted event
 * }</pre>
 */
public final class IkeSa {
    /** The states of an IKE SA; see the class comment for the transitions. */
    public enum State { CREATED, INIT_SENT, AUTH_SENT, HALF_OPEN, ESTABLISHED, DELETING, CLOSED }

    /** {@link #nextDeadline()} when no timer is needed. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final System.Logger LOG = System.getLogger("io.steadfast.ike");
    /** Bound to true while {@link HandshakeWarmup} runs: its SAs log nothing. */
    static final ScopedValue<Boolean> QUIET = ScopedValue.newInstance();

    private final IkeCounters counters;
    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
    /** The IKE SA in use (it changes when the IKE SA is rekeyed). */
    private SaContext sa;
    /** The IKE SA a rekey replaced, kept until its delete is done (ours answered, or the peer's answered), or null. */
    private SaContext retiring;
    private long retiringUntil = NO_DEADLINE;
    private State state;
    private long expiresAt = NO_DEADLINE;
    private String failure;
    /** Liveness checks after this long without an authenticated message from the peer; 0: none. */
    private long livenessNanos;
    /** When the peer was last heard (an authenticated message), in ticker nanoseconds. */
    private long lastHeard;
    private byte[] cachedInit;

    /** An IKE SA in {@code state} over {@code sa}; the factories below make the useful ones. */
    IkeSa(SaContext sa, State state, IkeCounters counters) {
        this.sa = sa;
        this.state = state;
        this.counters = counters;
        sa.owner = this;
    }

    /**
     * A new initiator SA toward {@code remote}, sending from {@code local} (for NAT detection). To port 500 it
     * starts without a marker and moves to the NAT-T port after IKE_SA_INIT; to the NAT-T port itself (one
     * socket for IKE and ESP, RFC 7296 2.23) every message carries the non-ESP marker from the first.
     */
    public static IkeSa initiator(InitiatorConfig config, InetSocketAddress local, InetSocketAddress remote,
            SecureRandom random) {
        SaContext context = new SaContext(true, random, local, remote, config.retransmission(), config.fragmentSize(),
                config, null, null);
        if (remote.getPort() == config.nattPort()) context.natt = true;
        context.spiI = SaContext.newIkeSpi(random);
        return new IkeSa(context, State.CREATED, new IkeCounters());
    }

    // ---------------------------------------------------------------- inputs

    /** Sends IKE_SA_INIT and IKE_AUTH in turn (initiator; once). */
    public Actions start(long now) {
        if (state != State.CREATED) return Actions.NONE;
        state = State.INIT_SENT;
        queue.add(new IkeInitExchange(sa.initiatorConfig.ikeProposals()));
        queue.add(new IkeAuthExchange());
        sendNext(now);
        return drain();
    }

    /** A datagram from {@code source}: an IKE message, behind the non-ESP marker or not. */
    public Actions receive(InetSocketAddress source, byte[] udpPayload, long now) {
        byte[] message = udpPayload;
        if (NatTraversal.hasNonEspMarker(udpPayload)) {
            message = java.util.Arrays.copyOfRange(udpPayload, Ike.NON_ESP_MARKER_LENGTH, udpPayload.length);
        }
        IkeHeader header;
        try {
            header = IkeHeader.parse(message);
        } catch (IkeParseException e) {
            counters.drop(Drop.MALFORMED);
            return Actions.NONE;
        }
        try {
            handle(header, message, source, NatTraversal.hasNonEspMarker(udpPayload), now);
        } catch (RuntimeException e) {
            internalError(e);
        }
        return drain();
    }

    /** As {@link #receive(InetSocketAddress, byte[], long)} for the remaining bytes of a buffer (copied; the buffer is not moved). */
    public Actions receive(InetSocketAddress source, java.nio.ByteBuffer udpPayload, long now) {
        byte[] bytes = new byte[udpPayload.remaining()];
        udpPayload.duplicate().get(bytes);
        return receive(source, bytes, now);
    }

    /** A bug of ours met by some input: counted and logged with the stack trace, never thrown at the caller. */
    void internalError(RuntimeException e) {
        counters.drop(Drop.INTERNAL_ERROR);
        LOG.log(System.Logger.Level.ERROR, "IKE SA " + name() + ": input dropped after an internal error", e);
    }

    /** Resends unanswered requests and ends what timed out; call when the ticker reaches {@link #nextDeadline()}. */
    public Actions onTimer(long now) {
        if (state == State.CLOSED) return Actions.NONE;
        if (retiring != null) {
            if (now >= retiringUntil) {
                dropRetiring();
            } else {
                retransmit(retiring, now);
            }
        }
        retransmit(sa, now);
        if (livenessDue(now)) {
            queue.add(new LivenessExchange());
            sendNext(now);
        }
        if (state != State.CLOSED && now >= expiresAt) {
            fail(state == State.HALF_OPEN ? "half-open IKE SA " + name() + " from " + sa.remote + " timed out"
                    : "IKE SA " + name() + " timed out in state " + state, false);
        }
        return drain();
    }

    /** When {@link #onTimer} wants to run next, in the caller's ticker nanoseconds; {@link #NO_DEADLINE} if never. */
    public long nextDeadline() {
        if (state == State.CLOSED) return NO_DEADLINE;
        long deadline = Math.min(sa.windows.deadline(), expiresAt);
        if (livenessNanos > 0 && state == State.ESTABLISHED && sa.windows.pending == null && queue.isEmpty()) {
            deadline = Math.min(deadline, lastHeard + livenessNanos);
        }
        if (retiring != null) deadline = Math.min(deadline, Math.min(retiring.windows.deadline(), retiringUntil));
        return deadline;
    }

    /** Deletes the IKE SA (and its Child SAs): a D(IKE) request, then {@link IkeEvent.Deleted}. */
    public Actions close(long now) {
        switch (state) {
            case CLOSED, DELETING -> { }
            case ESTABLISHED -> {
                state = State.DELETING;
                queue.clear();
                queue.add(new DeleteExchange());
                sendNext(now);
            }
            default -> {
                if (sa.keys != null) sendOnce(sa, List.of(DeletePayload.ikeSa()));
                end(new IkeEvent.Deleted(this, false), false);
            }
        }
        return drain();
    }

    /**
     * Checks the peer's liveness by itself once it has been silent (no authenticated IKE message) for {@code idle}, as
     * strongSwan's {@code dpd_delay} does; a dead peer then fails the SA after the retransmissions. Zero turns it off.
     */
    public void checkLivenessWhenIdle(Duration idle, long now) {
        livenessNanos = idle.toNanos();
        lastHeard = now;
    }

    /** Asks the peer whether it is alive (an empty INFORMATIONAL); answered by {@link IkeEvent.Alive}. */
    public Actions checkLiveness(long now) {
        if (state == State.ESTABLISHED && sa.windows.pending == null && queue.isEmpty()) {
            queue.add(new LivenessExchange());
            sendNext(now);
        }
        return drain();
    }

    /**
     * Rekeys a Child SA of ours (CREATE_CHILD_SA, make-before-break): {@link IkeEvent.ChildSaRekeyed} with the new pair,
     * then {@link IkeEvent.ChildSaDown} for the old one once the peer confirmed its delete. Call it when the ESP SA
     * wants a rekey ({@code SecurityAssociation.isRekeyWanted()}) or on a timer of the caller's.
     */
    public Actions rekeyChild(ChildSa child, long now) {
        if (state == State.ESTABLISHED && sa.children.contains(child)) {
            queue.add(new ChildRekeyExchange(child));
            sendNext(now);
        }
        return drain();
    }

    /**
     * Rekeys the IKE SA itself (CREATE_CHILD_SA, RFC 7296 2.18): new SPIs and keys, the Child SAs move over, then the
     * old IKE SA is deleted; {@link IkeEvent.IkeSaRekeyed} tells. This object goes on standing for the IKE SA.
     */
    public Actions rekeyIke(long now) {
        if (state == State.ESTABLISHED && retiring == null) {
            queue.add(new IkeRekeyExchange());
            sendNext(now);
        }
        return drain();
    }

    // ---------------------------------------------------------------- what the caller can read

    /** The current state. */
    public State state() {
        return state;
    }

    /** Whether we are the initiator of the IKE SA in use (after a rekey: whether we started the rekey). */
    public boolean isInitiator() {
        return sa.initiator;
    }

    /** SPIi. */
    public long initiatorSpi() {
        return sa.spiI;
    }

    /** SPIr (0 until IKE_SA_INIT is answered). */
    public long responderSpi() {
        return sa.spiR;
    }

    /** strongSwan-style name of the SA: {@code 0123456789abcdef_i fedcba9876543210_r}. */
    public String name() {
        return String.format("%016x_i %016x_r", sa.spiI, sa.spiR);
    }

    /** Where IKE messages go now (port 500, or the NAT-T port after the move). */
    public InetSocketAddress remote() {
        return sa.remote;
    }

    /** The authenticated peer identity ({@code fqdn:gw.example}), or null before IKE_AUTH. */
    public String peerIdentity() {
        return sa.peerId == null ? null : Identities.describe(sa.peerId);
    }

    /** The chosen IKE proposal in strongSwan's syntax, or empty before IKE_SA_INIT completed. */
    public String ikeProposal() {
        return sa.ikeProposal;
    }

    /** The initiator's virtual IP (assigned to us, or by us), or null. */
    public Inet4Address virtualIp() {
        return sa.virtualIp;
    }

    /** The Child SAs that are up. */
    public List<ChildSa> childSas() {
        return List.copyOf(sa.children);
    }

    /** Whether ESP of this SA travels in UDP (NAT found, or forced). */
    public boolean udpEncapsulation() {
        return sa.udpEncapsulation;
    }

    /** Whether the peer sent INITIAL_CONTACT in IKE_AUTH (responder). */
    public boolean initialContact() {
        return sa.initialContact;
    }

    /** Why the SA failed, or null. */
    public String failure() {
        return failure;
    }

    /** Drops, retransmissions and duplicates of this SA. */
    public IkeCounters counters() {
        return counters;
    }

    @Override
    public String toString() {
        return "IKE_SA " + name() + " " + state + " " + sa.remote + (sa.peerId == null ? "" : " " + peerIdentity());
    }

    // ---------------------------------------------------------------- the machine

    /** Handles one IKE message (marker already stripped); the responder front end calls this too. */
    void handle(IkeHeader header, byte[] message, InetSocketAddress source, boolean marker, long now) {
        if (state == State.CLOSED) {
            counters.drop(Drop.SA_CLOSED);
            return;
        }
        SaContext c = matches(sa, header) ? sa : retiring != null && matches(retiring, header) ? retiring : null;
        if (c == null) {
            counters.drop(Drop.NO_SA); // not ours, or our own message reflected back
            return;
        }
        if (!source.getAddress().equals(c.remote.getAddress())) {
            counters.drop(Drop.WRONG_SOURCE);
            return;
        }
        if (header.isResponse()) {
            handleResponse(c, header, message, source, now);
        } else {
            handleRequest(c, header, message, source, marker, now);
        }
    }

    /** Whether the peer has been silent long enough for an automatic liveness check, and none is under way. */
    private boolean livenessDue(long now) {
        return livenessNanos > 0 && state == State.ESTABLISHED && sa.windows.pending == null && queue.isEmpty()
                && now - lastHeard >= livenessNanos;
    }

    /** Whether a message belongs to this IKE SA: its SPIs, sent by the other role. */
    private static boolean matches(SaContext c, IkeHeader header) {
        boolean spis = header.initiatorSpi() == c.spiI
                && (header.responderSpi() == c.spiR || (c.spiR == 0 && header.isResponse()));
        return spis && header.isInitiator() != c.initiator;
    }

    private void handleResponse(SaContext c, IkeHeader header, byte[] message, InetSocketAddress source, long now) {
        MessageWindows.Pending pending = c.windows.pending;
        if (pending == null || header.messageId() != pending.messageId || header.exchangeType() != pending.exchange.type()) {
            counters.drop(Drop.UNEXPECTED_RESPONSE);
            return;
        }
        IkeMessage response;
        if (header.exchangeType() == Ike.EXCHANGE_IKE_SA_INIT) {
            try {
                response = IkeMessageDecoder.decode(message);
            } catch (IkeParseException e) {
                counters.drop(Drop.MALFORMED);
                return;
            }
        } else {
            response = SaCodec.open(c, message, now, counters);
            if (response == null) return;
        }
        c.lastSource = source;
        c.lastRaw = message;
        lastHeard = now;
        Exchange exchange = pending.exchange;
        Exchange.Step step = exchange.response(c, response);
        c.windows.pending = null;
        if (step instanceof Exchange.Again) {
            // IKE_SA_INIT retries keep message ID 0 (there is no SA yet); later exchanges were completed by the
            // refusal, so the retry is a new request with the next ID
            boolean init = exchange.type() == Ike.EXCHANGE_IKE_SA_INIT;
            if (!init) c.windows.nextMessageId++;
            transmit(c, exchange, init ? 0 : c.windows.nextMessageId, now);
            return;
        }
        c.windows.nextMessageId++;
        after(c, exchange, step, now);
    }

    /** The state machine's transitions after one of our exchanges ended. */
    private void after(SaContext c, Exchange exchange, Exchange.Step step, long now) {
        if (c == retiring) { // the delete of the IKE SA a rekey replaced
            dropRetiring();
            return;
        }
        if (step instanceof Exchange.Fail f) {
            fail(f.reason(), f.tellPeer());
            return;
        }
        switch (exchange) {
            case IkeInitExchange init -> state = State.AUTH_SENT;
            case IkeAuthExchange auth -> {
                state = State.ESTABLISHED;
                log("IKE SA " + name() + " established with " + peerIdentity() + " at " + sa.remote + " ("
                        + sa.ikeProposal + ")" + (sa.virtualIp == null ? "" : ", virtual IP " + sa.virtualIp.getHostAddress()));
            }
            case DeleteExchange delete -> end(new IkeEvent.Deleted(this, false), false);
            default -> { }
        }
        if (sa.successor != null) {
            SaContext old = swapToSuccessor(now);
            transmit(old, new DeleteExchange(), old.windows.nextMessageId, now); // we rekeyed: we delete the old one
        }
        for (int i = sa.followUps.size() - 1; i >= 0; i--) queue.addFirst(sa.followUps.get(i));
        sa.followUps.clear();
        sendNext(now);
    }

    private void handleRequest(SaContext c, IkeHeader header, byte[] message, InetSocketAddress source, boolean marker,
            long now) {
        MessageWindows w = c.windows;
        if (header.messageId() == w.cachedResponseId && w.cachedResponseId >= 0) {
            if (!SaCodec.isLaterFragment(message)) { // RFC 7383 2.6.1: answer a fragmented retransmission once, on fragment 1
                w.cachedResponse.forEach(this::send);
                counters.duplicate();
            }
            return;
        }
        if (header.messageId() != w.peerNextMessageId) {
            counters.drop(Drop.OUT_OF_WINDOW);
            return;
        }
        if (c.keys == null) {
            counters.drop(Drop.UNEXPECTED_EXCHANGE);
            return;
        }
        IkeMessage request = SaCodec.open(c, message, now, counters);
        if (request == null) return;
        lastHeard = now;
        c.remote = source; // an authenticated request: the peer's current address (a NAT may have moved it)
        c.natt = marker;
        Answer answer = c == retiring ? retiringAnswer(header, request) : answer(header, request);
        if (answer == null) {
            counters.drop(Drop.UNEXPECTED_EXCHANGE);
            return;
        }
        IkeMessageBuilder builder = IkeMessageBuilder.response(header.exchangeType(), c.spiI, c.spiR,
                header.messageId(), c.initiator).addAll(answer.payloads());
        w.cachedResponse = SaCodec.protect(c, builder).stream().map(c::frame).toList();
        w.cachedResponseId = header.messageId();
        w.peerNextMessageId++;
        counters.answered();
        w.cachedResponse.forEach(this::send);
        if (c == retiring) {
            if (answer.next() == State.CLOSED) dropRetiring(); // the peer deleted the IKE SA it rekeyed
            return;
        }
        if (answer.next() == State.ESTABLISHED) {
            state = State.ESTABLISHED;
            expiresAt = NO_DEADLINE;
            log("IKE SA " + name() + " established with " + peerIdentity() + " at " + sa.remote
                    + (sa.virtualIp == null ? "" : ", virtual IP " + sa.virtualIp.getHostAddress()));
        } else if (answer.next() == State.CLOSED) {
            if (answer.failure() != null) {
                fail(answer.failure(), false);
            } else {
                end(new IkeEvent.Deleted(this, true), true);
            }
        } else if (sa.successor != null) {
            swapToSuccessor(now); // the peer rekeyed the IKE SA; it will delete the old one
        }
    }

    /** Our answer to a request on the IKE SA in use, or null when this state takes no such exchange. */
    private Answer answer(IkeHeader header, IkeMessage request) {
        return switch (header.exchangeType()) {
            case Ike.EXCHANGE_IKE_AUTH -> state == State.HALF_OPEN ? IkeAuthExchange.answer(sa, request) : null;
            case Ike.EXCHANGE_INFORMATIONAL -> state == State.HALF_OPEN ? null : InformationalResponder.answer(sa, request);
            case Ike.EXCHANGE_CREATE_CHILD_SA -> state != State.ESTABLISHED ? null
                    : IkeRekeyExchange.isIkeRekey(request)
                            ? (sa.windows.pending != null || retiring != null
                                    ? Answer.stay(List.of(NotifyPayload.of(Ike.NOTIFY_TEMPORARY_FAILURE)))
                                    : IkeRekeyExchange.answer(sa, request))
                            : ChildRekeyExchange.answer(sa, request);
            default -> null;
        };
    }

    /** On the IKE SA a rekey replaced only INFORMATIONAL is answered: its delete, or a liveness check. */
    private static Answer retiringAnswer(IkeHeader header, IkeMessage request) {
        if (header.exchangeType() != Ike.EXCHANGE_INFORMATIONAL) return null;
        boolean deleted = request.all(DeletePayload.class).stream().anyMatch(d -> d.protocolId() == Ike.PROTOCOL_IKE);
        return deleted ? Answer.then(List.of(), State.CLOSED) : Answer.stay(List.of());
    }

    /** Makes the rekeyed IKE SA the one in use; the old one retires until its delete. Returns the old one. */
    private SaContext swapToSuccessor(long now) {
        SaContext old = sa;
        sa = old.successor;
        old.successor = null;
        old.children.clear();
        sa.events.addAll(old.events);
        old.events.clear();
        retiring = old;
        retiringUntil = now + 2 * old.retransmission.giveUpNanos();
        sa.events.add(new IkeEvent.IkeSaRekeyed(this));
        log("IKE SA " + String.format("%016x_i %016x_r", old.spiI, old.spiR) + " rekeyed to " + name() + " ("
                + sa.ikeProposal + ")");
        return old;
    }

    private void dropRetiring() {
        if (retiring == null) return;
        retiring.windows.reassembler.reset();
        retiring.destroy();
        retiring = null;
        retiringUntil = NO_DEADLINE;
    }

    /** Resends the request in flight of {@code c}, or gives up on it after the last retransmission. */
    private void retransmit(SaContext c, long now) {
        MessageWindows.Pending pending = c.windows.pending;
        if (pending == null || now < pending.deadline) return;
        if (pending.sends > c.retransmission.retransmits()) {
            String waited = Duration.ofNanos(now - pending.firstSent).toMillis() + " ms and " + (pending.sends - 1)
                    + " retransmissions";
            c.windows.pending = null;
            c.windows.nextMessageId++;
            after(c, pending.exchange, pending.exchange.timeout(c, waited), now);
        } else {
            pending.datagrams.forEach(this::send);
            pending.deadline = now + c.retransmission.timeoutNanos(pending.sends);
            pending.sends++;
            counters.retransmit();
        }
    }

    /** Sends the next queued request if none is in flight (window 1). */
    private void sendNext(long now) {
        if (sa.windows.pending != null || state == State.CLOSED) return;
        Exchange next = queue.poll();
        if (next != null) transmit(sa, next, sa.windows.nextMessageId, now);
    }

    /** Builds, frames and sends a request on {@code c}; it stays pending for retransmission. */
    private void transmit(SaContext c, Exchange exchange, int messageId, long now) {
        IkeMessageBuilder builder = IkeMessageBuilder.request(exchange.type(), c.spiI, c.spiR, messageId, c.initiator)
                .addAll(exchange.request(c));
        List<byte[]> messages;
        if (exchange.type() == Ike.EXCHANGE_IKE_SA_INIT) {
            byte[] init = builder.encode();
            c.initRequest = init;
            messages = List.of(init);
        } else {
            messages = SaCodec.protect(c, builder);
        }
        List<Datagram> datagrams = messages.stream().map(c::frame).toList();
        datagrams.forEach(this::send);
        c.windows.pending = new MessageWindows.Pending(exchange, messageId, datagrams, now,
                now + c.retransmission.timeoutNanos(0));
    }

    /**
     * A request sent once without waiting for the answer (a delete as we fail or give up). It takes the ID after a
     * request still in flight: best effort, as the peer may not have answered that one yet (window 1).
     */
    private void sendOnce(SaContext c, List<Payload> payloads) {
        MessageWindows w = c.windows;
        int id = w.pending != null ? w.pending.messageId + 1 : w.nextMessageId;
        w.nextMessageId = id + 1;
        IkeMessageBuilder builder = IkeMessageBuilder.request(Ike.EXCHANGE_INFORMATIONAL, c.spiI, c.spiR, id,
                c.initiator).addAll(payloads);
        SaCodec.protect(c, builder).stream().map(c::frame).forEach(this::send);
    }

    private void send(Datagram datagram) {
        outbox.add(datagram);
    }

    /** Fails the SA: one log line with the reason, an optional delete to the peer, Child SAs down, CLOSED. */
    void fail(String reason, boolean tellPeer) {
        if (state == State.CLOSED) return;
        failure = reason;
        warn(reason);
        if (tellPeer && sa.keys != null) sendOnce(sa, List.of(DeletePayload.ikeSa()));
        end(new IkeEvent.Failed(this, reason), false);
    }

    /** Ends the SA by another's decision (INITIAL_CONTACT from the same peer on a new SA): no messages. */
    Actions replaced() {
        if (state != State.CLOSED) {
            log("IKE SA " + name() + " of " + peerIdentity() + " replaced by a new one (INITIAL_CONTACT)");
            end(new IkeEvent.Deleted(this, true), true);
        }
        return drain();
    }

    /** CLOSED: Child SAs down, the final event, keys zeroed. */
    private void end(IkeEvent last, boolean byPeer) {
        for (ChildSa child : sa.children) sa.events.add(new IkeEvent.ChildSaDown(this, child, byPeer));
        sa.children.clear();
        sa.events.add(last);
        state = State.CLOSED;
        sa.windows.pending = null;
        queue.clear();
        sa.windows.reassembler.reset();
        sa.destroy();
        dropRetiring();
    }

    private final List<Datagram> outbox = new ArrayList<>();

    private Actions drain() {
        List<IkeEvent> events = new ArrayList<>(sa.events);
        sa.events.clear();
        if (retiring != null) {
            events.addAll(retiring.events);
            retiring.events.clear();
        }
        if (outbox.isEmpty() && events.isEmpty()) return Actions.NONE;
        Actions actions = new Actions(outbox, events);
        outbox.clear();
        return actions;
    }

    // ---------------------------------------------------------------- for the responder front end

    /** A responder SA after IKE_SA_INIT, half-open until IKE_AUTH, expiring at {@code expiresAt}. */
    static IkeSa halfOpen(SaContext context, IkeCounters counters, long expiresAt, byte[] initResponseDatagram) {
        IkeSa ike = new IkeSa(context, State.HALF_OPEN, counters);
        ike.expiresAt = expiresAt;
        ike.cachedInit = initResponseDatagram;
        context.windows.peerNextMessageId = 1; // IKE_SA_INIT was request 0, answered by the front end
        return ike;
    }

    /**
     * An initiator SA whose IKE_SA_INIT already happened (keys installed in {@code context}): sends IKE_AUTH. For
     * tests that replay captured IKE_SA_INIT messages of another implementation.
     */
    static IkeSa resumeAtAuth(SaContext context, long now) {
        IkeSa ike = new IkeSa(context, State.AUTH_SENT, new IkeCounters());
        context.windows.nextMessageId = 1;
        ike.queue.add(new IkeAuthExchange());
        ike.sendNext(now);
        return ike;
    }

    /** The IKE_SA_INIT response again (the initiator retransmitted its request). */
    Actions resendInit() {
        if (cachedInit != null && state == State.HALF_OPEN) {
            send(new Datagram(sa.remote, cachedInit));
            counters.duplicate();
        }
        return drain();
    }

    /** Our last answer (its message ID and datagrams), kept after the SA failed so a retransmission still gets it. */
    MessageWindows lastWindows() {
        return sa.windows;
    }

    /** Our SPI of the IKE SA in use and of the one retiring: what the peer's messages are addressed to. */
    List<Long> localSpis() {
        List<Long> spis = new ArrayList<>();
        spis.add(sa.initiator ? sa.spiI : sa.spiR);
        if (retiring != null) spis.add(retiring.initiator ? retiring.spiI : retiring.spiR);
        return spis;
    }

    /** Collected events and datagrams of a package-internal call. */
    Actions drainActions() {
        return drain();
    }

    /** The IKE SA in use (tests look inside). */
    SaContext context() {
        return sa;
    }

    /** An informational log line (establishment, deletes). */
    static void log(String line) {
        if (!QUIET.orElse(false)) LOG.log(System.Logger.Level.INFO, line);
    }

    /** A warning: a user's mistake the SA survives (a refused Child SA). */
    static void warn(String line) {
        if (!QUIET.orElse(false)) LOG.log(System.Logger.Level.WARNING, line);
    }
}
