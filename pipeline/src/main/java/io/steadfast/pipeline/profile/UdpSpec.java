package io.steadfast.pipeline.profile;

import java.net.InetSocketAddress;

/**
 * The UDP socket for ESP in UDP (and later IKE) of a profile.
 *
 * @param local         bind address and port
 * @param receiveBuffer SO_RCVBUF in bytes
 * @param sendBuffer    SO_SNDBUF in bytes
 * @param gro           UDP GRO on receive (epoll only): runs of datagrams per read
 */
public record UdpSpec(InetSocketAddress local, int receiveBuffer, int sendBuffer, boolean gro) {}
