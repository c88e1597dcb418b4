package io.steadfast.benchmarks.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The JVM options a running Java process was started with: the arguments starting with '-' on its command
 * line ({@code /proc/PID/cmdline}) up to its class path.
 *
 * <pre>{@code
 * String options = JvmOptions.of(client.process().pid()); // "--enable-native-access=ALL-UNNAMED ..."
 * }</pre>
 */
final class JvmOptions {
    private JvmOptions() {}

    /** The options of process {@code pid}, or "?" if it cannot be read. */
    static String of(long pid) {
        try {
            return of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
        } catch (IOException e) {
            return "?";
        }
    }

    /** The options among {@code args} (a command line, program first). */
    static String of(String[] args) {
        return Arrays.stream(args).takeWhile(a -> !a.equals("-cp") && !a.equals("-classpath"))
                .filter(a -> a.startsWith("-")).collect(Collectors.joining(" "));
    }
}
