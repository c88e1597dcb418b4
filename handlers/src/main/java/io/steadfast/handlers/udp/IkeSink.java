package io.steadfast.handlers.udp;

import io.netty.channel.ChannelHandler;

/**
 * A stage that takes the IKE messages of the UDP 4500 socket (those behind the non-ESP marker): with one in
 * its pipeline, {@code udp-recv} passes them on as {@link io.netty.channel.socket.DatagramPacket}s instead of
 * dropping them. It should come right after {@code udp-recv}.
 */
public interface IkeSink extends ChannelHandler {}
