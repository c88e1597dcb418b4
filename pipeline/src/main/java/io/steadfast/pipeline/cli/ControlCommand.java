package io.steadfast.pipeline.cli;

import io.steadfast.pipeline.control.ControlClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code steadfast control PIPELINE STAGE COMMAND}: sends a command to one stage of a running instance. */
@Command(name = "control", description = "Send a command to a stage of a running instance, e.g. 'control tun-in loss on'.")
final class ControlCommand implements Callable<Integer> {

    @Option(names = {"-s", "--socket"}, required = true, description = "Control socket of the instance, e.g. /run/steadfast/client.sock.")
    Path socket;

    @Parameters(index = "0", description = "Pipeline name.")
    String pipeline;

    @Parameters(index = "1", description = "Stage name (its name in the pipeline).")
    String stage;

    @Parameters(index = "2..*", arity = "1..*", description = "The command, e.g. on, off, probability=0.1.")
    String[] command;

    @Override
    public Integer call() throws IOException {
        String answer = ControlClient.request(socket, "control " + pipeline + " " + stage + " " + String.join(" ", command));
        System.out.print(answer);
        return answer.startsWith("error: ") ? 1 : 0;
    }
}
