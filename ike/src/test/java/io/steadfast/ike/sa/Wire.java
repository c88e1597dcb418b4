package io.steadfast.ike.sa;

import io.steadfast.ike.payload.TrafficSelector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * An in-memory network between our initiators and our responder with a fake clock: datagrams are queued and
 * delivered in order by {@link #run()}; a test may drop, duplicate or alter them on the way ({@link #filter}).
 * Every datagram and event is recorded.
 */
final class Wire {
    static final byte[] PSK = "in-memory pre-shared key".getBytes(StandardCharsets.UTF_8);
    static final InetSocketAddress GATEWAY = address("198.51.100.1", 500);
    static final InetSocketAddress CLIENT = address("192.0.2.10", 40123);
    static final List<TrafficSelector> CLOUD = List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16));

    /** A datagram in flight, from one side to the other. */
    record InFlight(InetSocketAddress from, Datagram datagram, boolean toResponder) {}

    final SecureRandom random;
    final IkeResponder responder;
    final List<IkeSa> initiators = new ArrayList<>();
    final Deque<InFlight> queue = new ArrayDeque<>();
    final List<InFlight> sent = new ArrayList<>();
    final List<IkeEvent> initiatorEvents = new ArrayList<>();
    final List<IkeEvent> responderEvents = new ArrayList<>();
    UnaryOperator<InFlight> filter = f -> f;
    long now = TimeUnit.SECONDS.toNanos(1000);

    Wire(ResponderConfig config) {
        this.random = new SecureRandom();
        this.responder = new IkeResponder(config, GATEWAY, random, now);
    }

    static ResponderConfig gateway() {
        return ResponderConfig.psk("gw.example", Map.of("client.example", PSK), "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", CLOUD, "10.99.0.0/24");
    }

    static InitiatorConfig client() {
        return InitiatorConfig.psk("client.example", PSK, "aes128gcm16-prfsha256-x25519", "aes128gcm16", CLOUD);
    }

    /** A new initiator from {@link #CLIENT} (or another source), started. */
    IkeSa start(InitiatorConfig config) {
        return start(config, CLIENT);
    }

    IkeSa start(InitiatorConfig config, InetSocketAddress from) {
        IkeSa sa = IkeSa.initiator(config, from, GATEWAY, random);
        initiators.add(sa);
        fromInitiator(sa, sa.start(now));
        return sa;
    }

    void fromInitiator(IkeSa sa, Actions actions) {
        InetSocketAddress from = source(sa);
        actions.datagrams().forEach(d -> queue.add(new InFlight(from, d, true)));
        initiatorEvents.addAll(actions.events());
    }

    void fromResponder(Actions actions) {
        InetSocketAddress natt = new InetSocketAddress(GATEWAY.getAddress(), 4500);
        actions.datagrams().forEach(d -> queue.add(new InFlight(
                io.steadfast.ike.NatTraversal.hasNonEspMarker(d.payload()) ? natt : GATEWAY, d, false)));
        responderEvents.addAll(actions.events());
    }

    /** Delivers everything queued (and what the answers queue) through the filter; returns how many were delivered. */
    int run() {
        int delivered = 0;
        while (!queue.isEmpty() && delivered < 10_000) {
            InFlight f = filter.apply(queue.poll());
            if (f == null) continue;
            sent.add(f);
            delivered++;
            deliver(f);
        }
        return delivered;
    }

    void deliver(InFlight f) {
        if (f.toResponder()) {
            fromResponder(responder.receive(f.from(), f.datagram().payload(), now));
        } else {
            for (IkeSa sa : initiators) {
                if (f.datagram().peer().getAddress().equals(source(sa).getAddress())
                        && f.datagram().peer().getPort() == source(sa).getPort()) {
                    fromInitiator(sa, sa.receive(f.from(), f.datagram().payload(), now));
                }
            }
        }
    }

    /** Moves the clock to the earliest deadline (or by {@code atMost} nanoseconds) and ticks everyone. */
    void tick(long atMost) {
        long next = Math.min(responder.nextDeadline(), initiators.stream().mapToLong(IkeSa::nextDeadline).min()
                .orElse(IkeSa.NO_DEADLINE));
        long limit = atMost > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + atMost;
        now = Math.min(next, limit);
        for (IkeSa sa : initiators) fromInitiator(sa, sa.onTimer(now));
        fromResponder(responder.onTimer(now));
    }

    /** Ticks and delivers until nothing is due within {@code horizon} nanoseconds. */
    void settle(long horizon) {
        long end = now + horizon;
        run();
        while (now < end) {
            tick(end - now);
            run();
        }
    }

    <T extends IkeEvent> List<T> initiatorEvents(Class<T> type) {
        return initiatorEvents.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends IkeEvent> List<T> responderEvents(Class<T> type) {
        return responderEvents.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The responder's SA for an initiator SA. */
    IkeSa peerOf(IkeSa initiator) {
        return responder.sas().stream().filter(s -> s.initiatorSpi() == initiator.initiatorSpi()).findFirst().orElseThrow();
    }

    private static InetSocketAddress source(IkeSa sa) {
        return sa.context().local;
    }

    static InetSocketAddress address(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
