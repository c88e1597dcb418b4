package io.steadfast.handlers.tun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Linux TUN device (layer 3, no packet-information prefix) opened non-blocking: each read(2) returns one
 * IP packet, each write(2) injects one. The device is not persistent: closing the fd destroys it, with its
 * addresses and routes. It is created in the network namespace of the thread that calls {@link #open}.
 *
 * <p>Thread-safe. Once a {@link TunChannel} owns the device, close the channel rather than the device.
 */
public final class TunDevice implements AutoCloseable {
    private static final String TUN_PATH = "/dev/net/tun";

    private final String name;
    private final AtomicInteger fd;
    private final boolean offloads;

    private TunDevice(String name, int fd, boolean offloads) {
        this.name = name;
        this.fd = new AtomicInteger(fd);
        this.offloads = offloads;
    }

    /** {@link #open(String, boolean)} without offloads: one plain IP packet per read and write. */
    public static TunDevice open(String name) throws IOException {
        return open(name, false);
    }

    /**
     * Creates the TUN device {@code name} (at most 15 bytes; "sf%d" lets the kernel pick the number, "" means
     * "tun%d"), or attaches to an existing unused persistent one of that name.
     *
     * <p>With {@code offloads}, every read and write starts with a {@code struct virtio_net_hdr}
     * ({@link io.steadfast.handlers.offload.VirtioNetHeader}) and the kernel may hand over TCP super-packets of
     * up to 64 KB (TSO, IPv4 and IPv6) and packets whose checksum the reader completes: one read then stands
     * for up to 45 packets of a 1400-byte MTU, and a write may carry coalesced TCP segments.
     *
     * @throws IOException e.g. "cannot create TUN device sf0: Operation not permitted (are you root?)"
     */
    public static TunDevice open(String name, boolean offloads) throws IOException {
        if (name == null) throw new NullPointerException("name");
        int length = name.getBytes(StandardCharsets.UTF_8).length;
        if (length >= LinuxTun.IFNAMSIZ) {
            throw new IOException("cannot create TUN device " + name + ": the name is " + length
                    + " bytes long, Linux allows at most " + (LinuxTun.IFNAMSIZ - 1));
        }
        if (name.indexOf('\0') >= 0) {
            throw new IOException("cannot create TUN device " + name.replace('\0', '?') + ": the name contains NUL");
        }
        int fd;
        try {
            fd = LinuxTun.open(TUN_PATH, LinuxTun.O_RDWR | LinuxTun.O_NONBLOCK | LinuxTun.O_CLOEXEC);
        } catch (LinuxTun.NativeException e) {
            throw new IOException("cannot create TUN device " + name + ": cannot open " + TUN_PATH + ": "
                    + LinuxTun.strerror(e.errno) + hint(e.errno), e);
        }
        try {
            String given = LinuxTun.tunSetIff(fd, name, offloads ? LinuxTun.IFF_VNET_HDR : 0);
            if (offloads) {
                LinuxTun.tunSetOffload(fd, LinuxTun.TUN_F_CSUM | LinuxTun.TUN_F_TSO4 | LinuxTun.TUN_F_TSO6);
            }
            return new TunDevice(given, fd, offloads);
        } catch (LinuxTun.NativeException e) {
            closeQuietly(fd);
            throw new IOException("cannot create TUN device " + name + ": " + LinuxTun.strerror(e.errno)
                    + hint(e.errno), e);
        } catch (RuntimeException | Error e) {
            closeQuietly(fd);
            throw e;
        }
    }

    /** The device name the kernel gave (the requested one, or the pattern filled in). */
    public String name() {
        return name;
    }

    /** True if reads and writes carry a virtio-net header and the kernel may send TSO super-packets. */
    public boolean offloads() {
        return offloads;
    }

    /** The open file descriptor, or -1 once closed. */
    public int fd() {
        return fd.get();
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return fd.get() >= 0;
    }

    /** Closes the fd, which destroys the device; later calls do nothing. */
    @Override
    public void close() throws IOException {
        int old = fd.getAndSet(-1);
        if (old < 0) return;
        try {
            LinuxTun.close(old);
        } catch (LinuxTun.NativeException e) {
            throw new IOException("cannot close TUN device " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + ", fd=" + fd.get() + (offloads ? ", offloads" : "") + "]";
    }

    private static String hint(int errno) {
        return switch (errno) {
            case LinuxTun.EPERM, LinuxTun.EACCES -> " (are you root? creating a TUN device needs CAP_NET_ADMIN)";
            case LinuxTun.ENOENT -> " (does this kernel have TUN support?)";
            case LinuxTun.EBUSY -> " (is another process attached to a device of that name?)";
            case LinuxTun.EINVAL -> " (is the name a valid interface name, or does a non-TUN device have it?)";
            default -> "";
        };
    }

    private static void closeQuietly(int fd) {
        try {
            LinuxTun.close(fd);
        } catch (IOException ignored) {
            // Nothing more to do for an fd that never became a device.
        }
    }
}
