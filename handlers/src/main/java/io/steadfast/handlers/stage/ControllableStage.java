package io.steadfast.handlers.stage;

/**
 * A stage that takes commands at run time through the control socket
 * ({@code steadfast control PIPELINE STAGE COMMAND}), e.g. switching a loss stage on.
 *
 * <p>Called on the stage's event loop only.
 */
public interface ControllableStage {

    /**
     * Applies {@code command} and returns a one-line answer for the operator.
     *
     * @throws IllegalArgumentException with a message naming what is accepted, if the command is not understood
     */
    String control(String command);
}
