package io.steadfast.handlers.tun;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The libc calls and Linux constants behind {@link TunDevice}, through the FFM API (java.lang.foreign).
 * Every call reports failure as a {@link NativeException} carrying errno and strerror's text.
 */
final class LinuxTun {
    static final int O_RDONLY = 0;             // open(2): read only
    static final int O_RDWR = 2;               // open(2): read and write
    static final int O_NONBLOCK = 0x800;       // open(2): reads return EAGAIN instead of blocking (04000)
    static final int O_CLOEXEC = 0x80000;      // open(2): not inherited by exec'd children (02000000)
    static final long TUNSETIFF = 0x400454caL; // ioctl: _IOW('T', 202, int): attach the fd to a (new) TUN/TAP device
    static final short IFF_TUN = 0x0001;       // ifr_flags: layer-3 device, IP packets without an Ethernet header
    static final short IFF_NO_PI = 0x1000;     // ifr_flags: no 4-byte packet-information prefix on each packet
    static final short IFF_VNET_HDR = 0x4000;  // ifr_flags: a struct virtio_net_hdr (offload metadata) before each packet
    static final long TUNSETOFFLOAD = 0x400454d0L; // ioctl: _IOW('T', 208, unsigned int): offloads the reader handles
    static final int TUN_F_CSUM = 0x01;        // TUNSETOFFLOAD: packets may come with a partial checksum to complete
    static final int TUN_F_TSO4 = 0x02;        // TUNSETOFFLOAD: TCP/IPv4 super-packets (TSO) to segment
    static final int TUN_F_TSO6 = 0x04;        // TUNSETOFFLOAD: TCP/IPv6 super-packets (TSO) to segment
    static final int IFNAMSIZ = 16;            // ifr_name: interface name buffer, NUL included (15 usable bytes)
    static final int IFREQ_SIZE = 40;          // sizeof(struct ifreq) on 64-bit Linux: name[16] + 24-byte union
    static final int IFR_FLAGS_OFFSET = 16;    // offsetof(struct ifreq, ifr_flags): the union after the name
    static final int EPERM = 1, ENOENT = 2, EACCES = 13, EBUSY = 16, EINVAL = 22; // errno values used in hints

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    // int open(const char *path, int flags, ...): the mode is the first variadic argument.
    private static final MethodHandle OPEN = function("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    // int ioctl(int fd, unsigned long request, ...): the argument pointer is the first variadic argument.
    private static final MethodHandle IOCTL = function("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    // int ioctl(int fd, unsigned long request, unsigned long arg): requests that take a value, not a pointer.
    private static final MethodHandle IOCTL_VALUE = function("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    // int close(int fd)
    private static final MethodHandle CLOSE = function("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.captureCallState("errno"));
    // char *strerror(int errnum)
    private static final MethodHandle STRERROR = function("strerror",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private LinuxTun() {}

    /** A failed libc call: {@code errno} and a message ending in strerror's text. */
    static final class NativeException extends IOException {
        final int errno;

        NativeException(String message, int errno) {
            super(message);
            this.errno = errno;
        }
    }

    /** open(2) with {@code flags}; returns the fd. */
    static int open(String path, int flags) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0);
            if (fd < 0) throw failure("open " + path, errno(state));
            return fd;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("open(2) via FFM failed", t);
        }
    }

    /** ioctl(TUNSETIFF) with IFF_TUN|IFF_NO_PI and {@code extraFlags}; returns the name the kernel gave the device. */
    static String tunSetIff(int fd, String requestedName, short extraFlags) throws NativeException {
        byte[] name = requestedName.getBytes(StandardCharsets.UTF_8);
        if (name.length >= IFNAMSIZ) throw new IllegalArgumentException("name longer than " + (IFNAMSIZ - 1));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE); // zeroed: the name is NUL-terminated
            MemorySegment.copy(name, 0, ifreq, ValueLayout.JAVA_BYTE, 0, name.length);
            ifreq.set(ValueLayout.JAVA_SHORT, IFR_FLAGS_OFFSET, (short) (IFF_TUN | IFF_NO_PI | extraFlags));
            int rc = (int) IOCTL.invokeExact(state, fd, TUNSETIFF, ifreq);
            if (rc < 0) throw failure("ioctl TUNSETIFF", errno(state));
            return ifreq.asSlice(0, IFNAMSIZ).getString(0, StandardCharsets.UTF_8);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl(2) via FFM failed", t);
        }
    }

    /** ioctl(TUNSETOFFLOAD): the offloads ({@code TUN_F_*}) this reader handles. */
    static void tunSetOffload(int fd, int offloads) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) IOCTL_VALUE.invokeExact(state, fd, TUNSETOFFLOAD, (long) offloads);
            if (rc < 0) throw failure("ioctl TUNSETOFFLOAD", errno(state));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl(2) via FFM failed", t);
        }
    }

    /** close(2). */
    static void close(int fd) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) CLOSE.invokeExact(state, fd);
            if (rc < 0) throw failure("close fd " + fd, errno(state));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("close(2) via FFM failed", t);
        }
    }

    /** strerror(3): "Operation not permitted" for EPERM. */
    @SuppressWarnings("restricted") // reinterpret: strerror returns a NUL-terminated string of unknown length
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** "{@code what}: strerror(errno)". */
    static NativeException failure(String what, int errno) {
        return new NativeException(what + ": " + strerror(errno), errno);
    }

    /** The errno that a call with {@code Linker.Option.captureCallState("errno")} stored in {@code state}. */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** A fresh capture-state segment for calls bound with {@link #function}. */
    static MemorySegment captureState(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** A downcall handle for the libc function {@code name}. */
    @SuppressWarnings("restricted") // the JVM runs with --enable-native-access=ALL-UNNAMED
    static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(address, descriptor, options);
    }
}
