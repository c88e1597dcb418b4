package io.steadfast.pipeline.cli;

import io.steadfast.pipeline.demo.PingDemo;
import io.steadfast.pipeline.profile.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steadfast demo}: runs the demo in a network namespace of its own (needs root). */
@Command(name = "demo", description = "Run the demo in a fresh network namespace (root): a profile-built TUN pipeline answers the kernel's pings.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, description = "Demo profile (default: examples/demo-ping.conf under STEADFAST_HOME or the working directory).")
    Path file;

    @Option(names = "--count", defaultValue = "5", description = "Pings to send (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    public Integer call() throws Exception {
        Path profileFile = file != null ? file : defaultProfile();
        Profile profile = Profiles.loadOrReport(profileFile, System.err);
        if (profile == null) return 2;
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("the demo creates a network namespace and a TUN device: run it as root");
            return 2;
        }
        return new PingDemo(profile, System.out, count).run() ? 0 : 1;
    }

    private static Path defaultProfile() {
        String home = System.getenv("STEADFAST_HOME");
        Path p = Path.of(home != null ? home : ".", "examples", "demo-ping.conf");
        return Files.exists(p) ? p : Path.of("examples", "demo-ping.conf");
    }
}
