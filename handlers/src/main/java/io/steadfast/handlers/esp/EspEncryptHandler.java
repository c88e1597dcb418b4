package io.steadfast.handlers.esp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.steadfast.esp.EspDropReason;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.handlers.event.TunnelChanged;
import io.steadfast.handlers.ip.Ipv4;
import io.steadfast.handlers.stage.ControllableStage;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.RateLimitedLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code esp-encrypt}: seals each inner IP packet into tunnel-mode ESP with the SA whose traffic
 * selectors cover it and passes it on as a
 * {@link DatagramPacket} addressed to that SA's peer, for {@code udp-send}. Encrypts in place: packets
 * read from the TUN carry spare room for the ESP header and trailer; a packet without it is copied once
 * (counted as {@code copies}). A packet no SA covers, or one an SA refuses (sequence numbers or lifetime
 * used up), is dropped and counted by reason.
 *
 * <p>Selection, as an IPsec SPD would do it: an SA whose care-of address (our tunnel address through its
 * gateway) is the packet's source wins, since only that gateway accepts that source; else the SA chosen
 * with {@code use}; else the first, in profile order, whose remote traffic selector covers the destination.
 *
 * <p>A client with several gateways lists one outbound SA per gateway; {@code use NAME} through the control
 * socket (or {@link #use}) makes SA {@code NAME} the one tried first, so its gateway carries the traffic from
 * the next packet on. If that SA has a care-of address, the switch fires {@link TunnelChanged} down the
 * pipeline, and {@code relay-client} re-registers with the relay.
 *
 * <pre>{@code
 * new EspEncryptHandler(List.of(new OutboundSa("to-gw1", new EspEncryptor(sa), gw1, 0, 0)));
 * }</pre>
 */
public final class EspEncryptHandler extends ChannelInboundHandlerAdapter implements CountingStage, ControllableStage {
    private static final Logger LOG = LoggerFactory.getLogger(EspEncryptHandler.class);

    private OutboundSa[] sas;
    private long[] packets;
    private long[] bytes;
    private final long[] drops = new long[EspDropReason.values().length];
    private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private ChannelHandlerContext ctx;
    private boolean anyCareOf;
    private int preferred = -1;
    private String wanted;
    private long noSa;
    private long copies;
    private long switches;

    public EspEncryptHandler(List<OutboundSa> sas) {
        this.sas = new OutboundSa[0];
        this.packets = new long[0];
        this.bytes = new long[0];
        for (OutboundSa sa : sas) add(sa);
    }

    /**
     * Adds an SA (e.g. one IKE just negotiated) after the others. Call on the event loop.
     *
     * @throws IllegalArgumentException if an SA of that name exists
     */
    public void add(OutboundSa sa) {
        if (indexOf(sa.name()) >= 0) throw new IllegalArgumentException("an outbound SA named \"" + sa.name() + "\" exists");
        int n = sas.length;
        sas = java.util.Arrays.copyOf(sas, n + 1);
        packets = java.util.Arrays.copyOf(packets, n + 1);
        bytes = java.util.Arrays.copyOf(bytes, n + 1);
        sas[n] = sa;
        anyCareOf |= sa.careOf() != 0;
        if (sa.name().equals(wanted) && ctx != null) use(sa.name());
    }

    /**
     * Puts {@code sa} in the place of the SA named {@code name} (a rekey: from the next packet on), keeping
     * its place, its counters and whether it is in use; returns the SA replaced.
     */
    public OutboundSa replace(String name, OutboundSa sa) {
        int i = indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no outbound SA named \"" + name + "\"; there are " + names());
        if (!sa.name().equals(name) && indexOf(sa.name()) >= 0) {
            throw new IllegalArgumentException("an outbound SA named \"" + sa.name() + "\" exists");
        }
        OutboundSa old = sas[i];
        sas[i] = sa;
        anyCareOf |= sa.careOf() != 0;
        return old;
    }

    /** Removes the SA named {@code name} (its gateway is gone); returns it, or null if there is none. */
    public OutboundSa remove(String name) {
        int i = indexOf(name);
        if (i < 0) return null;
        OutboundSa old = sas[i];
        int n = sas.length;
        System.arraycopy(sas, i + 1, sas, i, n - i - 1);
        System.arraycopy(packets, i + 1, packets, i, n - i - 1);
        System.arraycopy(bytes, i + 1, bytes, i, n - i - 1);
        sas = java.util.Arrays.copyOf(sas, n - 1);
        packets = java.util.Arrays.copyOf(packets, n - 1);
        bytes = java.util.Arrays.copyOf(bytes, n - 1);
        if (preferred == i) preferred = -1;
        else if (preferred > i) preferred--;
        return old;
    }

    /** True if an outbound SA of that name exists now. */
    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    private int indexOf(String name) {
        for (int i = 0; i < sas.length; i++) {
            if (sas[i].name().equals(name)) return i;
        }
        return -1;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int version = Ipv4.version(packet);
        int index = select(packet, version);
        if (index < 0) {
            noSa++;
            dropLog.warn("{}: no SA covers {}; dropped", ctx.name(),
                    version == 4 && packet.readableBytes() >= 20 ? Ipv4.toString(Ipv4.destination(packet)) : "an IPv" + version + " packet");
            packet.release();
            return;
        }
        OutboundSa sa = sas[index];
        EspEncryptor encryptor = sa.encryptor();
        ByteBuf room = withRoom(ctx, packet, encryptor);
        int length = room.readableBytes();
        EspDropReason refused = encryptor.seal(room, version == 6 ? 41 : 4);
        if (refused != null) {
            drops[refused.ordinal()]++;
            dropLog.warn("{}: SA {} refused a packet: {}", ctx.name(), sa.name(), refused);
            room.release();
            return;
        }
        packets[index]++;
        bytes[index] += length;
        ctx.fireChannelRead(new DatagramPacket(room, sa.peer()));
    }

    private int select(ByteBuf packet, int version) {
        boolean v4 = version == 4 && packet.readableBytes() >= Ipv4.MIN_HEADER_LENGTH;
        int destination = v4 ? Ipv4.destination(packet) : 0;
        if (anyCareOf && v4) {
            int source = Ipv4.source(packet);
            for (int i = 0; i < sas.length; i++) {
                if (sas[i].careOf() == source && covers(sas[i], version, destination)) return i;
            }
        }
        if (preferred >= 0 && covers(sas[preferred], version, destination)) return preferred;
        for (int i = 0; i < sas.length; i++) {
            if (covers(sas[i], version, destination)) return i;
        }
        return -1;
    }

    private static boolean covers(OutboundSa sa, int version, int destination) {
        return version == 4 ? sa.covers(destination) : sa.selectorLength() == 0;
    }

    /**
     * Makes the SA named {@code name} the one tried first and, if it has a care-of address, fires
     * {@link TunnelChanged} down the pipeline. Call on the channel's event loop, after the handler was added.
     *
     * @return the SA now in use
     * @throws IllegalArgumentException if no outbound SA has that name
     */
    public OutboundSa use(String name) {
        int index = indexOf(name);
        if (index < 0) throw new IllegalArgumentException("no outbound SA named \"" + name + "\"; there are " + names());
        OutboundSa sa = sas[index];
        int previous = preferred;
        preferred = index;
        switches++;
        LOG.info("{}: outbound traffic now goes through SA {} to {}{}", ctx.name(), sa.name(), endpoint(sa),
                previous >= 0 && previous != index ? " (was " + sas[previous].name() + ")" : "");
        if (sa.careOf() != 0) ctx.pipeline().fireUserEventTriggered(new TunnelChanged(sa.careOf()));
        return sa;
    }

    /**
     * Like {@link #use}, but the SA may come later (IKE has not negotiated it yet): then it is used, and its
     * care-of announced, as soon as it is added. Returns true if it is in use now.
     */
    public boolean prefer(String name) {
        wanted = name;
        if (indexOf(name) < 0) return false;
        if (preferred < 0 || !sas[preferred].name().equals(name)) use(name);
        return true;
    }

    /** The care-of address of the SA named {@code name}, 0 if it has none or there is no such SA. */
    public int careOf(String name) {
        int i = indexOf(name);
        return i < 0 ? 0 : sas[i].careOf();
    }

    /** The SA tried first: the one chosen by {@link #use}, else the first listed. */
    public OutboundSa active() {
        return sas.length == 0 ? null : sas[Math.max(preferred, 0)];
    }

    @Override
    public String control(String command) {
        String[] words = command.strip().split("\\s+");
        if (words.length == 2 && words[0].equals("use")) {
            OutboundSa sa = use(words[1]);
            return ctx.name() + ": now using " + sa.name() + " to " + endpoint(sa)
                    + (sa.careOf() != 0 ? ", care-of " + Ipv4.toString(sa.careOf()) + " announced" : "");
        }
        if (words.length == 1 && words[0].equals("status")) {
            OutboundSa sa = active();
            return ctx.name() + ": " + (sa == null ? "no SAs" : "using " + sa.name() + " to " + endpoint(sa)) + "; SAs " + names();
        }
        throw new IllegalArgumentException(ctx.name() + " takes: use SA-NAME (one of " + names() + ") | status");
    }

    private String names() {
        StringBuilder b = new StringBuilder();
        for (OutboundSa sa : sas) b.append(b.isEmpty() ? "" : ", ").append(sa.name());
        return b.isEmpty() ? "(none)" : b.toString();
    }

    private static String endpoint(OutboundSa sa) {
        return sa.peer().getAddress().getHostAddress() + ":" + sa.peer().getPort();
    }

    /** The packet itself if it has room for the ESP header and trailer, else a copy with room. */
    private ByteBuf withRoom(ChannelHandlerContext ctx, ByteBuf packet, EspEncryptor encryptor) {
        int head = encryptor.headroom();
        int tail = encryptor.maxTailroom();
        if (packet.readerIndex() >= head && packet.writableBytes() >= tail && packet.refCnt() == 1) {
            return packet;
        }
        copies++;
        int length = packet.readableBytes();
        ByteBuf copy = ctx.alloc().directBuffer(head + length + tail);
        copy.writerIndex(head).readerIndex(head);
        copy.writeBytes(packet, packet.readerIndex(), length);
        ReferenceCountUtil.release(packet);
        return copy;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        for (int i = 0; i < sas.length; i++) {
            c.put(sas[i].name() + ".packets", packets[i]);
            c.put(sas[i].name() + ".bytes", bytes[i]);
        }
        c.put("copies", copies);
        c.put("switches", switches);
        c.put("dropped.no-sa", noSa);
        for (EspDropReason r : EspDropReason.values()) {
            if (drops[r.ordinal()] > 0) c.put(r.counterName(), drops[r.ordinal()]);
        }
        return c;
    }
}
