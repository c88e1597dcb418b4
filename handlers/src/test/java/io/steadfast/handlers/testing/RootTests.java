package io.steadfast.handlers.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Guards for tests that need root, network namespaces or a tool from Debian. Outside CI such a test is
 * skipped when it cannot run; under {@code CI=true} it fails instead, because CI runs as root and
 * installs every tool, so a skip there would hide a broken set-up.
 */
public final class RootTests {
    private RootTests() {}

    /** True when the environment says this is a CI run ({@code CI=true}). */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or fails under CI) unless the test runs as root with {@code ip netns} available. */
    public static void requireRootAndNetns() {
        boolean root = "root".equals(System.getProperty("user.name")) || uidIsZero();
        boolean ip = findTool("ip") != null;
        require(root && ip, "needs root and iproute2 (root=" + root + ", ip=" + ip + ")");
    }

    /** Skips (or fails under CI) unless {@code tool} is on the PATH; returns its path. */
    public static Path requireTool(String tool) {
        Path found = findTool(tool);
        require(found != null, "needs '" + tool + "' on the PATH (apt-get install it; .ci/run does)");
        return found;
    }

    private static void require(boolean condition, String why) {
        if (!condition && inCi()) {
            throw new AssertionError("CI=true but this test cannot run: " + why);
        }
        assumeTrue(condition, why);
    }

    /** The tool's path on PATH (or in /usr/sbin, /sbin), or null. */
    public static Path findTool(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static boolean uidIsZero() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[1].equals("0");
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
