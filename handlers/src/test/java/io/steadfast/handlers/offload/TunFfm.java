package io.steadfast.handlers.offload;

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
 * A TUN with IFF_VNET_HDR and TUNSETOFFLOAD, through FFM, for the real-kernel test only: open, read and
 * write whole [virtio_net_hdr][packet] frames, close. Non-blocking; {@link #read} returns -1 on EAGAIN.
 */
final class TunFfm implements AutoCloseable {
    static final int O_RDWR = 2, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000; // open(2)
    static final long TUNSETIFF = 0x400454caL; // _IOW('T', 202, int)
    static final long TUNSETOFFLOAD = 0x400454d0L; // _IOW('T', 208, unsigned int), the flags by value
    static final short IFF_TUN = 0x0001, IFF_NO_PI = 0x1000, IFF_VNET_HDR = 0x4000; // ifr_flags
    static final long TUN_F_CSUM = 1, TUN_F_TSO4 = 2; // TUNSETOFFLOAD flags
    static final int IFREQ_SIZE = 40, IFR_FLAGS_OFFSET = 16, IFNAMSIZ = 16; // struct ifreq on 64-bit Linux
    static final int EAGAIN = 11;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = function("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_POINTER = function("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_VALUE = function("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = function("read",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = function("write",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle CLOSE = function("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = arena.allocate(CAPTURE);
    private final MemorySegment buffer = arena.allocate(VirtioNetHeader.SIZE + 65536);
    private final int fd;
    final String name;

    /** Opens /dev/net/tun as {@code requestedName} (in the calling thread's namespace) with CSUM and TSO4 offloads. */
    TunFfm(String requestedName) throws IOException {
        try {
            fd = (int) OPEN.invokeExact(state, arena.allocateFrom("/dev/net/tun"), O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
            check(fd, "open /dev/net/tun");
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
            byte[] n = requestedName.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(n, 0, ifreq, ValueLayout.JAVA_BYTE, 0, n.length);
            ifreq.set(ValueLayout.JAVA_SHORT, IFR_FLAGS_OFFSET, (short) (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR));
            check((int) IOCTL_POINTER.invokeExact(state, fd, TUNSETIFF, ifreq), "TUNSETIFF");
            name = ifreq.asSlice(0, IFNAMSIZ).getString(0);
            check((int) IOCTL_VALUE.invokeExact(state, fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4), "TUNSETOFFLOAD");
        } catch (IOException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException(t);
        }
    }

    /** One frame, or null when none is waiting. */
    byte[] read() throws IOException {
        try {
            long n = (long) READ.invokeExact(state, fd, buffer, buffer.byteSize());
            if (n < 0 && errno() == EAGAIN) return null;
            check(n, "read");
            return buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Writes one frame whole. */
    void write(byte[] frame) throws IOException {
        try {
            MemorySegment.copy(frame, 0, buffer, ValueLayout.JAVA_BYTE, 0, frame.length);
            long n = (long) WRITE.invokeExact(state, fd, buffer, (long) frame.length);
            check(n, "write");
            if (n != frame.length) throw new IOException("short write " + n + " of " + frame.length);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        try {
            int rc = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }

    private int errno() {
        return (int) ERRNO.get(state, 0L);
    }

    private void check(long rc, String what) throws IOException {
        if (rc < 0) throw new IOException(what + " failed: errno " + errno());
    }

    @SuppressWarnings("restricted") // the surefire JVM runs with --enable-native-access=ALL-UNNAMED
    private static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = Linker.Option.captureCallState("errno");
        MemorySegment address = LINKER.defaultLookup().find(name).orElseThrow();
        return LINKER.downcallHandle(address, descriptor, all);
    }
}
