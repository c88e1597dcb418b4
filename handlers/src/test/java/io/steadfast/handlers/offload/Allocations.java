package io.steadfast.handlers.offload;

import java.lang.management.ManagementFactory;

/** Measures the heap bytes a piece of code allocates on this thread, after warming it up so that it is compiled. */
final class Allocations {
    private Allocations() {}

    /** Bytes allocated by 1000 runs of {@code body}, after 20,000 runs of warm-up. */
    static long measure(Runnable body) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) body.run();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) body.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
