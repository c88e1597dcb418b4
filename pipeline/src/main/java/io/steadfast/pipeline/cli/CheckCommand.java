package io.steadfast.pipeline.cli;

import io.steadfast.pipeline.profile.PipelineSpec;
import io.steadfast.pipeline.profile.Profile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steadfast check -c FILE...}: validates profiles and prints the pipelines they would build. */
@Command(name = "check", description = "Check profiles and print the pipelines they would build; starts nothing.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "Profile file (repeatable).")
    List<Path> files;

    @Override
    public Integer call() {
        int bad = 0;
        for (Path file : files) {
            Profile p = Profiles.loadOrReport(file, System.err);
            if (p == null) {
                bad++;
                continue;
            }
            System.out.printf("%s: ok: %s '%s', transport %s, tun %s (mtu %d, addresses %s, routes %s), control %s%n",
                    file, p.kind().label(), p.name(), p.transport().label(), p.tun().name(), p.tun().mtu(),
                    p.tun().addresses(), p.tun().routes(), p.controlSocket());
            if (p.needsUdp()) System.out.printf("  udp %s%n", p.udp().local());
            p.esp().sas().forEach(sa -> System.out.printf("  sa %s%n", sa));
            for (PipelineSpec spec : p.pipelines()) {
                System.out.printf("  pipeline %s (source %s): %s%n", spec.name(), spec.source(), spec.describe());
            }
        }
        return bad == 0 ? 0 : 1;
    }
}
