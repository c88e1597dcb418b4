package io.steadfast.benchmarks.system;

import io.steadfast.handlers.tun.Netns;
import io.steadfast.pipeline.testbed.Charon;
import io.steadfast.pipeline.testbed.SteadfastProcess;
import io.steadfast.pipeline.testbed.Testbed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * IKE handshake time, side by side: our initiator (a {@code steadfast client} process, its {@code ike} stage)
 * and strongSwan's (a second charon, {@code swanctl --initiate}) against the same strongSwan charon responder,
 * PSK, the same proposals, each asking for a virtual IP. Measured on the wire: dumpcap on the responder's host,
 * from the first IKE_SA_INIT request to the IKE_AUTH response of each IKE SA ({@link IkeHandshakes}). The two
 * initiators take turns, each SA deleted before the next handshake; our first handshake (cold JVM) is reported
 * apart. Writes a Markdown report ({@link IkeTimingReport}).
 *
 * <pre>
 *   ours  10.244.1.1 == 10.244.1.2 \
 *                                   G (charon responder; dumpcap; cloud 10.10.0.1 on lo)
 *   swan  10.244.2.1 == 10.244.2.2 /
 * sudo benchmarks/ike-timing.sh [--handshakes 20] [--proposal aes128gcm16-prfsha256-x25519] [--transport auto] [--out FILE]
 * </pre>
 */
@Command(name = "ike-timing", description = "IKE_SA_INIT + IKE_AUTH time of our initiator and strongSwan's against one strongSwan responder.")
public final class IkeTiming implements Callable<Integer> {
    static final String OURS = "10.244.1.1";
    static final String OURS_GW = "10.244.1.2";
    static final String SWAN = "10.244.2.1";
    static final String SWAN_GW = "10.244.2.2";
    static final String CLOUD = "10.10.0.0/16";
    static final String OURS_VIP = "10.99.0.7";
    /** The pause between our SA's delete and strongSwan's handshake (ours comes 2 s after the delete). */
    static final long IDLE_MILLIS = 1000;
    /** When, after the delete, we start asking our client whether its new SA is up. */
    static final long POLL_AFTER_MILLIS = 2500;
    static final List<String> TOOLS = List.of("dumpcap", "tshark", "swanctl", "setpriv");

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--handshakes", defaultValue = "20",
            description = "measured handshakes of each initiator, taking turns (ours: after its first, cold one) (default ${DEFAULT-VALUE})")
    int handshakes;

    @Option(names = "--proposal", defaultValue = "aes128gcm16-prfsha256-x25519",
            description = "IKE proposal of all three daemons, strongSwan syntax (default ${DEFAULT-VALUE})")
    String proposal;

    @Option(names = "--out", defaultValue = "benchmarks/results/ike-timing.md", description = "Markdown file to (over)write (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--transport", defaultValue = "auto",
            description = "our client's transport: auto (epoll where the kernel allows it), epoll or io_uring (default ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--capture", description = "keep the responder-side capture (pcapng) here")
    Path capture;

    public static void main(String[] args) {
        System.exit(new CommandLine(new IkeTiming()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (handshakes < 1) {
            System.err.println("ike-timing: --handshakes must be at least 1");
            return 2;
        }
        if (java.util.Arrays.stream(io.steadfast.pipeline.profile.Transport.values()).noneMatch(t -> t.label().equals(transport))) {
            System.err.println("ike-timing: --transport must be auto, epoll or io_uring, not " + transport);
            return 2;
        }
        if (!"0".equals(Netns.exec(List.of("id", "-u"), 10).strip())) {
            System.err.println("ike-timing: must run as root (it creates network namespaces and runs charon)");
            return 2;
        }
        List<String> missing = Commands.missing(TOOLS);
        if (!missing.isEmpty() || !Files.isExecutable(Charon.CHARON)) {
            System.err.println("ike-timing: missing " + missing + (Files.isExecutable(Charon.CHARON) ? "" : " " + Charon.CHARON)
                    + "; apt-get install tshark strongswan-charon strongswan-swanctl libcharon-extra-plugins");
            return 2;
        }
        MachineInfo machine = MachineInfo.collect();
        double busyBefore = CpuMeter.machineBusy(2000);
        String loadBefore = SystemBenchmark.loadAverage();
        log("machine: " + machine.cpus() + " CPUs, " + machine.cpuModel() + "; busy " + Report.fmt(busyBefore) + " %");
        Path work = Files.createTempDirectory("steadfast-ike-timing-");
        Cleanup.Registration deleteWork = Cleanup.onExit(() -> SystemBenchmark.deleteTree(work));
        String fields;
        try {
            Path pcap = work.resolve("responder.pcapng");
            run(work, pcap);
            if (capture != null) Files.copy(pcap, capture, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            List<String> tshark = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-Y", "isakmp"));
            tshark.addAll(IkeHandshakes.TSHARK_FIELDS);
            fields = Netns.exec(tshark, 60);
        } finally {
            deleteWork.run();
        }
        List<IkeHandshakes.Handshake> all = IkeHandshakes.parse(fields);
        IkeTimingReport report = IkeTimingReport.of(all, OURS, SWAN);
        if (report.ours().size() != handshakes + 1 || report.swan().size() != handshakes) {
            System.err.println("ike-timing: the capture holds " + report.ours().size() + " of our handshakes and "
                    + report.swan().size() + " of strongSwan's; expected " + (handshakes + 1) + " and " + handshakes);
            return 1;
        }
        String md = report.markdown(machine, new IkeTimingReport.Background(busyBefore, loadBefore,
                CpuMeter.machineBusy(2000), SystemBenchmark.loadAverage()), proposal, transport, strongSwanVersion());
        System.out.println();
        System.out.print(md);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, md, StandardCharsets.UTF_8);
        log("written to " + out.toAbsolutePath());
        return 0;
    }

    /** Builds the hosts, starts the capture and the three daemons, and runs the handshakes in turn. */
    private void run(Path work, Path pcap) throws Exception {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        String psk = HexFormat.of().formatHex(key);
        try (Testbed bed = new Testbed()) {
            Cleanup.Registration closeBed = Cleanup.onExit(bed::close);
            Netns gw = bed.host("ikt-gw");
            Netns ours = bed.host("ikt-sf");
            Netns swan = bed.host("ikt-ss");
            bed.link(ours, OURS + "/24", gw, OURS_GW + "/24");
            bed.link(swan, SWAN + "/24", gw, SWAN_GW + "/24");
            gw.run("ip", "addr", "add", "10.10.0.1/32", "dev", "lo");
            Daemon dumpcap = Daemon.start(gw, work.resolve("dumpcap.log"), "dumpcap", "-i", "any",
                    "-f", "udp port 500 or udp port 4500", "-w", pcap.toString());
            Cleanup.Registration stopDumpcap = Cleanup.onExit(dumpcap::stop);
            dumpcap.awaitLog("File:", 20);
            try (Charon responder = Charon.start(gw, responderConf(psk), Map.of());
                    Charon initiator = Charon.start(swan, initiatorConf(psk), Map.of("install_virtual_ip", "yes"))) {
                responder.loadAll();
                initiator.loadAll();
                Testbed.writeSecret(work.resolve("gw.psk"), psk + "\n");
                Path profile = Files.writeString(work.resolve("client.conf"), clientProfile(work));
                try (SteadfastProcess client = SteadfastProcess.start(ours, "client", profile, work.resolve("client.sock"),
                        work.resolve("client.log"))) {
                    client.awaitReady();
                    Thread.sleep(POLL_AFTER_MILLIS); // the first handshake, undisturbed
                    awaitOurs(client, 1, responder);
                    log("our first handshake done; now " + handshakes + " of each, taking turns");
                    for (int i = 1; i <= handshakes; i++) {
                        // Ours starts again 2 s after the delete; strongSwan's goes in the middle, so the responder
                        // has been idle for about 1 s before either; ours is polled for only once it should be up,
                        // so that the polling does not compete with its handshake.
                        responder.swanctl("--terminate", "--ike", "ours", "--timeout", "5");
                        long deleted = System.nanoTime();
                        Thread.sleep(IDLE_MILLIS);
                        String up = initiator.swanctl("--initiate", "--child", "net", "--timeout", "15");
                        if (!up.contains("initiate completed successfully")) {
                            throw new IOException("strongSwan's initiator failed:\n" + up + "\n" + responder.log());
                        }
                        initiator.swanctl("--terminate", "--ike", "gw", "--timeout", "5");
                        Thread.sleep(Math.max(0, POLL_AFTER_MILLIS - (System.nanoTime() - deleted) / 1_000_000));
                        awaitOurs(client, i + 1, responder);
                    }
                    client.stop();
                }
            } finally {
                Thread.sleep(200); // the last datagrams reach the capture
                stopDumpcap.run();
                closeBed.run();
            }
        }
    }

    /** Waits until our client has brought up its {@code count}th Child SA. */
    private static void awaitOurs(SteadfastProcess client, int count, Charon responder) throws Exception {
        try {
            client.awaitStatus("child-sas.up=" + count + " ", Duration.ofSeconds(20));
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\nresponder charon:\n" + responder.log(), e);
        }
    }

    /** The responder's swanctl.conf: one connection per initiator, alike but for the address, peer and pool. */
    private String responderConf(String psk) {
        return "connections {\n" + responderConnection("ours", OURS_GW, "ours.example", "pool-ours")
                + responderConnection("swan", SWAN_GW, "swan.example", "pool-swan") + "}\n"
                + """
                pools { pool-ours { addrs = %s-%s }
                  pool-swan { addrs = 10.99.1.0/24 } }
                secrets { ike-ours { id-1 = ours.example
                    id-2 = gw.example
                    secret = "%s" }
                  ike-swan { id-1 = swan.example
                    id-2 = gw.example
                    secret = "%s" } }
                """.formatted(OURS_VIP, OURS_VIP, psk, psk);
    }

    private String responderConnection(String name, String localAddress, String peer, String pool) {
        return """
                  %s { version = 2
                    local_addrs = %s
                    proposals = %s
                    encap = yes
                    pools = %s
                    local { auth = psk
                      id = gw.example }
                    remote { auth = psk
                      id = %s }
                    children { net { local_ts = %s
                      esp_proposals = aes128gcm16 } } }
                """.formatted(name, localAddress, proposal, pool, peer, CLOUD);
    }

    private String initiatorConf(String psk) {
        return SwanctlInitiator.conf(SWAN, SWAN_GW, proposal, "swan.example", "gw.example", CLOUD, psk);
    }

    private String clientProfile(Path work) {
        return """
                steadfast {
                  kind = client
                  name = ike-timing
                  transport = %s
                  control.socket = "%s/client.sock"
                  tun { name = sf-c, addresses = ["%s/32"], routes = ["%s"] }
                  udp { address = "%s", port = 4500 }
                  ike {
                    gateways = [{ name = gw, address = "%s", local-id = ours.example, remote-id = gw.example,
                                  psk-file = gw.psk, ike-proposals = "%s", esp-proposals = aes128gcm16,
                                  remote-ts = ["%s"] }]
                  }
                  pipelines {
                    outbound { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
                    inbound { source = udp, stages = [udp-recv, ike, esp-decrypt, tun-write] }
                  }
                }
                """.formatted(transport, work, OURS_VIP, CLOUD, OURS, OURS_GW, proposal, CLOUD);
    }

    /** "strongSwan 5.9.8", from charon's {@code --version}. */
    private static String strongSwanVersion() {
        String line = Commands.firstLine(Charon.CHARON.toString(), "--version");
        int at = line.indexOf("strongSwan");
        return at < 0 ? "strongSwan" : line.substring(at);
    }

    static void log(String message) {
        System.out.println("[ike-timing] " + message);
    }
}
