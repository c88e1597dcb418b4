package io.steadfast.handlers.tun;

import java.io.Serial;
import java.net.SocketAddress;
import java.util.Objects;

/** The local address of a {@link TunChannel}: just the device's name. */
public final class TunAddress extends SocketAddress {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String deviceName;

    public TunAddress(String deviceName) {
        this.deviceName = Objects.requireNonNull(deviceName, "deviceName");
    }

    /** The TUN device's name, e.g. "sf0". */
    public String deviceName() {
        return deviceName;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunAddress other && other.deviceName.equals(deviceName);
    }

    @Override
    public int hashCode() {
        return deviceName.hashCode();
    }

    @Override
    public String toString() {
        return "tun:" + deviceName;
    }
}
