package io.steadfast.pipeline.ike;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.steadfast.esp.Esp;
import io.steadfast.esp.EspDecryptor;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.handlers.tun.InNetns;
import io.steadfast.handlers.tun.Netns;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.sa.Actions;
import io.steadfast.ike.sa.ChildSa;
import io.steadfast.ike.sa.Datagram;
import io.steadfast.ike.sa.IkeEvent;
import io.steadfast.ike.sa.IkeSa;
import io.steadfast.ike.sa.InitiatorConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Our initiator library on a plain {@link DatagramChannel} opened inside a test namespace: the loop a Netty handler
 * will run (datagrams in, {@link Actions} out, {@link IkeSa#onTimer} at {@link IkeSa#nextDeadline()}), on the test
 * thread. One socket carries IKE on port 500, IKE behind the non-ESP marker and ESP on the NAT-T port.
 */
final class UdpIkeClient implements AutoCloseable {
    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress local;
    private final ByteBuffer buffer = ByteBuffer.allocate(65536);
    final List<IkeEvent> events = new ArrayList<>();
    final Deque<byte[]> esp = new ArrayDeque<>();
    IkeSa sa;

    private UdpIkeClient(DatagramChannel channel, InetSocketAddress local) throws IOException {
        this.channel = channel;
        this.local = local;
        this.selector = Selector.open();
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
    }

    /** A client socket bound to {@code local} inside {@code netns}. */
    static UdpIkeClient open(Netns netns, InetSocketAddress local) throws Exception {
        DatagramChannel channel = InNetns.call(netns.name(), () -> DatagramChannel.open().bind(local));
        return new UdpIkeClient(channel, local);
    }

    /** Starts an IKE SA toward {@code gateway} port 500. */
    void start(InitiatorConfig config, InetSocketAddress gateway) throws IOException {
        sa = IkeSa.initiator(config, local, gateway, new SecureRandom());
        act(sa.start(System.nanoTime()));
    }

    /** Runs the loop until {@code done} holds or {@code timeout} passes; returns whether it held. */
    boolean runUntil(BooleanSupplier done, Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long now = System.nanoTime();
            if (now >= end) return false;
            long wake = Math.min(end, sa.nextDeadline());
            long waitMillis = Math.max(1, Math.min(200, (wake - now) / 1_000_000));
            if (selector.select(waitMillis) > 0) {
                selector.selectedKeys().clear();
                receiveAll();
            }
            if (System.nanoTime() >= sa.nextDeadline()) act(sa.onTimer(System.nanoTime()));
        }
        return true;
    }

    /** Runs until an event of {@code type} arrives (or a failure, or the timeout); returns it or null. */
    <T extends IkeEvent> T await(Class<T> type, Duration timeout) throws IOException {
        runUntil(() -> events.stream().anyMatch(e -> type.isInstance(e) || e instanceof IkeEvent.Failed), timeout);
        return events.stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }

    /** The failure reason so far, or null. */
    String failure() {
        return events.stream().filter(e -> e instanceof IkeEvent.Failed).map(e -> ((IkeEvent.Failed) e).reason())
                .findFirst().orElse(null);
    }

    void act(Actions actions) throws IOException {
        for (Datagram d : actions.datagrams()) channel.send(ByteBuffer.wrap(d.payload()), d.peer());
        events.addAll(actions.events());
    }

    private void receiveAll() throws IOException {
        InetSocketAddress from;
        while ((from = (InetSocketAddress) channel.receive(buffer.clear())) != null) {
            byte[] payload = Arrays.copyOf(buffer.array(), buffer.flip().remaining());
            boolean ike = from.getPort() != sa.remote().getPort() || sa.remote().getPort() == 500
                    || NatTraversal.hasNonEspMarker(payload);
            if (ike) {
                act(sa.receive(from, payload, System.nanoTime()));
            } else if (payload.length > 1) {
                esp.add(payload);
            }
        }
    }

    /** Seals an IPv4 packet with the Child SA's outbound SA and sends it to the gateway's NAT-T port. */
    void sendEsp(ChildSa child, byte[] ipv4) throws IOException {
        EspEncryptor encryptor = new EspEncryptor(child.outbound());
        ByteBuf buf = Unpooled.buffer(EspEncryptor.MAX_HEADROOM + ipv4.length + encryptor.maxTailroom());
        try {
            buf.writerIndex(EspEncryptor.MAX_HEADROOM).readerIndex(EspEncryptor.MAX_HEADROOM);
            buf.writeBytes(ipv4);
            if (encryptor.seal(buf, Esp.NEXT_HEADER_IPV4) != null) throw new IOException("ESP seal refused");
            channel.send(buf.nioBuffer(), sa.remote());
        } finally {
            buf.release();
        }
    }

    /** Waits for an ESP datagram and opens it with the Child SA's inbound SA; the inner packet or null. */
    byte[] receiveEsp(ChildSa child, Duration timeout) throws IOException {
        runUntil(() -> !esp.isEmpty(), timeout);
        byte[] datagram = esp.poll();
        if (datagram == null) return null;
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        try {
            EspDecryptor decryptor = new EspDecryptor(child.inbound());
            if (decryptor.open(buf) != null) return null;
            byte[] inner = new byte[buf.readableBytes()];
            buf.readBytes(inner);
            return inner;
        } finally {
            buf.release();
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
