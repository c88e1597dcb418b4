package io.steadfast.handlers.esp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.collection.IntObjectHashMap;
import io.steadfast.esp.EspDecryptor;
import io.steadfast.esp.EspDropReason;
import io.steadfast.esp.EspInUdp;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.RateLimitedLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code esp-decrypt}: opens each ESP datagram with the inbound SA its SPI names: anti-replay check,
 * ICV, decryption in place, padding check. What survives goes on as the inner IP packet (a
 * {@link ByteBuf}); everything else (unknown SPI, replayed, too old, bad ICV, bad padding, truncated ...)
 * is dropped and counted by reason, and logged at most once per interval, so nothing unauthenticated
 * ever reaches the TUN.
 *
 * <pre>{@code
 * udp.pipeline().addLast("udp-recv", new UdpReceiveHandler())
 *               .addLast("esp-decrypt", new EspDecryptHandler(List.of(new InboundSa("from-gw1", new EspDecryptor(sa)))))
 *               .addLast("tun-write", new TunWriteHandler(() -> tun));
 * }</pre>
 */
public final class EspDecryptHandler extends ChannelInboundHandlerAdapter implements CountingStage {
    private static final Logger LOG = LoggerFactory.getLogger(EspDecryptHandler.class);

    /** An inbound SA by name. */
    public record InboundSa(String name, int spi, EspDecryptor decryptor) {}

    private final InboundSa[] sas;
    private final IntObjectHashMap<Integer> indexBySpi = new IntObjectHashMap<>();
    private final long[] packets;
    private final long[] bytes;
    private final long[] drops = new long[EspDropReason.values().length];
    private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private final long[] lastNanos;
    private long lastInboundNanos;

    public EspDecryptHandler(List<InboundSa> sas) {
        this.sas = sas.toArray(InboundSa[]::new);
        this.packets = new long[this.sas.length];
        this.bytes = new long[this.sas.length];
        this.lastNanos = new long[this.sas.length];
        for (int i = 0; i < this.sas.length; i++) {
            if (indexBySpi.put(this.sas[i].spi(), Integer.valueOf(i)) != null) {
                throw new IllegalArgumentException("two inbound SAs with SPI 0x" + Integer.toHexString(this.sas[i].spi()));
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket datagram)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf esp = datagram.content();
        if (esp.readableBytes() < 8) {
            drop(ctx, datagram, EspDropReason.TRUNCATED, null);
            return;
        }
        Integer index = indexBySpi.get(EspInUdp.spi(esp));
        if (index == null) {
            drop(ctx, datagram, EspDropReason.UNKNOWN_SPI, null);
            return;
        }
        InboundSa sa = sas[index];
        int length = esp.readableBytes();
        EspDropReason refused = sa.decryptor().open(esp);
        if (refused != null) {
            drop(ctx, datagram, refused, sa);
            return;
        }
        packets[index]++;
        bytes[index] += length;
        lastInboundNanos = System.nanoTime();
        lastNanos[index] = lastInboundNanos;
        ctx.fireChannelRead(esp); // the inner packet; the datagram wrapper is done with
    }

    private void drop(ChannelHandlerContext ctx, DatagramPacket datagram, EspDropReason reason, InboundSa sa) {
        drops[reason.ordinal()]++;
        dropLog.warn("{}: dropped an ESP packet from {}{}: {}", ctx.name(), datagram.sender(),
                sa == null ? "" : " on SA " + sa.name(), reason);
        datagram.release();
    }

    /** {@link System#nanoTime()} of the last packet that passed every check, 0 before the first. */
    public long lastInboundNanos() {
        return lastInboundNanos;
    }

    /** The position of the inbound SA named {@code name}, for {@link #lastInboundNanos(int)}; -1 if none. */
    public int indexOf(String name) {
        for (int i = 0; i < sas.length; i++) {
            if (sas[i].name().equals(name)) return i;
        }
        return -1;
    }

    /** {@link System#nanoTime()} of the last packet that passed every check on SA {@code index}, 0 before the first. */
    public long lastInboundNanos(int index) {
        return lastNanos[index];
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        for (int i = 0; i < sas.length; i++) {
            c.put(sas[i].name() + ".packets", packets[i]);
            c.put(sas[i].name() + ".bytes", bytes[i]);
        }
        for (EspDropReason r : EspDropReason.values()) {
            if (drops[r.ordinal()] > 0) c.put(r.counterName(), drops[r.ordinal()]);
        }
        return c;
    }
}
