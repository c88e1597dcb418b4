package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What the figures were measured on: CPU count ({@code nproc}), CPU model ({@code /proc/cpuinfo}), kernel
 * ({@code uname -r}), the JDK and the date.
 *
 * <pre>{@code
 * System.out.println(MachineInfo.collect().markdown());
 * }</pre>
 */
record MachineInfo(int cpus, String cpuModel, String kernel, String jdk, String date) {

    static MachineInfo collect() throws IOException {
        int cpus = Integer.parseInt(Netns.exec(List.of("nproc"), 10).strip());
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst().orElse("unknown");
        String kernel = Netns.exec(List.of("uname", "-r"), 10).strip();
        String jdk = System.getProperty("java.vm.vendor", "?") + " " + System.getProperty("java.vm.name", "?")
                + " " + Runtime.version();
        String date = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return new MachineInfo(cpus, model, kernel, jdk, date);
    }

    /** A Markdown bullet list. */
    String markdown() {
        return "- CPUs (nproc): " + cpus + "\n"
                + "- CPU model: " + cpuModel + "\n"
                + "- kernel: " + kernel + "\n"
                + "- JDK: " + jdk + "\n"
                + "- date: " + date + "\n";
    }
}
