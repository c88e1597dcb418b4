package io.steadfast.handlers.ike;

import io.steadfast.ike.sa.InitiatorConfig;
import java.net.InetSocketAddress;

/**
 * A gateway the {@code ike} stage connects to.
 *
 * @param name            names its SAs in {@code esp-encrypt} and in logs
 * @param address         its IKE and ESP endpoint: the NAT-T port (4500), shared with ESP
 * @param config          identities, credentials, proposals and traffic selectors
 * @param selectorAddress the remote traffic selector the outbound SA carries (big-endian IPv4)
 * @param selectorLength  its prefix length (0: everything)
 */
public record IkeGateway(String name, InetSocketAddress address, InitiatorConfig config, int selectorAddress, int selectorLength) {}
