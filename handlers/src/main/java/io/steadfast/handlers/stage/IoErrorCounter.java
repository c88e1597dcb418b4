package io.steadfast.handlers.stage;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a TUN or UDP channel's pipeline: takes the errors its writes report (stages write with a
 * void promise, so a failed send, e.g. "Network is unreachable" while a path is down, arrives here as
 * {@code exceptionCaught}), counts them by message and logs them rate-limited, instead of Netty's warning per
 * packet at the pipeline's tail. Nothing is closed: a send error loses one packet, not the channel.
 *
 * <pre>{@code
 * udp.pipeline().addLast("io-errors", new IoErrorCounter("udp"));
 * }</pre>
 */
public final class IoErrorCounter extends ChannelInboundHandlerAdapter implements CountingStage {
    private static final Logger LOG = LoggerFactory.getLogger(IoErrorCounter.class);
    private static final int MAX_KINDS = 8;

    private final String channelName;
    private final RateLimitedLog log = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private final Map<String, Long> byMessage = new LinkedHashMap<>();
    private long errors;

    /** @param channelName how logs name the channel, e.g. {@code udp} */
    public IoErrorCounter(String channelName) {
        this.channelName = channelName;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        errors++;
        if (cause instanceof java.nio.channels.ClosedChannelException) {
            // A write racing the channel's close at shutdown: expected, counted, not worth a warning.
            byMessage.merge("channel closed", 1L, Long::sum);
            return;
        }
        String message = summary(cause);
        if (byMessage.containsKey(message) || byMessage.size() < MAX_KINDS) byMessage.merge(message, 1L, Long::sum);
        else byMessage.merge("other", 1L, Long::sum);
        log.warn("{}: I/O error, one packet lost: {} ({} errors so far)", channelName, message, errors);
    }

    /** The cause's message without Netty's syscall prefix, e.g. "Network is unreachable". */
    static String summary(Throwable cause) {
        String m = cause.getMessage();
        if (m == null) return cause.getClass().getSimpleName();
        int colon = m.lastIndexOf("): ");
        return colon >= 0 ? m.substring(colon + 3) : m;
    }

    /** All errors seen. */
    public long errors() {
        return errors;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("errors", errors);
        byMessage.forEach((m, n) -> c.put("error." + m.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", ""), n));
        return c;
    }
}
