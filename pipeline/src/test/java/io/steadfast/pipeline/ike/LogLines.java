package io.steadfast.pipeline.ike;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures the warnings the ike library logs (System.Logger "io.steadfast.ike", which the JDK routes to JUL here). */
final class LogLines implements AutoCloseable {
    private final Logger logger = Logger.getLogger("io.steadfast.ike");
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) warnings.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    LogLines() {
        logger.addHandler(handler);
    }

    /** The warning lines so far. */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
