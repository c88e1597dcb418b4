package io.steadfast.pipeline.ike;

import io.steadfast.handlers.tun.InNetns;
import io.steadfast.handlers.tun.Netns;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.sa.Actions;
import io.steadfast.ike.sa.Datagram;
import io.steadfast.ike.sa.IkeEvent;
import io.steadfast.ike.sa.IkeResponder;
import io.steadfast.ike.sa.IkeSa;
import io.steadfast.ike.sa.ResponderConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Our responder library on two plain DatagramChannels inside a test namespace (ports 500 and 4500), the loop a
 * gateway's Netty handler will run. Replies behind the non-ESP marker leave from the 4500 socket, the others from
 * port 500; ESP arriving on 4500 (no marker) is counted and ignored here.
 */
final class UdpIkeGateway implements AutoCloseable {
    private final DatagramChannel ike;
    private final DatagramChannel natt;
    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocate(65536);
    final IkeResponder responder;
    final List<IkeEvent> events = new CopyOnWriteArrayList<>();
    int espSeen;

    private UdpIkeGateway(DatagramChannel ike, DatagramChannel natt, IkeResponder responder) throws IOException {
        this.ike = ike;
        this.natt = natt;
        this.responder = responder;
        this.selector = Selector.open();
        for (DatagramChannel c : List.of(ike, natt)) {
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ);
        }
    }

    static UdpIkeGateway open(Netns netns, InetAddress address, ResponderConfig config) throws Exception {
        DatagramChannel ike = InNetns.call(netns.name(), () -> DatagramChannel.open().bind(new InetSocketAddress(address, 500)));
        DatagramChannel natt = InNetns.call(netns.name(), () -> DatagramChannel.open().bind(new InetSocketAddress(address, 4500)));
        IkeResponder responder = new IkeResponder(config, new InetSocketAddress(address, 500), new SecureRandom(),
                System.nanoTime());
        return new UdpIkeGateway(ike, natt, responder);
    }

    /** Runs the loop until {@code done} holds or {@code timeout} passes; returns whether it held. */
    boolean runUntil(BooleanSupplier done, Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long now = System.nanoTime();
            if (now >= end) return false;
            long wake = Math.min(end, responder.nextDeadline());
            if (selector.select(Math.max(1, Math.min(100, (wake - now) / 1_000_000))) > 0) {
                selector.selectedKeys().clear();
                receive(ike, false);
                receive(natt, true);
            }
            if (System.nanoTime() >= responder.nextDeadline()) act(responder.onTimer(System.nanoTime()));
        }
        return true;
    }

    /** The first event of a type so far, or null. */
    <T extends IkeEvent> T event(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }

    void act(Actions actions) throws IOException {
        for (Datagram d : actions.datagrams()) {
            DatagramChannel from = NatTraversal.hasNonEspMarker(d.payload()) ? natt : ike;
            from.send(ByteBuffer.wrap(d.payload()), d.peer());
        }
        events.addAll(actions.events());
    }

    /** Acts on what an SA of ours returned (a liveness check, a close). */
    void act(IkeSa sa, java.util.function.Function<IkeSa, Actions> call) throws IOException {
        act(call.apply(sa));
    }

    private void receive(DatagramChannel channel, boolean nattPort) throws IOException {
        InetSocketAddress from;
        while ((from = (InetSocketAddress) channel.receive(buffer.clear())) != null) {
            byte[] payload = Arrays.copyOf(buffer.array(), buffer.flip().remaining());
            if (nattPort && !NatTraversal.hasNonEspMarker(payload)) {
                espSeen++;
                continue;
            }
            act(responder.receive(from, payload, System.nanoTime()));
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        ike.close();
        natt.close();
    }
}
