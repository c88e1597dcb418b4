package io.steadfast.benchmarks.system;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Clean-up that also happens when the JVM is ended early (SIGTERM, Ctrl-C), where {@code finally} blocks are
 * cut short: each action is registered, run once by whoever comes first, the normal path or a shutdown hook
 * that runs every action still registered, newest first. If the normal path is running an action when the
 * hook wants it, the hook waits for it to finish, so the JVM does not halt halfway through a clean-up.
 *
 * <pre>{@code
 * Cleanup.Registration closeTunnel = Cleanup.onExit(tunnel::close);
 * try { ... } finally { closeTunnel.run(); }
 * }</pre>
 */
final class Cleanup {
    /** Something to undo. */
    interface Action {
        void run() throws Exception;
    }

    /** A registered action. */
    static final class Registration {
        private final Action action;
        private boolean done;

        private Registration(Action action) {
            this.action = action;
        }

        /** Runs the action now unless it already ran (or is running: then waits for it), and deregisters it. */
        synchronized void run() throws Exception {
            if (done) return;
            done = true;
            try {
                action.run();
            } finally {
                ACTIONS.remove(this);
            }
        }
    }

    private static final Deque<Registration> ACTIONS = new ConcurrentLinkedDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::runAll, "system-benchmark-cleanup"));
    }

    private Cleanup() {}

    static Registration onExit(Action action) {
        Registration r = new Registration(action);
        ACTIONS.push(r);
        return r;
    }

    private static void runAll() {
        Registration r;
        while ((r = ACTIONS.peek()) != null) {
            try {
                r.run();
            } catch (Exception e) {
                System.err.println("system-benchmark: clean-up on exit: " + e);
            } finally {
                ACTIONS.remove(r);
            }
        }
    }
}
