package io.steadfast.benchmarks.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Short host commands of the benchmark (key generation, version strings): run, wait, return stdout, throw
 * with the output if they fail; and whether a program is installed.
 *
 * <pre>{@code
 * String key = Commands.run(null, "wg", "genkey");
 * String pub = Commands.run(keyFile, "wg", "pubkey");
 * }</pre>
 */
final class Commands {
    private static final int TIMEOUT_SECONDS = 30;

    private Commands() {}

    /** Runs {@code command} with standard input from {@code input} (or none) and returns its standard output. */
    static String run(Path input, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        if (input != null) pb.redirectInput(input.toFile());
        Process p = pb.start();
        if (input == null) p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) throw new IOException("'" + String.join(" ", command) + "' exited " + p.exitValue() + ": " + out.strip());
        return out;
    }

    /** The first line a command prints (stdout and stderr), or "?" if it cannot run. */
    static String firstLine(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("?").strip();
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** True if {@code program} is an executable file in one of the {@code PATH} directories. */
    static boolean installed(String program, String path) {
        if (path == null) return false;
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Path.of(dir, program).toFile().canExecute()) return true;
        }
        return false;
    }

    /** The programs of {@code required} that are not installed under the current {@code PATH}. */
    static List<String> missing(List<String> required) {
        String path = System.getenv("PATH");
        return required.stream().filter(p -> !installed(p, path)).toList();
    }
}
