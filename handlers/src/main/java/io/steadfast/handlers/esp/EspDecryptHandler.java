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

    private InboundSa[] sas = new InboundSa[0];
    private final IntObjectHashMap<Integer> indexBySpi = new IntObjectHashMap<>();
    private long[] packets = new long[0];
    private long[] bytes = new long[0];
    private final long[] drops = new long[EspDropReason.values().length];
    private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private long[] lastNanos = new long[0];
    private long lastInboundNanos;

    public EspDecryptHandler(List<InboundSa> sas) {
        for (InboundSa sa : sas) add(sa);
    }

    /**
     * Adds an inbound SA (e.g. one IKE just negotiated, next to the one it replaces). Call on the event loop.
     *
     * @throws IllegalArgumentException if its SPI or its name is taken
     */
    public void add(InboundSa sa) {
        if (indexBySpi.containsKey(sa.spi())) {
            throw new IllegalArgumentException("two inbound SAs with SPI 0x" + Integer.toHexString(sa.spi()));
        }
        if (indexOf(sa.name()) >= 0) throw new IllegalArgumentException("an inbound SA named \"" + sa.name() + "\" exists");
        int n = sas.length;
        sas = java.util.Arrays.copyOf(sas, n + 1);
        packets = java.util.Arrays.copyOf(packets, n + 1);
        bytes = java.util.Arrays.copyOf(bytes, n + 1);
        lastNanos = java.util.Arrays.copyOf(lastNanos, n + 1);
        sas[n] = sa;
        indexBySpi.put(sa.spi(), Integer.valueOf(n));
    }

    /** Removes the inbound SA named {@code name} (rekeyed or deleted); returns it, or null if there is none. */
    public InboundSa remove(String name) {
        int i = indexOf(name);
        if (i < 0) return null;
        InboundSa old = sas[i];
        int n = sas.length;
        System.arraycopy(sas, i + 1, sas, i, n - i - 1);
        System.arraycopy(packets, i + 1, packets, i, n - i - 1);
        System.arraycopy(bytes, i + 1, bytes, i, n - i - 1);
        System.arraycopy(lastNanos, i + 1, lastNanos, i, n - i - 1);
        sas = java.util.Arrays.copyOf(sas, n - 1);
        packets = java.util.Arrays.copyOf(packets, n - 1);
        bytes = java.util.Arrays.copyOf(bytes, n - 1);
        lastNanos = java.util.Arrays.copyOf(lastNanos, n - 1);
        indexBySpi.clear();
        for (int j = 0; j < sas.length; j++) indexBySpi.put(sas[j].spi(), Integer.valueOf(j));
        return old;
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

    /** The position of the inbound SA named {@code name} now (positions change when SAs are removed); -1 if none. */
    public int indexOf(String name) {
        for (int i = 0; i < sas.length; i++) {
            if (sas[i].name().equals(name)) return i;
        }
        return -1;
    }

    /** True if an inbound SA of that name exists now. */
    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /**
     * {@link System#nanoTime()} of the last packet that passed every check on SA {@code name}, or on any SA whose
     * name starts with the prefix {@code name} ends in {@code *} (an IKE gateway's SAs, rekeys included); 0 before
     * the first or if none.
     */
    public long lastInboundNanos(String name) {
        if (name.endsWith("*")) {
            String prefix = name.substring(0, name.length() - 1);
            long last = 0;
            for (int i = 0; i < sas.length; i++) {
                if (sas[i].name().startsWith(prefix) && lastNanos[i] != 0 && (last == 0 || lastNanos[i] - last > 0)) last = lastNanos[i];
            }
            return last;
        }
        int i = indexOf(name);
        return i < 0 ? 0 : lastNanos[i];
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
