package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeHeader;
import io.steadfast.ike.IkeMessage;
import io.steadfast.ike.IkeMessageDecoder;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.NatTraversal;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Our IKEv2 responder (the gateway side): answers IKE_SA_INIT, keeps one {@link IkeSa} per initiator and routes
 * each datagram to its SA by SPI. Under load it asks for cookies (more than {@code cookieThreshold} half-open SAs)
 * and refuses new initiators beyond {@code maxHalfOpen}, so a flood of IKE_SA_INIT requests costs bounded memory.
 * Virtual IPs come from the configured pool and return to it when an SA ends; INITIAL_CONTACT from an identity
 * replaces its older SAs. Same contract as {@link IkeSa}: datagrams and ticks in, {@link Actions} out, one thread.
 *
 * <pre>{@code
 * IkeResponder gw = new IkeResponder(config, new InetSocketAddress(gatewayIp, 500), new SecureRandom(), now);
 * Actions a = gw.receive(source, udpPayload, now);   // from port 500, or 4500 with the non-ESP marker
 * a = gw.onTimer(now);                                // when now reaches gw.nextDeadline()
 * }</pre>
 */
public final class IkeResponder {
    private final ResponderConfig config;
    private final InetSocketAddress local;
    private final SecureRandom random;
    private final CookieJar cookies;
    private final VirtualIpPool pool;
    private final IkeCounters counters = new IkeCounters();
    private Duration livenessIdle = Duration.ZERO;
    private final Map<Long, IkeSa> byResponderSpi = new HashMap<>();
    private final Map<String, IkeSa> halfOpenByInitiator = new HashMap<>();
    /** Answers of SAs that failed in IKE_AUTH (AUTHENTICATION_FAILED), for a while: the initiator may not have got it. */
    private final Map<Long, Lingering> lingering = new HashMap<>();

    /** The last answer of a failed SA: for its message ID, until {@code until}. */
    private record Lingering(int messageId, List<Datagram> answer, long until) {}

    /** A responder answering on {@code local} (for NAT detection). */
    public IkeResponder(ResponderConfig config, InetSocketAddress local, SecureRandom random, long now) {
        this.config = config;
        this.local = local;
        this.random = random;
        this.cookies = new CookieJar(random, TimeUnit.MINUTES.toNanos(2), now);
        this.pool = config.pool() == null ? null : VirtualIpPool.parse(config.pool());
    }

    /** What it was made with. */
    public ResponderConfig config() {
        return config;
    }

    /** A datagram from {@code source}: an IKE message, behind the non-ESP marker or not. */
    public Actions receive(InetSocketAddress source, byte[] udpPayload, long now) {
        boolean marker = NatTraversal.hasNonEspMarker(udpPayload);
        byte[] message = marker ? java.util.Arrays.copyOfRange(udpPayload, Ike.NON_ESP_MARKER_LENGTH, udpPayload.length)
                : udpPayload;
        IkeHeader header;
        try {
            header = IkeHeader.parse(message);
        } catch (IkeParseException e) {
            counters.drop(Drop.MALFORMED);
            return Actions.NONE;
        }
        if (header.exchangeType() == Ike.EXCHANGE_IKE_SA_INIT && !header.isResponse() && header.responderSpi() == 0) {
            return init(header, message, source, marker, now);
        }
        // our SPI: SPIr when the sender is the original initiator, SPIi when we are (we rekeyed the IKE SA)
        long ourSpi = header.isInitiator() ? header.responderSpi() : header.initiatorSpi();
        IkeSa sa = byResponderSpi.get(ourSpi);
        Lingering gone = sa == null ? lingering.get(ourSpi) : null;
        if (gone != null && gone.until() > now && !header.isResponse() && header.messageId() == gone.messageId()) {
            counters.duplicate(); // a retransmitted IKE_AUTH: the AUTHENTICATION_FAILED answer again
            return new Actions(gone.answer(), List.of());
        }
        if (sa == null) {
            counters.drop(Drop.NO_SA);
            return Actions.NONE;
        }
        try {
            sa.handle(header, message, source, marker, now);
        } catch (RuntimeException e) {
            sa.internalError(e);
        }
        return settle(sa, sa.drainActions(), now);
    }

    /** As {@link #receive(InetSocketAddress, byte[], long)} for the remaining bytes of a buffer (copied; the buffer is not moved). */
    public Actions receive(InetSocketAddress source, java.nio.ByteBuffer udpPayload, long now) {
        byte[] bytes = new byte[udpPayload.remaining()];
        udpPayload.duplicate().get(bytes);
        return receive(source, bytes, now);
    }

    /**
     * Checks the liveness of each initiator silent for {@code idle} (strongSwan's {@code dpd_delay}), so SAs of clients
     * that vanished fail and free their addresses; zero (the default) turns it off. Applies to SAs made from now on.
     */
    public IkeResponder checkLivenessWhenIdle(Duration idle) {
        livenessIdle = idle;
        return this;
    }

    /** Ticks every SA: retransmissions, half-open timeouts, deletes that went unanswered. */
    public Actions onTimer(long now) {
        lingering.values().removeIf(l -> l.until() <= now);
        Actions all = Actions.NONE;
        for (IkeSa sa : sas()) {
            if (sa.nextDeadline() <= now) all = all.and(settle(sa, sa.onTimer(now), now));
        }
        return all;
    }

    /** The earliest deadline of all SAs, or {@link IkeSa#NO_DEADLINE}. */
    public long nextDeadline() {
        return byResponderSpi.values().stream().mapToLong(IkeSa::nextDeadline).min().orElse(IkeSa.NO_DEADLINE);
    }

    /** Deletes every SA (shutdown). */
    public Actions closeAll(long now) {
        Actions all = Actions.NONE;
        for (IkeSa sa : sas()) all = all.and(settle(sa, sa.close(now), now));
        return all;
    }

    /** The SAs we hold, half-open ones included. */
    public List<IkeSa> sas() {
        return byResponderSpi.values().stream().distinct().toList();
    }

    /** SAs waiting for IKE_AUTH. */
    public int halfOpen() {
        return halfOpenByInitiator.size();
    }

    /** Drops and cookies of the front end (each SA counts its own). */
    public IkeCounters counters() {
        return counters;
    }

    /** Addresses the pool has handed out. */
    public int leasedAddresses() {
        return pool == null ? 0 : pool.leased();
    }

    private Actions init(IkeHeader header, byte[] message, InetSocketAddress source, boolean marker, long now) {
        String key = initiatorKey(header.initiatorSpi(), source);
        IkeSa known = halfOpenByInitiator.get(key);
        if (known != null) return known.resendInit(); // a retransmitted IKE_SA_INIT request
        if (halfOpenByInitiator.size() >= config.maxHalfOpen()) {
            counters.drop(Drop.HALF_OPEN_CAP);
            return Actions.NONE;
        }
        IkeMessage request;
        try {
            request = IkeMessageDecoder.decode(message);
        } catch (IkeParseException e) {
            counters.drop(Drop.MALFORMED);
            return Actions.NONE;
        }
        boolean cookiesRequired = halfOpenByInitiator.size() >= config.cookieThreshold();
        IkeInitResponder.Outcome outcome;
        try {
            outcome = IkeInitResponder.answer(config, request, message, source, local, marker, cookiesRequired, cookies,
                    pool, random, now);
        } catch (RuntimeException e) {
            counters.drop(Drop.INTERNAL_ERROR);
            System.getLogger("io.steadfast.ike").log(System.Logger.Level.ERROR, "IKE_SA_INIT from " + source
                    + " dropped after an internal error", e);
            return Actions.NONE;
        }
        if (outcome.sa() == null) {
            if (outcome.refusal() != null) IkeSa.warn(outcome.refusal());
            if (outcome.cookie()) counters.cookie();
            byte[] reply = marker ? NatTraversal.addNonEspMarker(outcome.reply()) : outcome.reply();
            return new Actions(List.of(new Datagram(source, reply)), List.of());
        }
        IkeSa sa = outcome.sa();
        if (!livenessIdle.isZero()) sa.checkLivenessWhenIdle(livenessIdle, now);
        byResponderSpi.put(sa.responderSpi(), sa);
        halfOpenByInitiator.put(key, sa);
        return new Actions(List.of(new Datagram(source, outcome.reply())), List.of());
    }

    /** Bookkeeping after an SA acted: half-open index, pool addresses, INITIAL_CONTACT, closed SAs removed. */
    private Actions settle(IkeSa sa, Actions actions, long now) {
        Actions result = actions;
        if (sa.state() != IkeSa.State.HALF_OPEN) {
            halfOpenByInitiator.values().remove(sa);
        }
        for (IkeEvent event : actions.events()) {
            if (event instanceof IkeEvent.Established && sa.initialContact()) {
                for (IkeSa other : sas()) {
                    if (other != sa && sa.peerIdentity().equals(other.peerIdentity())) {
                        result = result.and(other.replaced());
                        forget(other);
                    }
                }
            }
        }
        if (sa.state() == IkeSa.State.CLOSED) {
            if (actions.events().stream().anyMatch(e -> e instanceof IkeEvent.Failed) && sa.peerIdentity() == null) {
                MessageWindows w = sa.lastWindows();
                if (!w.cachedResponse.isEmpty()) {
                    lingering.values().removeIf(l -> l.until() <= now); // bounded: expired ones go first
                    if (lingering.size() < config.maxHalfOpen()) {
                        lingering.put(sa.responderSpi(), new Lingering(w.cachedResponseId, w.cachedResponse,
                                now + config.halfOpenTimeout().toNanos()));
                    }
                }
            }
            forget(sa);
        } else {
            List<Long> spis = sa.localSpis(); // a rekey adds the new SPI, a finished one removes the old
            byResponderSpi.entrySet().removeIf(e -> e.getValue() == sa && !spis.contains(e.getKey()));
            spis.forEach(spi -> byResponderSpi.put(spi, sa));
        }
        return result;
    }

    private void forget(IkeSa sa) {
        byResponderSpi.values().removeIf(s -> s == sa);
        halfOpenByInitiator.values().remove(sa);
        if (pool != null && sa.virtualIp() != null) {
            boolean stillUsed = sas().stream().anyMatch(o -> sa.virtualIp().equals(o.virtualIp()));
            if (!stillUsed) pool.release(sa.virtualIp());
        }
    }

    private static String initiatorKey(long spiI, InetSocketAddress source) {
        return Long.toHexString(spiI) + "@" + source;
    }
}
