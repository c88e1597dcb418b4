package io.steadfast.benchmarks.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * CPU use over an interval from {@code /proc}: how busy the whole machine was (percent of all CPUs, from
 * {@code /proc/stat}) and how much CPU some processes took (percent of one CPU, from {@code /proc/PID/stat}).
 *
 * <pre>{@code
 * CpuMeter meter = CpuMeter.start(clientPid, gatewayPid);
 * ... run the load ...
 * CpuMeter.Usage u = meter.stop(); // u.machinePercent(), u.processPercent()[0]
 * }</pre>
 */
final class CpuMeter {
    /** USER_HZ: the unit of /proc tick counts; 100 on every Linux x86-64 build. */
    private static final double TICKS_PER_SECOND = 100;

    /**
     * @param machinePercent busy time of all CPUs over their total time, in percent
     * @param userPercent    of which user space (user + nice), percent of all CPUs
     * @param systemPercent  of which system calls and other kernel work in process context
     * @param softirqPercent of which interrupts and soft interrupts (packet forwarding, veth, TUN)
     * @param processPercent per process, CPU time over wall time, in percent of one CPU (NaN if it ended)
     */
    record Usage(double machinePercent, double userPercent, double systemPercent, double softirqPercent,
                 double[] processPercent) {}

    private final long[] pids;
    private final long[] machineStart;
    private final long[] processStart;
    private final long nanoStart;

    private CpuMeter(long[] pids) throws IOException {
        this.pids = pids;
        this.machineStart = machineTicks();
        this.processStart = processTicks(pids);
        this.nanoStart = System.nanoTime();
    }

    static CpuMeter start(long... pids) throws IOException {
        return new CpuMeter(pids);
    }

    /** How busy the whole machine is (percent of all CPUs) over {@code millis} while this benchmark does nothing. */
    static double machineBusy(long millis) throws IOException, InterruptedException {
        CpuMeter meter = start();
        Thread.sleep(millis);
        return meter.stop().machinePercent();
    }

    Usage stop() throws IOException {
        long[] machine = machineTicks();
        long[] process = processTicks(pids);
        double seconds = (System.nanoTime() - nanoStart) / 1e9;
        double total = machine[0] - machineStart[0];
        double[] percent = new double[pids.length];
        for (int i = 0; i < pids.length; i++) {
            percent[i] = process[i] < 0 || processStart[i] < 0 ? Double.NaN
                    : 100 * (process[i] - processStart[i]) / TICKS_PER_SECOND / seconds;
        }
        double[] share = new double[4];
        for (int i = 0; i < 4; i++) share[i] = total > 0 ? 100 * (machine[i + 1] - machineStart[i + 1]) / total : Double.NaN;
        return new Usage(share[0], share[1], share[2], share[3], percent);
    }

    /**
     * {total, busy, user, system, irq + softirq} ticks of all CPUs: busy is everything but idle and iowait
     * (so it includes steal, time the hypervisor gave to others).
     */
    private static long[] machineTicks() throws IOException {
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
        String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
        long[] f = Arrays.stream(cpu.substring(3).strip().split("\\s+")).mapToLong(Long::parseLong).toArray();
        long total = 0;
        for (int i = 0; i < Math.min(f.length, 8); i++) total += f[i]; // guest time is already in user
        return new long[] {total, total - f[3] - f[4], f[0] + f[1], f[2], f[5] + f[6]};
    }

    /** utime + stime of each process (all its threads), or -1 if it is gone. */
    private static long[] processTicks(long[] pids) {
        long[] ticks = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pids[i] + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
                ticks[i] = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 utime, 15 stime
            } catch (IOException | RuntimeException e) {
                ticks[i] = -1;
            }
        }
        return ticks;
    }
}
