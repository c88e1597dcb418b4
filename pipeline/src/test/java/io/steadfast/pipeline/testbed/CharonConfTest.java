package io.steadfast.pipeline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strongswan.conf Charon writes: the pitfalls of testbed-notes.md, without needing root or strongSwan. */
class CharonConfTest {
    static final Path DIR = Path.of("/tmp/sf-charon-test");

    @Test
    void pluginsAreExplicitWithUserSpaceEspBeforeNetlinkAndKdf() {
        String conf = Charon.strongswanConf(DIR, Map.of());
        String load = conf.lines().filter(l -> l.strip().startsWith("load = ")).findFirst().orElseThrow();
        List<String> plugins = List.of(load.strip().substring("load = ".length()).split(" "));
        assertThat(plugins).contains("kdf", "vici", "socket-default", "openssl", "x509", "pem", "pubkey");
        assertThat(plugins.indexOf("kernel-libipsec")).isNotNegative().isLessThan(plugins.indexOf("kernel-netlink"));
    }

    @Test
    void viciSocketAndLogLiveInTheDaemonsOwnDirectoryNotUnderRun() {
        String conf = Charon.strongswanConf(DIR, Map.of());
        assertThat(conf).contains("vici { socket = unix:///tmp/sf-charon-test/charon.vici }")
                .contains("path = /tmp/sf-charon-test/charon.log").contains("flush_line = yes").doesNotContain("/run/");
    }

    @Test
    void settingsOverrideTheDefaultsOnce() {
        String conf = Charon.strongswanConf(DIR, Map.of("install_virtual_ip", "yes", "retransmit_tries", "2"));
        assertThat(conf).contains("install_virtual_ip = yes", "retransmit_tries = 2", "install_routes = yes")
                .doesNotContain("install_virtual_ip = no");
        assertThat(conf.lines().filter(l -> l.contains("install_virtual_ip"))).hasSize(1);
    }

    @Test
    void directoriesOfDeadRunsAreSweptAndLiveOnesKept() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path dead = java.nio.file.Files.createTempDirectory(tmp, "sf-charon-");
        Path alive = java.nio.file.Files.createTempDirectory(tmp, "sf-charon-");
        Path foreign = java.nio.file.Files.createTempDirectory(tmp, "sf-charon-");
        try {
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            java.nio.file.Files.writeString(dead.resolve("owner.pid"), Long.toString(gone.pid()));
            java.nio.file.Files.createDirectories(dead.resolve("run"));
            java.nio.file.Files.writeString(dead.resolve("run/charon.pid"), Long.toString(ProcessHandle.current().pid()));
            java.nio.file.Files.writeString(alive.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
            assertThat(Charon.sweepStale()).isGreaterThanOrEqualTo(1);
            assertThat(dead).doesNotExist(); // and this JVM, named in its pid file but not running its conf, lives on
            assertThat(alive).exists();
            assertThat(foreign).exists(); // no owner file: not ours to touch
        } finally {
            for (Path p : List.of(alive, foreign)) java.nio.file.Files.walk(p).sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }
}
