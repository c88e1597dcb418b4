package io.steadfast.benchmarks.system;

/**
 * The swanctl.conf of a strongSwan PSK initiator ("gw") that asks its gateway for a virtual IP and a cloud subnet,
 * ESP in UDP 4500 (`encap = yes`), AES-128-GCM: the client side of rows (b'), (c') and of the IKE timing.
 *
 * <pre>{@code
 * Charon.start(ns, SwanctlInitiator.conf("10.1.0.1", "10.1.0.2", "aes128gcm16-prfsha256-x25519",
 *         "client.example", "gw.example", "10.2.0.0/24", secret), Map.of("install_virtual_ip", "yes"));
 * }</pre>
 */
final class SwanctlInitiator {
    private SwanctlInitiator() {}

    /** Connection "gw" with child "net" from {@code local} to {@code gateway}, and the PSK both identities share. */
    static String conf(String local, String gateway, String ikeProposal, String localId, String gatewayId,
                       String remoteTs, String psk) {
        return """
                connections {
                  gw {
                    version = 2
                    local_addrs = %s
                    remote_addrs = %s
                    proposals = %s
                    encap = yes
                    vips = 0.0.0.0
                    local { auth = psk
                      id = %s }
                    remote { auth = psk
                      id = %s }
                    children { net { remote_ts = %s
                      esp_proposals = aes128gcm16 } }
                  }
                }
                secrets { ike-gw { id-1 = %s
                    id-2 = %s
                    secret = "%s" } }
                """.formatted(local, gateway, ikeProposal, localId, gatewayId, remoteTs, localId, gatewayId, psk);
    }
}
