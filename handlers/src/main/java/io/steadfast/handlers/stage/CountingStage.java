package io.steadfast.handlers.stage;

import java.util.Map;

/**
 * A stage that counts what passes through it; {@code steadfast status} prints its counters.
 *
 * <p>Called on the stage's event loop only, so implementations keep plain {@code long} fields.
 */
public interface CountingStage {

    /** A snapshot of this stage's counters in a stable order, e.g. {@code packets=12, dropped.malformed=1}. */
    Map<String, Long> counters();
}
