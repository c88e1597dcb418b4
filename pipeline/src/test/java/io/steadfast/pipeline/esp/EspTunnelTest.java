package io.steadfast.pipeline.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.esp.EspAlgorithm;
import io.steadfast.handlers.testing.RootTests;
import io.steadfast.handlers.tun.InNetns;
import io.steadfast.pipeline.testbed.EspTunnel;
import io.steadfast.pipeline.testbed.Testbed;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End to end as root: a ping and a 100 MB TCP transfer, its SHA-256 checked at both ends, from the client
 * host through our client and our gateway (ESP in UDP 4500, each AEAD) to the server host.
 */
class EspTunnelTest {
    static final int TRANSFER_BYTES = 100 * 1024 * 1024;
    static final java.util.regex.Pattern KEEPALIVE_COUNTED = java.util.regex.Pattern.compile("udp-recv\\s+esp=\\d+ bytes=\\d+ keepalives=[1-9]");

    @TempDir
    Path dir;

    @BeforeEach
    void needsRoot() {
        RootTests.requireRootAndNetns();
        RootTests.requireTool("ping");
        RootTests.requireTool("tshark");
        RootTests.requireTool("dumpcap");
    }

    @ParameterizedTest
    @EnumSource(value = EspAlgorithm.class, names = {"AES128GCM16", "AES256GCM16", "CHACHA20POLY1305"})
    void pingAndA100MegabyteTransferCrossTheTunnelIntact(EspAlgorithm algorithm) throws Exception {
        try (EspTunnel tunnel = new EspTunnel(dir, algorithm).jvmOptions("-Dio.netty.leakDetection.level=paranoid").start()) {
            Path capture = dir.resolve("esp.pcapng");
            Capture dumpcap = Capture.start(tunnel.gateway, Testbed.ifName("c"), "udp port 4500", capture);
            assertThat(tunnel.client.run("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.2.0.2"))
                    .contains("3 packets transmitted, 3 received");
            dumpcap.stop();
            if (algorithm != EspAlgorithm.CHACHA20POLY1305) { // tshark 4.0 (Debian 12) cannot decrypt RFC 7634
                assertTsharkDecrypts(capture, tunnel);
            }

            String[] digests = transfer(tunnel, TRANSFER_BYTES);
            assertThat(digests[1]).as("SHA-256 received").isEqualTo(digests[0]);

            String client = tunnel.clientProcess().status();
            String gateway = tunnel.gatewayProcess().status();
            assertThat(client).containsPattern("esp-decrypt\\s+from-gw\\.packets=[1-9]");
            assertThat(client).doesNotContain("dropped.bad-icv").doesNotContain("dropped.replayed");
            assertThat(gateway).containsPattern("esp-encrypt\\s+to-client\\.packets=[1-9]");
            assertThat(tunnel.clientProcess().stop()).isZero();
            assertThat(tunnel.gatewayProcess().stop()).isZero();
            assertThat(tunnel.clientProcess().log() + tunnel.gatewayProcess().log()).doesNotContain("LEAK").doesNotContain("Exception");
        }
    }

    @org.junit.jupiter.api.Test
    void aFloodOfGarbageAndForgeriesIsDroppedCountedAndLoggedSparingly() throws Exception {
        try (EspTunnel tunnel = new EspTunnel(dir, EspAlgorithm.AES128GCM16)
                .jvmOptions("-Dio.netty.leakDetection.level=paranoid").start()) {
            Random random = new Random(42);
            try (java.net.DatagramSocket socket = InNetns.call(tunnel.client.name(),
                    () -> new java.net.DatagramSocket(new InetSocketAddress("10.1.0.1", 0)))) {
                InetSocketAddress gateway = new InetSocketAddress("10.1.0.2", 4500);
                for (int i = 0; i < 5000; i++) {
                    byte[] datagram = new byte[random.nextInt(1400)];
                    random.nextBytes(datagram);
                    if (i % 2 == 0 && datagram.length >= 8) { // forged ESP with the gateway's own inbound SPI
                        java.nio.ByteBuffer.wrap(datagram).putInt(EspTunnel.CLIENT_TO_GATEWAY_SPI).putInt(i + 1);
                    }
                    socket.send(new java.net.DatagramPacket(datagram, datagram.length, gateway));
                }
                // A flood overruns the socket's receive buffer (the kernel drops the excess, as for any UDP
                // receiver); let the gateway work through its backlog, then send the two odd ones.
                awaitQuiet(tunnel);
                socket.send(new java.net.DatagramPacket(new byte[0], 0, gateway));          // empty
                // A keepalive, resent while the socket may still be full from the flood (at most 10 times).
                for (int i = 0; i < 10 && !KEEPALIVE_COUNTED.matcher(tunnel.gatewayProcess().status()).find(); i++) {
                    socket.send(new java.net.DatagramPacket(new byte[] {(byte) 0xff}, 1, gateway));
                    Thread.sleep(300);
                }
            }
            String status = awaitQuiet(tunnel);
            assertThat(tunnel.client.run("ping", "-c", "2", "-i", "0.2", "-W", "2", "10.2.0.2"))
                    .as("the tunnel still works").contains("2 received");
            assertThat(status).containsPattern("dropped\\.bad-icv=[1-9]").containsPattern("dropped\\.invalid=[1-9]")
                    .containsPattern(KEEPALIVE_COUNTED);
            assertThat(tunnel.gatewayProcess().stop()).isZero();
            String log = tunnel.gatewayProcess().log();
            assertThat(log).doesNotContain("Exception").doesNotContain("LEAK");
            assertThat(log.lines().filter(l -> l.contains("dropped")).count())
                    .as("drops are logged rate-limited, not per packet").isLessThanOrEqualTo(6);
        }
    }

    /** The gateway's status once its udp-recv counters have not moved for 600 ms (at most 30 s). */
    private static String awaitQuiet(EspTunnel tunnel) throws Exception {
        String last = "";
        int stable = 0;
        for (int i = 0; i < 150; i++) {
            String status = tunnel.gatewayProcess().status();
            String udp = status.lines().filter(l -> l.contains("udp-recv")).findFirst().orElse("");
            stable = !udp.isEmpty() && udp.equals(last) ? stable + 1 : 0;
            if (stable == 3) return status;
            last = udp;
            Thread.sleep(200);
        }
        throw new AssertionError("the gateway was still busy after 30 s");
    }

    /** tshark, given our keys, decrypts the captured ESP and finds the pings inside, with good ICVs. */
    static void assertTsharkDecrypts(Path capture, EspTunnel tunnel) throws Exception {
        String out = Tshark.decrypt(capture, List.of(
                Tshark.sa(EspTunnel.CLIENT_TO_GATEWAY_SPI, tunnel.algorithm, tunnel.clientToGatewayKey),
                Tshark.sa(EspTunnel.GATEWAY_TO_CLIENT_SPI, tunnel.algorithm, tunnel.gatewayToClientKey)),
                "esp.spi", "esp.sequence", "ip.src", "ip.dst", "icmp.type", "esp.icv_good");
        List<String> requests = out.lines().filter(l -> l.contains("10.1.0.1,10.9.0.1\t10.1.0.2,10.2.0.2\t8\t")).toList();
        List<String> replies = out.lines().filter(l -> l.contains("10.1.0.2,10.2.0.2\t10.1.0.1,10.9.0.1\t0\t")).toList();
        assertThat(requests).as("decrypted echo requests in:\n" + out).hasSize(3);
        assertThat(replies).as("decrypted echo replies in:\n" + out).hasSize(3);
        assertThat(requests).allSatisfy(l -> assertThat(l).startsWith(EspTunnel.hex(EspTunnel.CLIENT_TO_GATEWAY_SPI)).endsWith("\t1"));
        assertThat(replies).allSatisfy(l -> assertThat(l).startsWith(EspTunnel.hex(EspTunnel.GATEWAY_TO_CLIENT_SPI)).endsWith("\t1"));
    }

    /** Sends {@code bytes} of seeded random data from client to server; returns {sent, received} SHA-256. */
    static String[] transfer(EspTunnel tunnel, int bytes) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ServerSocket listener = InNetns.call(tunnel.server.name(),
                () -> new ServerSocket(5001, 1, InetAddress.getByName("10.2.0.2")))) {
            listener.setSoTimeout(30_000);
            Future<String> received = pool.submit(() -> {
                try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
                    s.setSoTimeout(60_000);
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[1 << 16];
                    long total = 0;
                    for (int n; (n = in.read(buf)) > 0; total += n) md.update(buf, 0, n);
                    assertThat(total).isEqualTo(bytes);
                    return HexFormat.of().formatHex(md.digest());
                }
            });
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (Socket s = InNetns.call(tunnel.client.name(), () -> {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("10.2.0.2", 5001), 10_000);
                return socket;
            }); OutputStream out = s.getOutputStream()) {
                Random random = new Random(bytes);
                byte[] chunk = new byte[1 << 16];
                for (int sent = 0; sent < bytes; sent += chunk.length) {
                    random.nextBytes(chunk);
                    int n = Math.min(chunk.length, bytes - sent);
                    md.update(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
            return new String[] {HexFormat.of().formatHex(md.digest()), received.get(90, TimeUnit.SECONDS)};
        } finally {
            pool.shutdownNow();
        }
    }
}
