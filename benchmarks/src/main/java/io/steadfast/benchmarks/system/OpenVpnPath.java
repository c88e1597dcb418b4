package io.steadfast.benchmarks.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Anchor row: OpenVPN 2.6 (Debian package) point to point over UDP between C and G on {@link ThreeHosts}:
 * TLS with a fresh self-signed P-256 certificate per side, each pinning the other's SHA-256 fingerprint (no CA),
 * data channel AES-128-GCM, in user space ({@code disable-dco}: the kernel has no DCO module). Same tunnel MTU
 * (1400), TUN queue (1000) and asked socket buffers (4 MiB) as our client and gateway. Each openvpn runs in the
 * foreground and is ended by PID.
 */
final class OpenVpnPath extends ThreeHostsPath {
    static final int PORT = 1194;
    static final String CIPHER = "AES-128-GCM";
    private static final int READY_SECONDS = 30;
    private static final Pattern DATA_CHANNEL = Pattern.compile("Data Channel: cipher '([^']+)'", Pattern.CASE_INSENSITIVE);
    private final String clientIf = "ovc" + ProcessHandle.current().pid();
    private final String gatewayIf = "ovg" + ProcessHandle.current().pid();
    private Daemon clientDaemon;
    private Daemon gatewayDaemon;

    private OpenVpnPath(ThreeHosts hosts) {
        super(hosts);
    }

    /** Builds the namespaces, makes certificates, starts both ends and waits until the data channel is up. */
    static OpenVpnPath open(Path dir) throws Exception {
        return started(new OpenVpnPath(new ThreeHosts()), dir);
    }

    @Override
    void start(Path dir) throws Exception {
        Files.createDirectories(dir);
        String gatewayPrint = selfSigned(dir, "ovpn-gateway");
        String clientPrint = selfSigned(dir, "ovpn-client");
        Path gatewayConf = Files.writeString(dir.resolve("ovpn-gateway.conf"), common(dir, "ovpn-gateway", gatewayIf, clientPrint) + """
                tls-server
                local %s
                port %d
                ifconfig %s %s
                """.formatted(ThreeHosts.GATEWAY_OUTER, PORT, ThreeHosts.GATEWAY_INNER, ThreeHosts.CLIENT_INNER));
        Path clientConf = Files.writeString(dir.resolve("ovpn-client.conf"), common(dir, "ovpn-client", clientIf, gatewayPrint) + """
                tls-client
                nobind
                remote %s %d
                ifconfig %s %s
                """.formatted(ThreeHosts.GATEWAY_OUTER, PORT, ThreeHosts.CLIENT_INNER, ThreeHosts.GATEWAY_INNER));
        gatewayDaemon = Daemon.start(hosts.gateway, dir.resolve("openvpn-gateway.log"), "openvpn", "--config", gatewayConf.toString());
        clientDaemon = Daemon.start(hosts.client, dir.resolve("openvpn-client.log"), "openvpn", "--config", clientConf.toString());
        for (Daemon d : List.of(gatewayDaemon, clientDaemon)) {
            d.awaitLog("Initialization Sequence Completed", READY_SECONDS);
            d.await(() -> dataChannelCipher(d.log()).isPresent(), "logged no data channel cipher", READY_SECONDS);
            String cipher = dataChannelCipher(d.log()).orElseThrow();
            if (!cipher.equals(CIPHER)) throw new IOException("openvpn chose data channel cipher " + cipher + ", not " + CIPHER + ":\n" + d.log());
        }
        hosts.gateway.run("ip", "route", "add", ThreeHosts.INNER, "dev", gatewayIf);
        hosts.client.run("ip", "route", "add", ThreeHosts.CLOUD, "dev", clientIf);
    }

    /** The options both ends share: device, transport, certificate, the peer's pinned fingerprint, data channel. */
    static String common(Path dir, String name, String device, String peerFingerprint) {
        return """
                dev %s
                dev-type tun
                proto udp
                cert %s
                key %s
                peer-fingerprint %s
                dh none
                data-ciphers %s
                disable-dco
                tun-mtu %d
                txqueuelen %d
                sndbuf 4194304
                rcvbuf 4194304
                verb 3
                """.formatted(device, dir.resolve(name + ".crt"), dir.resolve(name + ".key"), peerFingerprint, CIPHER,
                TunnelDevices.MTU, TunnelDevices.TX_QUEUE);
    }

    /** The data channel cipher an openvpn log reports ("Data Channel: cipher 'AES-128-GCM', ..."), if it has yet. */
    static Optional<String> dataChannelCipher(String log) {
        Matcher m = DATA_CHANNEL.matcher(log);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Makes NAME.crt and NAME.key (self-signed P-256, key mode 0600) in {@code dir}; returns the SHA-256 fingerprint. */
    private static String selfSigned(Path dir, String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".crt");
        Commands.run(null, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + name);
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return fingerprint(Commands.run(null, "openssl", "x509", "-in", cert.toString(), "-noout", "-fingerprint", "-sha256"));
    }

    /** The fingerprint in {@code openssl x509 -fingerprint} output ("sha256 Fingerprint=AB:CD:..."), as openvpn wants it. */
    static String fingerprint(String opensslOutput) throws IOException {
        String line = opensslOutput.strip();
        int eq = line.indexOf('=');
        String print = eq < 0 ? "" : line.substring(eq + 1).strip();
        if (!print.matches("([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}")) throw new IOException("no SHA-256 fingerprint in: " + line);
        return print.toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public List<Tracked> processes() {
        return List.of(new Tracked("client", clientDaemon.pid()), new Tracked("gateway", gatewayDaemon.pid()));
    }

    @Override
    public List<String> drops() {
        return List.of("client: openvpn; kernel " + DropReport.kernelCounters(hosts.client, clientIf),
                "gateway: openvpn; kernel " + DropReport.kernelCounters(hosts.gateway, gatewayIf));
    }

    /** Ends both openvpn processes by PID and deletes the namespaces. */
    @Override
    public void close() throws Exception {
        try {
            if (clientDaemon != null) clientDaemon.stop();
            if (gatewayDaemon != null) gatewayDaemon.stop();
        } finally {
            hosts.close();
        }
    }
}
