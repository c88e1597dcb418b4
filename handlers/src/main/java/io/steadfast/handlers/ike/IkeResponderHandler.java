package io.steadfast.handlers.ike;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.steadfast.esp.EspInUdp;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.DeadlineTimer;
import io.steadfast.handlers.stage.DescribedStage;
import io.steadfast.handlers.udp.IkeSink;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.sa.Actions;
import io.steadfast.ike.sa.ChildSa;
import io.steadfast.ike.sa.Datagram;
import io.steadfast.ike.sa.IkeEvent;
import io.steadfast.ike.sa.IkeResponder;
import io.steadfast.ike.sa.IkeSa;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code ike-responder} (gateway, UDP 4500 pipeline, right after {@code udp-recv}): our IKEv2 gateway.
 * A thin adapter over {@link IkeResponder} (cookies under load, a cap on half-open SAs, PSK, a virtual-IP pool,
 * traffic-selector narrowing, rekeys, liveness): datagrams in and out on the ESP socket, a timer at the
 * responder's next deadline, and every client's Child SA put into the ESP stages: the outbound SA into
 * {@code esp-encrypt} (named after the client's virtual IP, selecting packets to that address, sent to the
 * client's address and port), the inbound one into {@code esp-decrypt}. The TUN must route the pool into
 * the gateway. Initiators may also start on UDP 500 through a second socket ({@link #ikePortHandler()}); they
 * move to the ESP socket after IKE_SA_INIT (we fake a NAT, as strongSwan's {@code encap = yes} does). Closing the
 * socket first sends every client a DELETE. The handshake code is warmed up in the
 * background from the start ({@link BackgroundWarmup}).
 *
 * <pre>{@code
 * udp.pipeline().addLast("udp-recv", new UdpReceiveHandler())
 *               .addLast("ike-responder", new IkeResponderHandler(responder, () -> tun, System::nanoTime))
 *               .addLast("esp-decrypt", decrypt);
 * }</pre>
 */
public final class IkeResponderHandler extends ChannelDuplexHandler implements IkeSink, CountingStage, DescribedStage {
    private static final Logger LOG = LoggerFactory.getLogger(IkeResponderHandler.class);

    private final IkeResponder responder;
    private final Supplier<Channel> tun;
    private final LongSupplier clock;
    private final ChildSaInstaller installer;
    private final Map<Integer, ChildSa> children = new HashMap<>();      // by our inbound SPI
    private final Map<Integer, String> nameOf = new HashMap<>();         // inbound SPI -> the client's SA name
    private final Map<String, Integer> childrenPerName = new HashMap<>();
    private ChannelHandlerContext ctx;
    private Channel ikePort; // UDP 500, if the runtime opened it
    private final DeadlineTimer timer;
    private long datagramsIn;
    private long datagramsOut;
    private long childSasUp;

    /** @param clock the monotonic clock {@code responder} was made with (nanoseconds) */
    public IkeResponderHandler(IkeResponder responder, Supplier<Channel> tun, LongSupplier clock) {
        this.responder = responder;
        this.tun = tun;
        this.clock = clock;
        this.timer = new DeadlineTimer(clock, this::onTimer);
        this.installer = new ChildSaInstaller("ike-responder", () -> ctx.pipeline(), tun);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket datagram) || EspInUdp.classify(datagram.content()) != EspInUdp.Kind.IKE) {
            ctx.fireChannelRead(msg);
            return;
        }
        receive(datagram);
    }

    /** An IKE datagram from either socket: to the responder, its answers out. */
    private void receive(DatagramPacket datagram) {
        try {
            datagramsIn++;
            ByteBuf content = datagram.content();
            byte[] payload = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), payload);
            dispatch(responder.receive(datagram.sender(), payload, clock.getAsLong()));
        } finally {
            datagram.release();
        }
        reschedule();
    }

    /**
     * The handler of a second socket on UDP 500, where initiators start IKE without the non-ESP marker (RFC 7296
     * 2.23): its datagrams go to the same responder, and answers without the marker leave from it. The socket must
     * be on this stage's event loop.
     */
    public ChannelInboundHandlerAdapter ikePortHandler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext portCtx) {
                ikePort = portCtx.channel();
                portCtx.fireChannelActive();
            }

            @Override
            public void channelInactive(ChannelHandlerContext portCtx) {
                ikePort = null;
                portCtx.fireChannelInactive();
            }

            @Override
            public void channelRead(ChannelHandlerContext portCtx, Object msg) {
                if (msg instanceof DatagramPacket datagram && ctx != null) receive(datagram);
                else io.netty.util.ReferenceCountUtil.release(msg);
            }
        };
    }

    private void dispatch(Actions actions) {
        boolean viaPort = false;
        for (Datagram d : actions.datagrams()) {
            datagramsOut++;
            DatagramPacket packet = new DatagramPacket(Unpooled.wrappedBuffer(d.payload()), d.peer());
            if (ikePort != null && !NatTraversal.hasNonEspMarker(d.payload())) {
                ikePort.write(packet);
                viaPort = true;
            } else {
                ctx.write(packet);
            }
        }
        if (viaPort) ikePort.flush();
        if (!actions.datagrams().isEmpty()) ctx.flush();
        for (IkeEvent e : actions.events()) {
            switch (e) {
                case IkeEvent.ChildSaUp up -> childUp(up.sa(), up.child());
                case IkeEvent.ChildSaRekeyed r -> {
                    String name = nameOf.get(r.old().inboundSpi());
                    if (name == null) break;
                    children.put(r.replacement().inboundSpi(), r.replacement());
                    nameOf.put(r.replacement().inboundSpi(), name);
                    childrenPerName.merge(name, 1, Integer::sum);
                    int v = address(r.replacement());
                    installer.rekeyed(name, r.replacement(), r.sa().remote(), v, 32, 0);
                }
                case IkeEvent.ChildSaDown down -> childDown(down.child());
                case IkeEvent.Failed f -> LOG.warn("ike-responder: {}", f.reason());
                default -> { }
            }
        }
    }

    private void childUp(IkeSa sa, ChildSa child) {
        int v = address(child);
        if (v == 0) {
            LOG.warn("ike-responder: a Child SA with {} has no virtual IP; not installed", sa.peerIdentity());
            return;
        }
        String name = io.steadfast.handlers.ip.Ipv4.toString(v);
        childSasUp++;
        children.put(child.inboundSpi(), child);
        nameOf.put(child.inboundSpi(), name);
        childrenPerName.merge(name, 1, Integer::sum);
        installer.up(name, child, sa.remote(), v, 32, 0);
        LOG.info("ike-responder: {} at {} has {}, SPIs in 0x{} out 0x{}", sa.peerIdentity(), endpoint(sa.remote()), name,
                Integer.toHexString(child.inboundSpi()), Integer.toHexString(child.outboundSpi()));
    }

    private void childDown(ChildSa child) {
        if (children.remove(child.inboundSpi()) == null) return;
        String name = nameOf.remove(child.inboundSpi());
        int left = childrenPerName.merge(name, -1, Integer::sum);
        if (left <= 0) childrenPerName.remove(name);
        installer.down(name, child, left <= 0);
    }

    private static int address(ChildSa child) {
        return child.virtualIp() == null ? 0 : ByteBuffer.wrap(child.virtualIp().getAddress()).getInt();
    }

    private void reschedule() {
        timer.at(ctx.executor(), responder.nextDeadline());
    }

    private void onTimer() {
        dispatch(responder.onTimer(clock.getAsLong()));
        reschedule();
    }

    /** Sends every client a DELETE before the socket closes. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        dispatch(responder.closeAll(clock.getAsLong()));
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
        long established = responder.sas().stream().filter(s -> s.state() == IkeSa.State.ESTABLISHED).count();
        c.put("ike-sas", established);
        c.put("half-open", (long) responder.halfOpen());
        c.put("child-sas.up", childSasUp);
        c.put("addresses.leased", (long) responder.leasedAddresses());
        c.put("datagrams.in", datagramsIn);
        c.put("datagrams.out", datagramsOut);
        return c;
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (IkeSa sa : responder.sas()) {
            b.append("client ").append(sa.peerIdentity()).append(" at ").append(endpoint(sa.remote())).append(": ").append(sa.state())
                    .append(sa.virtualIp() != null ? ", virtual IP " + sa.virtualIp().getHostAddress() : "").append('\n');
        }
        return b.toString();
    }

    private static String endpoint(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
