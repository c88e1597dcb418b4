package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where packets were lost in one steadfast host after a run: the non-zero drop and error counters of the
 * instance's {@code status} answer, the TUN device's kernel counters (tx_dropped: the kernel's queue toward
 * steadfast was full) and the namespace's UDP socket errors from {@code /proc/net/snmp}.
 *
 * <pre>{@code
 * String line = DropReport.of("client", tunnel.client, "sf-c", tunnel.clientProcess().status());
 * }</pre>
 */
final class DropReport {
    private static final Pattern BAD_COUNTER =
            Pattern.compile("([\\w.-]*(?:dropped|truncated|errors|invalid)[\\w.-]*)=(\\d+)");

    private DropReport() {}

    /** One line: {@code host: steadfast [...]; kernel [...]}. */
    static String of(String host, Netns ns, String tunDevice, String status) {
        return host + ": steadfast " + steadfastCounters(status) + "; kernel " + kernelCounters(ns, tunDevice);
    }

    /** Non-zero counters whose name says drop or error, as {@code stage key=value}; "none" if all are zero. */
    static String steadfastCounters(String status) {
        List<String> bad = new ArrayList<>();
        String stage = "?";
        for (String line : status.split("\n")) {
            if (line.startsWith("tun ")) stage = "tun";
            if (line.startsWith("  ")) {
                String first = line.strip().split("\\s+")[0];
                if (!first.contains("=")) stage = first;
            }
            Matcher m = BAD_COUNTER.matcher(line);
            while (m.find()) {
                if (Long.parseLong(m.group(2)) > 0) bad.add(stage + " " + m.group(1) + "=" + m.group(2));
            }
        }
        return bad.isEmpty() ? "[no drops]" : bad.toString();
    }

    static String kernelCounters(Netns ns, String tunDevice) {
        List<String> out = new ArrayList<>();
        for (String counter : List.of("tx_dropped", "rx_dropped")) {
            try {
                out.add(tunDevice + "." + counter + "="
                        + ns.run("cat", "/sys/class/net/" + tunDevice + "/statistics/" + counter).strip());
            } catch (IOException e) {
                out.add(tunDevice + "." + counter + "=?");
            }
        }
        try {
            String[] udp = ns.run("cat", "/proc/net/snmp").lines().filter(l -> l.startsWith("Udp:"))
                    .map(l -> l.substring(4).strip()).toArray(String[]::new);
            String[] names = udp[0].split("\\s+");
            String[] values = udp[1].split("\\s+");
            for (int i = 0; i < names.length; i++) {
                if (names[i].endsWith("Errors")) out.add("Udp." + names[i] + "=" + values[i]);
            }
        } catch (IOException | RuntimeException e) {
            out.add("Udp=?");
        }
        return out.toString();
    }
}
