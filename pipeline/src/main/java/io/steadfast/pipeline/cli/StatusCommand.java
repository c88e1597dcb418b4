package io.steadfast.pipeline.cli;

import io.steadfast.pipeline.control.ControlClient;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steadfast status}: asks running instances for their pipelines and counters. */
@Command(name = "status", description = "Print each running instance's pipelines, stages and counters.")
final class StatusCommand implements Callable<Integer> {
    static final Path DEFAULT_DIR = Path.of("/run/steadfast");

    @Option(names = {"-s", "--socket"}, description = "Control socket of one instance (default: every socket in /run/steadfast).")
    Path socket;

    @Override
    public Integer call() throws IOException {
        List<Path> sockets = new ArrayList<>();
        if (socket != null) {
            sockets.add(socket);
        } else if (Files.isDirectory(DEFAULT_DIR)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(DEFAULT_DIR, "*.sock")) {
                ds.forEach(sockets::add);
            }
        }
        if (sockets.isEmpty()) {
            System.err.println("no running steadfast instance (no control socket in " + DEFAULT_DIR + ")");
            return 1;
        }
        int failed = 0;
        for (Path s : sockets.stream().sorted().toList()) {
            try {
                String answer = ControlClient.request(s, "status");
                System.out.print(answer);
                if (answer.startsWith("error: ")) failed++;
            } catch (IOException e) {
                System.err.println(s + ": no answer (" + e.getMessage() + "); is the instance still running?");
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
