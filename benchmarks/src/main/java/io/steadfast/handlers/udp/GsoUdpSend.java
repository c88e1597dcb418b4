package io.steadfast.handlers.udp;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * For the pipeline benchmarks: a {@code udp-send} stage that takes its target for a GSO-capable socket, so its
 * GSO path (runs of equal datagrams joined into one {@code SegmentedDatagramPacket}) runs into a sink channel
 * as it runs into an epoll or io_uring socket in production.
 */
public final class GsoUdpSend {
    private GsoUdpSend() {}

    /** {@code udp-send} with GSO on, whatever channel {@code udp} is. */
    public static UdpSendHandler onAnyChannel(Supplier<Channel> udp, Duration keepalive) {
        return new UdpSendHandler(udp, keepalive, true, channel -> true);
    }
}
