package io.steadfast.pipeline.profile;

import io.steadfast.pipeline.config.Ipv4Prefix;
import java.util.List;

/**
 * The TUN device of a profile.
 *
 * @param name          interface name (at most 15 bytes)
 * @param mtu           interface MTU
 * @param txQueueLength the kernel's queue toward us; the default 500 drops bursts
 * @param addresses     addresses with prefix, e.g. 10.9.0.1/24
 * @param routes        extra prefixes routed into the device
 * @param offload       TSO super-packets read and split, TCP segments coalesced on write (IFF_VNET_HDR)
 */
public record TunSpec(String name, int mtu, int txQueueLength, List<Ipv4Prefix> addresses, List<Ipv4Prefix> routes,
                      boolean offload) {}
