package io.steadfast.pipeline.profile;

import java.util.Locale;

/** What a profile runs: the VPN client, a VPN gateway, or the packet relay. */
public enum Kind {
    CLIENT, GATEWAY, RELAY;

    /** The name used in profiles and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
