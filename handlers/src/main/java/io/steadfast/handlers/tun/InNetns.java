package io.steadfast.handlers.tun;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Runs code with the calling thread moved into a named network namespace (setns(2) on
 * /var/run/netns/NAME), then moves the thread back. Sockets and TUN devices created meanwhile live in that
 * namespace; processes started meanwhile inherit it. Only setns(2) is bound here; open/close come from
 * {@link LinuxTun}. Tests and the test bed use it to open sockets and TUN devices inside namespaces they made.
 *
 * <pre>{@code
 * TunDevice tun = InNetns.call("sft-1-ab-ping", () -> TunDevice.open("sf0"));
 * }</pre>
 */
public final class InNetns {
    private static final int CLONE_NEWNET = 0x40000000; // setns(2) nstype: a network namespace
    // int setns(int fd, int nstype)
    private static final MethodHandle SETNS = LinuxTun.function("setns",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));

    private InNetns() {}

    /** Code to run inside the namespace. */
    public interface Body<T> {
        T call() throws Exception;
    }

    /** Runs {@code body} on this (platform) thread inside namespace {@code netns} and returns its result. */
    public static <T> T call(String netns, Body<T> body) throws Exception {
        if (Thread.currentThread().isVirtual()) throw new IllegalStateException("setns needs a platform thread");
        int flags = LinuxTun.O_RDONLY | LinuxTun.O_CLOEXEC;
        int home = LinuxTun.open("/proc/thread-self/ns/net", flags);
        try {
            int target = LinuxTun.open("/var/run/netns/" + netns, flags);
            try {
                setns(target, "enter network namespace " + netns);
            } finally {
                LinuxTun.close(target);
            }
            try {
                return body.call();
            } finally {
                try {
                    setns(home, "return from network namespace " + netns);
                } catch (Exception e) {
                    throw new Error("thread " + Thread.currentThread().getName() + " is stuck in namespace " + netns, e);
                }
            }
        } finally {
            LinuxTun.close(home);
        }
    }

    /** {@link #call} for code without a result. */
    public static void run(String netns, Body<?> body) throws Exception {
        call(netns, body);
    }

    private static void setns(int fd, String what) throws LinuxTun.NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxTun.captureState(arena);
            int rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
            if (rc < 0) throw LinuxTun.failure(what, LinuxTun.errno(state));
        } catch (LinuxTun.NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setns(2) via FFM failed", t);
        }
    }
}
