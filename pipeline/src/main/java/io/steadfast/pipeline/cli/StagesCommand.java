package io.steadfast.pipeline.cli;

import io.steadfast.pipeline.SteadfastComponent;
import io.steadfast.pipeline.stages.StageFactory;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Command;

/** {@code steadfast stages}: lists every stage a profile may name, with its options. */
@Command(name = "stages", description = "List the stages a pipeline may use, with their options.")
final class StagesCommand implements Runnable {

    @Override
    public void run() {
        for (Map.Entry<String, StageFactory> e : SteadfastComponent.create().stageRegistry().all().entrySet()) {
            StageFactory f = e.getValue();
            System.out.printf("%-10s %s%n", e.getKey(), f.description());
            if (!f.optionKeys().isEmpty()) {
                System.out.printf("%-10s options: %s%n", "", String.join(", ", new TreeSet<>(f.optionKeys())));
            }
        }
    }
}
