package io.steadfast.pipeline.testbed;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A strongSwan charon daemon inside a test namespace, for interop tests and benchmarks. Several can run on one
 * machine: each gets a private mount namespace ({@code unshare -m}) in which a directory of its own (under the
 * system temp directory, never under /run) is bind-mounted over /run, where charon keeps its pid file. The
 * configuration is written here: a strongswan.conf with an explicit plugin list (user-space ESP through
 * {@code kernel-libipsec} before {@code kernel-netlink}, and {@code kdf}; see testbed-notes.md) and the given
 * swanctl.conf; certificates and keys go into its swanctl directory ({@link #install}). {@link #close()} stops the
 * daemon by its PID and deletes the directory; daemons of test runs that died are swept at the next start.
 *
 * <pre>{@code
 * try (Charon gw = Charon.start(bed.get("gw"), swanctlConf)) {
 *     gw.loadAll();
 *     ... run our initiator against it ...
 *     assertThat(gw.listSas()).contains("ESTABLISHED");
 * }
 * }</pre>
 */
public final class Charon implements AutoCloseable {
    /** Where Debian installs the daemon. */
    public static final Path CHARON = Path.of("/usr/lib/ipsec/charon");

    /** The plugins we load: crypto (openssl has X25519), user-space ESP, sockets, vici for swanctl. */
    public static final String PLUGINS = "random nonce openssl pem pkcs1 x509 pubkey revocation constraints kdf sha1 sha2"
            + " hmac aes gcm kernel-libipsec kernel-netlink socket-default vici";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final String DIR_PREFIX = "sf-charon-";
    /** The file in a daemon's directory naming the PID of the JVM that started it. */
    private static final String OWNER = "owner.pid";

    private final Netns netns;
    private final Path dir;
    private final Process process;

    private Charon(Netns netns, Path dir, Process process) {
        this.netns = netns;
        this.dir = dir;
        this.process = process;
    }

    /** Starts charon in {@code netns} with {@code swanctlConf} written to its swanctl.conf (load it with {@link #loadAll()}). */
    public static Charon start(Netns netns, String swanctlConf) throws IOException {
        return start(netns, swanctlConf, Map.of());
    }

    /**
     * Starts charon; {@code settings} go into the {@code charon { }} section of strongswan.conf as
     * {@code key = value} lines (e.g. {@code retransmit_tries = 2}).
     */
    public static Charon start(Netns netns, String swanctlConf, Map<String, String> settings) throws IOException {
        if (!Files.isExecutable(CHARON)) {
            throw new IOException(CHARON + " is missing: apt-get install strongswan-charon strongswan-swanctl"
                    + " libcharon-extra-plugins");
        }
        sweepStale();
        Path dir = Files.createTempDirectory(DIR_PREFIX);
        Process process = null;
        try {
            Files.writeString(dir.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
            Files.createDirectories(dir.resolve("run"));
            Files.writeString(dir.resolve("strongswan.conf"), strongswanConf(dir, settings));
            writeConnections(dir, swanctlConf);
            String inner = "mount --bind " + dir.resolve("run") + " /run && exec env STRONGSWAN_CONF="
                    + dir.resolve("strongswan.conf") + " " + CHARON;
            // ip netns exec and unshare exec their command, sh execs env, env execs charon: the PID is charon's.
            List<String> command = netns.inside("unshare", "-m", "--propagation", "private", "sh", "-c", inner);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
            Charon charon = new Charon(netns, dir, process);
            charon.awaitVici();
            return charon;
        } catch (IOException | RuntimeException e) {
            if (process != null) stop(process);
            String log = readQuietly(dir.resolve("charon.log")) + readQuietly(dir.resolve("stdout.log"));
            deleteTree(dir);
            throw new IOException("charon did not start in " + netns.name() + ": " + e.getMessage() + "\n" + log, e);
        }
    }

    /**
     * Stops the daemons of test runs that died without cleaning up (SIGKILL, a crashed JVM): for each of our
     * directories whose owner JVM is gone, the charon whose pid file is in its private /run, if that process still
     * runs with this directory's configuration, is killed by PID; the directory is deleted. Returns how many it swept.
     */
    public static int sweepStale() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        int swept = 0;
        try (Stream<Path> dirs = Files.list(tmp)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(DIR_PREFIX)).toList()) {
                long owner;
                try {
                    owner = Long.parseLong(Files.readString(dir.resolve(OWNER)).strip());
                } catch (IOException | NumberFormatException e) {
                    continue; // not one of ours, or still being set up
                }
                if (ProcessHandle.of(owner).isPresent()) continue;
                try {
                    long pid = Long.parseLong(Files.readString(dir.resolve("run").resolve("charon.pid")).strip());
                    String environ = Files.readString(Path.of("/proc", Long.toString(pid), "environ")).replace('\0', '\n');
                    if (environ.contains("STRONGSWAN_CONF=" + dir.resolve("strongswan.conf"))) {
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    }
                } catch (IOException | NumberFormatException e) {
                    // no daemon left
                }
                deleteTree(dir);
                swept++;
            }
        } catch (IOException e) {
            return swept;
        }
        return swept;
    }

    /** The strongswan.conf of a daemon whose files live in {@code dir}; {@code settings} override the defaults. */
    static String strongswanConf(Path dir, Map<String, String> settings) {
        Map<String, String> charon = new java.util.LinkedHashMap<>();
        charon.put("install_routes", "yes");
        charon.put("install_virtual_ip", "no");
        charon.put("send_vendor_id", "no");
        charon.putAll(settings);
        StringBuilder lines = new StringBuilder();
        charon.forEach((k, v) -> lines.append("  ").append(k).append(" = ").append(v).append('\n'));
        return """
                charon {
                  load = %s
                %s  plugins {
                    vici { socket = unix://%s }
                  }
                  filelog {
                    log { path = %s
                      time_format = %%H:%%M:%%S
                      flush_line = yes
                      default = 1
                      ike = 2
                      cfg = 2 }
                  }
                }
                """.formatted(PLUGINS, lines, dir.resolve("charon.vici"), dir.resolve("charon.log"));
    }

    /** The daemon's PID. */
    public long pid() {
        return process.pid();
    }

    /** The namespace it runs in. */
    public Netns netns() {
        return netns;
    }

    /** The directory with its configuration, log and private /run. */
    public Path dir() {
        return dir;
    }

    /** Writes a new swanctl.conf (loaded by the next {@link #loadAll()}). */
    public void configure(String swanctlConf) throws IOException {
        writeConnections(dir, swanctlConf);
    }

    /**
     * Copies a credential file into this daemon's swanctl directory ({@code x509} for its certificate, {@code x509ca}
     * for CAs, {@code private} for keys), where the next {@link #loadAll()} finds it.
     */
    public void install(String subdirectory, Path file) throws IOException {
        Path target = dir.resolve(subdirectory);
        Files.createDirectories(target);
        Files.copy(file, target.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code swanctl --load-all}: connections, pools and secrets of the current swanctl.conf (absent ones unloaded). */
    public String loadAll() throws IOException {
        return swanctl("--load-all", "--file", dir.resolve("swanctl.conf").toString());
    }

    /** {@code swanctl --list-sas}: empty text (but for blank lines) when there are none. */
    public String listSas() throws IOException {
        return swanctl("--list-sas");
    }

    /** Whether {@code swanctl --list-sas} lists any IKE SA. */
    public boolean hasSas() throws IOException {
        return listSas().lines().anyMatch(l -> l.contains("#") && (l.contains("ESTABLISHED") || l.contains("CONNECTING")
                || l.contains("DELETING") || l.contains("REKEYING") || l.contains("CREATED")));
    }

    /** Runs swanctl against this daemon's vici socket and returns its output; fails with the output if it fails. */
    public String swanctl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "STRONGSWAN_CONF=" + dir.resolve("strongswan.conf"),
                "SWANCTL_DIR=" + dir, "swanctl"));
        command.addAll(List.of(args));
        command.addAll(List.of("--uri", "unix://" + dir.resolve("charon.vici")));
        return Netns.exec(command, 30);
    }

    /** charon's log so far (level 2 for ike and cfg). */
    public String log() {
        return readQuietly(dir.resolve("charon.log"));
    }

    /** Stops the daemon by its PID (SIGTERM, then SIGKILL after 5 s) and deletes its directory. */
    @Override
    public void close() {
        stop(process);
        deleteTree(dir);
    }

    private void awaitVici() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Path socket = dir.resolve("charon.vici");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("charon exited with " + process.exitValue());
            }
            if (Files.exists(socket)) {
                try {
                    swanctl("--stats");
                    return;
                } catch (IOException notYet) {
                    // the socket exists before charon listens on it
                }
            }
            sleep(50);
        }
        throw new IOException("no vici socket at " + socket + " after " + START_TIMEOUT.toSeconds() + " s");
    }

    private static void writeConnections(Path dir, String swanctlConf) throws IOException {
        Path file = dir.resolve("swanctl.conf");
        Files.writeString(file, swanctlConf, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    private static void stop(Process process) {
        ProcessHandle handle = process.toHandle();
        if (!handle.isAlive()) return;
        handle.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                handle.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for charon", e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory left behind is harmless
        }
    }

    @Override
    public String toString() {
        return "charon[pid " + process.pid() + " in " + netns.name() + ", " + dir + "]";
    }
}
