package io.steadfast.handlers.esp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.steadfast.esp.EspDropReason;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.handlers.ip.Ipv4;
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
 * selector covers its destination (first match, profile order) and passes it on as a
 * {@link DatagramPacket} addressed to that SA's peer, for {@code udp-send}. Encrypts in place: packets
 * read from the TUN carry spare room for the ESP header and trailer; a packet without it is copied once
 * (counted as {@code copies}). A packet no SA covers, or one an SA refuses (sequence numbers or lifetime
 * used up), is dropped and counted by reason.
 *
 * <pre>{@code
 * new EspEncryptHandler(List.of(new OutboundSa("to-gw1", new EspEncryptor(sa), gw1, 0, 0)));
 * }</pre>
 */
public final class EspEncryptHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    private static final Logger LOG = LoggerFactory.getLogger(EspEncryptHandler.class);

    private final OutboundSa[] sas;
    private final long[] packets;
    private final long[] bytes;
    private final long[] drops = new long[EspDropReason.values().length];
    private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private long noSa;
    private long copies;

    public EspEncryptHandler(List<OutboundSa> sas) {
        this.sas = sas.toArray(OutboundSa[]::new);
        this.packets = new long[this.sas.length];
        this.bytes = new long[this.sas.length];
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
        int destination = version == 4 && packet.readableBytes() >= Ipv4.MIN_HEADER_LENGTH ? Ipv4.destination(packet) : 0;
        for (int i = 0; i < sas.length; i++) {
            if (version == 4 ? sas[i].covers(destination) : sas[i].selectorLength() == 0) return i;
        }
        return -1;
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
        c.put("dropped.no-sa", noSa);
        for (EspDropReason r : EspDropReason.values()) {
            if (drops[r.ordinal()] > 0) c.put(r.counterName(), drops[r.ordinal()]);
        }
        return c;
    }
}
