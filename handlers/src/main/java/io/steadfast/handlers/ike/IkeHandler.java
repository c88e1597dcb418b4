package io.steadfast.handlers.ike;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.steadfast.handlers.event.GatewayWanted;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.DeadlineTimer;
import io.steadfast.handlers.stage.DescribedStage;
import io.steadfast.handlers.udp.IkeSink;
import io.steadfast.ike.sa.Actions;
import io.steadfast.ike.sa.ChildSa;
import io.steadfast.ike.sa.Datagram;
import io.steadfast.ike.sa.IkeEvent;
import io.steadfast.ike.sa.IkeSa;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code ike} (client, UDP 4500 pipeline, right after {@code udp-recv}): an IKEv2 initiator per
 * configured gateway, on the same socket as ESP (every IKE message behind the non-ESP marker, RFC 7296 2.23).
 * A thin adapter over {@link IkeSa}: datagrams in and out, a timer at the SAs' next deadline, and the
 * Child SAs they negotiate put into the data path: the outbound SA into {@code esp-encrypt} (named after the
 * gateway, its care-of address the virtual IP the gateway assigned), the inbound one into
 * {@code esp-decrypt}. A rekey adds the new inbound SA first, then swaps the outbound one; the old inbound
 * SA goes when IKE deletes it. A Child SA with fewer than {@link io.steadfast.esp.Esp#SEQUENCE_REKEY_MARGIN}
 * sequence numbers left either way, or with {@link #rekeyPackets} packets carried, is rekeyed by us (checked
 * every second; asked again after 30 s without an answer), whether or not the gateway rekeys by time. A failed
 * or deleted IKE SA is started again after a backoff (2 s, doubling to 60 s). Closing the channel first sends
 * every gateway a DELETE. After the first IKE SA is up, the handshake code is warmed up in the background
 * ({@link BackgroundWarmup}), so later handshakes (reconnects, failovers) run compiled.
 *
 * <p>Hot standby (the default) brings up an SA with every gateway at once, so a failover only swaps SAs;
 * cold standby starts with the first gateway only and with another when a {@link GatewayWanted} event names
 * it (for gateways that limit sessions; the switch then waits for one IKE handshake).
 *
 * <pre>{@code
 * udp.pipeline().addLast("udp-recv", new UdpReceiveHandler())
 *               .addLast("ike", new IkeHandler(gateways, () -> tun, new SecureRandom(), System::nanoTime))
 *               .addLast("esp-decrypt", decrypt);
 * }</pre>
 */
public final class IkeHandler extends ChannelDuplexHandler implements IkeSink, CountingStage, DescribedStage {
    private static final Logger LOG = LoggerFactory.getLogger(IkeHandler.class);
    private static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How often the Child SAs are checked for a wanted rekey (few sequence numbers left either way). */
    static final long REKEY_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A rekey asked for and not completed after this long is asked for again. */
    static final long REKEY_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final List<IkeGateway> gateways;
    private final Supplier<Channel> tun;
    private final SecureRandom random;
    private final LongSupplier clock;
    private final Session[] sessions;
    private final boolean cold;
    private final ChildSaInstaller installer;
    private ChannelHandlerContext ctx;
    private final DeadlineTimer timer;
    private long datagramsIn;
    private long datagramsOut;
    private long unknownSource;
    private long childSasUp;
    private long rekeysStarted;
    private long nextRekeyCheck = IkeSa.NO_DEADLINE;
    private long rekeyPackets;
    private final Map<ChildSa, Long> rekeysAsked = new IdentityHashMap<>(); // Child SA -> when its rekey was asked for

    /** One gateway's IKE SA, its Child SAs in the data path, and when to try again. */
    private static final class Session {
        final IkeGateway gateway;
        IkeSa sa;
        long retryAt = IkeSa.NO_DEADLINE;
        long backoff = FIRST_RETRY_NANOS;
        final Map<Integer, ChildSa> children = new LinkedHashMap<>(); // by our inbound SPI

        Session(IkeGateway gateway) {
            this.gateway = gateway;
        }
    }

    /**
     * @param tun the TUN channel, whose pipeline holds {@code esp-encrypt}
     * @param clock the monotonic clock the IKE SAs' deadlines are in (nanoseconds)
     */
    public IkeHandler(List<IkeGateway> gateways, Supplier<Channel> tun, SecureRandom random, LongSupplier clock) {
        this(gateways, tun, random, clock, false);
    }

    /** @param cold start IKE with the first gateway only, and with another when it is wanted */
    public IkeHandler(List<IkeGateway> gateways, Supplier<Channel> tun, SecureRandom random, LongSupplier clock, boolean cold) {
        if (gateways.isEmpty()) throw new IllegalArgumentException("no gateways");
        this.cold = cold;
        this.gateways = List.copyOf(gateways);
        this.tun = tun;
        this.random = random;
        this.clock = clock;
        this.sessions = this.gateways.stream().map(Session::new).toArray(Session[]::new);
        this.timer = new DeadlineTimer(clock, this::onTimer);
        this.installer = new ChildSaInstaller("ike", () -> ctx.pipeline(), tun);
    }

    /**
     * Also rekeys a Child SA once it carried {@code packets} packets in either direction (strongSwan's
     * {@code rekey_packets}); 0, the default, rekeys only when sequence numbers run low. Call before the channel
     * is active.
     */
    public IkeHandler rekeyPackets(long packets) {
        if (packets < 0) throw new IllegalArgumentException("rekey packets must not be negative: " + packets);
        this.rekeyPackets = packets;
        return this;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) startAll();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startAll();
        ctx.fireChannelActive();
    }

    private void startAll() {
        long now = clock.getAsLong();
        for (Session s : sessions) {
            if (s.sa == null) start(s, now);
            if (cold) break;
        }
        reschedule();
    }

    /** Cold standby: a gateway the traffic is to go through gets its IKE SA now. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof GatewayWanted wanted) {
            for (Session s : sessions) {
                if (s.gateway.name().equals(wanted.name()) && (s.sa == null || s.retryAt != IkeSa.NO_DEADLINE)) {
                    LOG.info("ike: gateway {} wanted: starting IKE", s.gateway.name());
                    start(s, clock.getAsLong());
                    reschedule();
                }
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void start(Session s, long now) {
        InetSocketAddress local = ctx.channel().localAddress() instanceof InetSocketAddress bound ? bound : new InetSocketAddress(0);
        s.sa = IkeSa.initiator(s.gateway.config(), local, s.gateway.address(), random);
        s.retryAt = IkeSa.NO_DEADLINE;
        LOG.info("ike: connecting to gateway {} at {}", s.gateway.name(), endpoint(s.gateway.address()));
        dispatch(s, s.sa.start(now));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket datagram) || io.steadfast.esp.EspInUdp.classify(datagram.content()) != io.steadfast.esp.EspInUdp.Kind.IKE) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            datagramsIn++;
            Session s = sessionFrom(datagram.sender());
            if (s == null || s.sa == null) {
                unknownSource++;
                return;
            }
            ByteBuf content = datagram.content();
            byte[] payload = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), payload);
            dispatch(s, s.sa.receive(datagram.sender(), payload, clock.getAsLong()));
            reschedule();
        } finally {
            datagram.release();
        }
    }

    private Session sessionFrom(InetSocketAddress sender) {
        for (Session s : sessions) {
            if (s.gateway.address().getAddress().equals(sender.getAddress())) return s;
        }
        return null;
    }

    /** Sends what the SA asks to send and applies its events to the data path. */
    private void dispatch(Session s, Actions actions) {
        for (Datagram d : actions.datagrams()) {
            datagramsOut++;
            ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(d.payload()), d.peer()));
        }
        if (!actions.datagrams().isEmpty()) ctx.flush();
        for (IkeEvent e : actions.events()) {
            switch (e) {
                case IkeEvent.Established est -> {
                    s.backoff = FIRST_RETRY_NANOS;
                    LOG.info("ike: {}: IKE SA established with {} ({})", s.gateway.name(), est.sa().peerIdentity(), est.sa().ikeProposal());
                }
                case IkeEvent.ChildSaUp up -> childUp(s, up.child());
                case IkeEvent.ChildSaRekeyed rekeyed -> childRekeyed(s, rekeyed.old(), rekeyed.replacement());
                case IkeEvent.ChildSaDown down -> childDown(s, down.child());
                case IkeEvent.Deleted deleted -> ended(s, deleted.byPeer() ? "deleted by the gateway" : "deleted");
                case IkeEvent.Failed failed -> ended(s, failed.reason());
                default -> { }
            }
        }
    }

    private void childUp(Session s, ChildSa child) {
        childSasUp++;
        if (nextRekeyCheck == IkeSa.NO_DEADLINE) nextRekeyCheck = clock.getAsLong() + REKEY_CHECK_NANOS;
        s.children.put(child.inboundSpi(), child);
        installer.up(s.gateway.name(), child, s.gateway.address(), s.gateway.selectorAddress(), s.gateway.selectorLength(), careOf(s));
        LOG.info("ike: {}: Child SA up, SPIs in 0x{} out 0x{}, virtual IP {}", s.gateway.name(),
                Integer.toHexString(child.inboundSpi()), Integer.toHexString(child.outboundSpi()), s.sa.virtualIp());
    }

    private void childRekeyed(Session s, ChildSa old, ChildSa replacement) {
        s.children.put(replacement.inboundSpi(), replacement);
        installer.rekeyed(s.gateway.name(), replacement, s.gateway.address(), s.gateway.selectorAddress(), s.gateway.selectorLength(),
                careOf(s));
        LOG.info("ike: {}: Child SA rekeyed, SPIs in 0x{} out 0x{}", s.gateway.name(),
                Integer.toHexString(replacement.inboundSpi()), Integer.toHexString(replacement.outboundSpi()));
    }

    private void childDown(Session s, ChildSa child) {
        rekeysAsked.remove(child);
        if (s.children.remove(child.inboundSpi()) == null) return;
        installer.down(s.gateway.name(), child, s.children.isEmpty());
    }

    private void ended(Session s, String why) {
        for (ChildSa child : new ArrayList<>(s.children.values())) childDown(s, child);
        long now = clock.getAsLong();
        s.retryAt = now + s.backoff;
        LOG.warn("ike: {}: IKE SA ended ({}); trying again in {} s", s.gateway.name(), why, TimeUnit.NANOSECONDS.toSeconds(s.backoff));
        s.backoff = Math.min(MAX_RETRY_NANOS, s.backoff * 2);
    }

    /** The virtual IP the gateway assigned, as the care-of address of its SA (0 if none). */
    private static int careOf(Session s) {
        java.net.Inet4Address v = s.sa.virtualIp();
        return v == null ? 0 : java.nio.ByteBuffer.wrap(v.getAddress()).getInt();
    }

    private void reschedule() {
        long next = nextRekeyCheck;
        for (Session s : sessions) {
            if (s.sa != null) next = Math.min(next, s.sa.nextDeadline());
            next = Math.min(next, s.retryAt);
        }
        timer.at(ctx.executor(), next);
    }

    private void onTimer() {
        long now = clock.getAsLong();
        for (Session s : sessions) {
            if (s.retryAt != IkeSa.NO_DEADLINE && now - s.retryAt >= 0) start(s, now);
            else if (s.sa != null && now - s.sa.nextDeadline() >= 0) dispatch(s, s.sa.onTimer(now));
        }
        if (nextRekeyCheck != IkeSa.NO_DEADLINE && now - nextRekeyCheck >= 0) {
            boolean anyChild = false;
            for (Session s : sessions) anyChild |= rekeyWhereWanted(s, now);
            nextRekeyCheck = anyChild ? now + REKEY_CHECK_NANOS : IkeSa.NO_DEADLINE;
        }
        reschedule();
    }

    /**
     * Starts a rekey (make-before-break) of each Child SA whose outbound or inbound ESP SA wants one: an SA without
     * extended sequence numbers runs out after 2^32 packets, about five hours at 250 000 packets a second, and
     * gateways that rekey by time only (or never, as manual ones) would otherwise see the tunnel stop. Returns
     * whether the session has Child SAs.
     */
    private boolean rekeyWhereWanted(Session s, long now) {
        if (s.sa == null || s.sa.state() != IkeSa.State.ESTABLISHED) return !s.children.isEmpty();
        for (ChildSa child : new ArrayList<>(s.children.values())) {
            if (!rekeyWanted(child)) continue;
            Long asked = rekeysAsked.get(child);
            if (asked != null && now - asked < REKEY_RETRY_NANOS) continue;
            rekeysAsked.put(child, now);
            rekeysStarted++;
            LOG.info("ike: {}: Child SA in 0x{} out 0x{} wants a rekey (last sequence numbers out {}, in {}); rekeying",
                    s.gateway.name(), Integer.toHexString(child.inboundSpi()), Integer.toHexString(child.outboundSpi()),
                    Long.toUnsignedString(child.outbound().lastSequenceNumber()),
                    Long.toUnsignedString(child.inbound().lastSequenceNumber()));
            dispatch(s, s.sa.rekeyChild(child, now));
        }
        return !s.children.isEmpty();
    }

    /** Few sequence numbers left either way (or an ESP soft lifetime), or {@link #rekeyPackets} reached either way. */
    private boolean rekeyWanted(ChildSa child) {
        if (child.outbound().isRekeyWanted() || child.inbound().isRekeyWanted()) return true;
        return rekeyPackets > 0 && (child.outbound().packets() >= rekeyPackets || child.inbound().packets() >= rekeyPackets);
    }

    /** Sends every gateway a DELETE before the socket closes (best effort: no answer is awaited). */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        long now = clock.getAsLong();
        for (Session s : sessions) {
            if (s.sa != null && s.sa.state() == IkeSa.State.ESTABLISHED) {
                LOG.info("ike: {}: deleting the IKE SA", s.gateway.name());
                dispatch(s, s.sa.close(now));
            }
        }
        timer.cancel();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timer.cancel();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        long established = 0;
        for (Session s : sessions) {
            if (s.sa != null && s.sa.state() == IkeSa.State.ESTABLISHED) established++;
        }
        c.put("ike-sas", established);
        c.put("child-sas.up", childSasUp);
        c.put("datagrams.in", datagramsIn);
        c.put("datagrams.out", datagramsOut);
        c.put("dropped.unknown-source", unknownSource);
        c.put("child-sas.rekeys-started", rekeysStarted);
        return c;
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Session s : sessions) {
            b.append("gateway ").append(s.gateway.name()).append(' ').append(endpoint(s.gateway.address())).append(": ");
            if (s.sa == null) b.append("not started");
            else b.append(s.sa.state()).append(s.sa.virtualIp() != null ? ", virtual IP " + s.sa.virtualIp().getHostAddress() : "")
                    .append(s.sa.failure() != null ? ", failed: " + s.sa.failure() : "")
                    .append(", child SAs ").append(s.children.keySet().stream().map(spi -> String.format("0x%08x", spi)).toList());
            b.append('\n');
        }
        return b.toString();
    }

    private static String endpoint(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
