/**
 * Linux TUN offloads in user space, as pure functions on Netty buffers (no channels, no event loops):
 * the {@code struct virtio_net_hdr} that prefixes every packet on a TUN opened with IFF_VNET_HDR
 * ({@link io.steadfast.handlers.offload.VirtioNetHeader}), segmentation of the TSO super-packets a
 * read gives once TUNSETOFFLOAD enabled TUN_F_CSUM|TUN_F_TSO4 (and TUN_F_TSO6)
 * ({@link io.steadfast.handlers.offload.TcpSegmenter}), and coalescing of TCP/IPv4 segments into one
 * such super-packet for a write ({@link io.steadfast.handlers.offload.TcpCoalescer}).
 */
package io.steadfast.handlers.offload;
