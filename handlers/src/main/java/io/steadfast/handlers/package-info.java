/**
 * Every pipeline stage as a Netty {@code ChannelHandler}. Stages pass packets as inbound messages, one
 * {@code ByteBuf} per IP packet with the reader index at the IP header. Subpackages: {@code tun} (the TUN
 * channel), {@code basic} (tun-read, tun-write, icmp-echo, pass, discard), {@code experiment} (pcap,
 * loss, delay), {@code ip} (header helpers), {@code stage} (the contracts stages share).
 */
package io.steadfast.handlers;
