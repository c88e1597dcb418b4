package io.steadfast.handlers.stage;

/** A stage with more to say in {@code steadfast status} than its counters: lines of text. Called on its event loop. */
public interface DescribedStage {

    /** Lines (each ending in a newline) for the status report. */
    String describe();
}
