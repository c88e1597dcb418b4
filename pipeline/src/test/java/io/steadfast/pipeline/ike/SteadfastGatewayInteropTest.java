package io.steadfast.pipeline.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.testing.RootTests;
import io.steadfast.handlers.tun.Netns;
import io.steadfast.pipeline.testbed.Charon;
import io.steadfast.pipeline.testbed.SteadfastProcess;
import io.steadfast.pipeline.testbed.TcpTransfer;
import io.steadfast.pipeline.testbed.Testbed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * strongSwan 5.9.8 as the client against a {@code steadfast gateway} process whose profile names the
 * {@code ike-responder} stage, as root in namespaces: charon connects with a PSK (from and to port 4500, so
 * behind the non-ESP marker from the first message: our gateway shares that port between IKE and ESP), gets a virtual IP from our pool, and a ping and a TCP transfer from the
 * client to the cloud behind our gateway go through. With a certificate (made by strongSwan's {@code pki}) beside
 * its PSK file, our gateway authenticates a charon that signs by its certificate chain and answers with its own
 * signature, and a charon with a PSK by the PSK, answering with the PSK; that one starts on UDP 500, which our
 * gateway also listens on, and moves to 4500.
 *
 * <pre>
 *  C (charon, kernel-libipsec) 10.243.0.1 == 10.243.0.2 G (steadfast gateway; pool 10.99.0.0/24 into sf-g; cloud 10.10.0.1 on lo)
 * </pre>
 */
class SteadfastGatewayInteropTest {
    private static final String PSK = "steadfast-gateway-interop-psk";

    @TempDir
    Path dir;

    @BeforeEach
    void prerequisites() {
        StrongSwanTests.requireCharon();
    }

    private static String swanctl() {
        return "connections {\n" + connection("gw", true, "auth = psk\n id = client.example", "psk", "net") + "}\n"
                + secrets("client.example");
    }

    /**
     * A charon connection to our gateway asking for a virtual IP: {@code local} is its local section, {@code remoteAuth}
     * what it expects of us; from and to port 4500 if {@code natt}, else starting on 500.
     */
    private static String connection(String name, boolean natt, String local, String remoteAuth, String child) {
        return """
                  %s {
                    version = 2
                    local_addrs = 10.243.0.1
                    remote_addrs = 10.243.0.2
                    %s
                    proposals = aes128gcm16-prfsha256-x25519
                    encap = yes
                    vips = 0.0.0.0
                    local { %s }
                    remote { auth = %s
                      id = gw.example }
                    children { %s { remote_ts = 10.10.0.0/16
                      esp_proposals = aes128gcm16 } }
                  }
                """.formatted(name, natt ? "local_port = 4500\n remote_port = 4500" : "", local, remoteAuth, child);
    }

    private static String secrets(String id) {
        return """
                secrets { ike-gw { id-1 = %s
                  id-2 = gw.example
                  secret = "%s" } }
                """.formatted(id, PSK);
    }

    /** The client and gateway hosts of {@code bed}, joined, with the cloud address on the gateway's loopback. */
    private static Netns[] hosts(Testbed bed) throws Exception {
        Netns client = bed.host("ssc");
        Netns gw = bed.router("sfgw");
        bed.link(client, "10.243.0.1/24", gw, "10.243.0.2/24");
        gw.run("ip", "addr", "add", "10.10.0.1/32", "dev", "lo");
        return new Netns[] {client, gw};
    }

    /** Starts {@code steadfast gateway} in {@code gw} with {@code responder} as its ike.responder settings. */
    private SteadfastProcess gateway(Netns gw, String responder) throws Exception {
        Path profile = Files.writeString(dir.resolve("gateway.conf"), """
                steadfast {
                  kind = gateway
                  name = ike-gateway
                  control.socket = "%s/gateway.sock"
                  tun { name = sf-g, addresses = ["10.99.0.254/32"], routes = ["10.99.0.0/24"] }
                  udp { address = "10.243.0.2", port = 4500 }
                  ike.responder { local-id = gw.example, %s, pool = "10.99.0.0/24", local-ts = ["10.10.0.0/16"] }
                  pipelines {
                    to-clients { source = tun, stages = [tun-read, esp-encrypt, udp-send] }
                    from-clients { source = udp, stages = [udp-recv, ike-responder, esp-decrypt, tun-write] }
                  }
                }
                """.formatted(dir, responder));
        SteadfastProcess steadfast = SteadfastProcess.start(gw, "gateway", profile, dir.resolve("gateway.sock"),
                dir.resolve("gateway.log"), "-Dio.netty.leakDetection.level=paranoid");
        try {
            return steadfast.awaitReady();
        } catch (Exception e) {
            steadfast.stop();
            throw e;
        }
    }

    /** Stops our gateway, which must exit cleanly without leaks or exceptions. */
    private static void stopCleanly(SteadfastProcess steadfast) throws Exception {
        assertThat(steadfast.stop()).isZero();
        assertThat(steadfast.log()).doesNotContain("LEAK").doesNotContain("Exception");
    }

    @Test
    void strongSwanConnectsToOurGatewayGetsAnAddressFromOurPoolAndTrafficFlows() throws Exception {
        try (Testbed bed = new Testbed()) {
            Netns[] hosts = hosts(bed);
            Netns client = hosts[0];
            Testbed.writeSecret(dir.resolve("clients.psk"), "client.example " + PSK + "\n");
            SteadfastProcess steadfast = gateway(hosts[1], "psk-file = clients.psk");
            try (Charon charon = Charon.start(client, swanctl(), Map.of("install_virtual_ip", "yes"))) {
                charon.loadAll();
                String initiated = charon.swanctl("--initiate", "--child", "net", "--timeout", "15");
                assertThat(initiated).as("charon log:%n%s%ngateway log:%n%s", charon.log(), steadfast.log())
                        .contains("initiate completed successfully");
                assertThat(charon.listSas()).contains("ESTABLISHED", "gw.example", "10.99.0.1", "INSTALLED");
                String status = steadfast.status();
                assertThat(status).contains("client fqdn:client.example at 10.243.0.1:4500: ESTABLISHED, virtual IP 10.99.0.1")
                        .containsPattern("ike-responder\\s+ike-sas=1 half-open=0 child-sas\\.up=1 addresses\\.leased=1");

                assertThat(client.run("ping", "-c", "3", "-i", "0.2", "-W", "2", "-I", "10.99.0.1", "10.10.0.1")).contains("3 received");
                try (TcpTransfer t = TcpTransfer.start(hosts[1], "10.10.0.1", 5001, client, "10.99.0.1", 10L << 20, 4)) {
                    TcpTransfer.Result r = t.await(Duration.ofSeconds(60));
                    assertThat(r.intact()).as(r + "\n" + steadfast.status()).isTrue();
                }
                assertThat(steadfast.status()).containsPattern("esp-encrypt\\s+10\\.99\\.0\\.1\\.packets=[1-9]");

                charon.swanctl("--terminate", "--ike", "gw", "--timeout", "10");
                long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!steadfast.status().contains("ike-sas=0") && System.nanoTime() < end) Thread.sleep(50);
                assertThat(steadfast.status()).containsPattern("ike-sas=0 half-open=0 child-sas\\.up=1 addresses\\.leased=0")
                        .doesNotContain("10.99.0.1.packets");
            } finally {
                stopCleanly(steadfast);
            }
        }
    }

    /**
     * charon with two connections to our gateway: {@code cert} signs with client.crt (from port 4500), {@code psk}
     * uses a PSK and starts on port 500, as initiators do by default.
     */
    private static String swanctlCertificateAndPsk() {
        return "connections {\n"
                + connection("cert", true, "auth = pubkey\n certs = client.crt\n id = client.example", "pubkey", "cert-net")
                + connection("psk", false, "auth = psk\n id = psk-client.example", "psk", "psk-net") + "}\n"
                + secrets("psk-client.example");
    }

    @Test
    void ourGatewayWithACertificateAuthenticatesCertificateClientsBySignatureAndPskClientsByPsk() throws Exception {
        RootTests.requireTool("pki");
        Path pki = Files.createDirectories(dir.resolve("pki"));
        PkiFiles.make(pki);
        Files.setPosixFilePermissions(pki.resolve("gw.key"), PosixFilePermissions.fromString("rw-------"));
        try (Testbed bed = new Testbed()) {
            Netns[] hosts = hosts(bed);
            Netns client = hosts[0];
            Testbed.writeSecret(dir.resolve("clients.psk"), "psk-client.example " + PSK + "\n");
            SteadfastProcess steadfast = gateway(hosts[1], "psk-file = clients.psk, certificate = pki/gw.crt, "
                    + "private-key = pki/gw.key, ca = pki/ca.crt");
            try (Charon charon = Charon.start(client, swanctlCertificateAndPsk(), Map.of("install_virtual_ip", "yes"))) {
                charon.install("x509ca", pki.resolve("ca.crt"));
                charon.install("x509", pki.resolve("client.crt"));
                charon.install("private", pki.resolve("client.key"));
                charon.loadAll();
                assertThat(charon.swanctl("--initiate", "--child", "cert-net", "--timeout", "15"))
                        .as("charon log:%n%s%ngateway log:%n%s", charon.log(), steadfast.log())
                        .contains("initiate completed successfully");
                assertThat(charon.log()).contains("authentication of 'gw.example' with ECDSA_WITH_SHA256_DER successful");
                assertThat(charon.swanctl("--initiate", "--child", "psk-net", "--timeout", "15"))
                        .as("charon log:%n%s%ngateway log:%n%s", charon.log(), steadfast.log())
                        .contains("initiate completed successfully");
                assertThat(charon.log()).contains("authentication of 'gw.example' with pre-shared key successful")
                        .contains("sending packet: from 10.243.0.1[500] to 10.243.0.2[500]")
                        .contains("received packet: from 10.243.0.2[500] to 10.243.0.1[500]")
                        .contains("sending packet: from 10.243.0.1[4500] to 10.243.0.2[4500]");
                assertThat(steadfast.status())
                        .contains("client fqdn:client.example at 10.243.0.1:4500: ESTABLISHED, virtual IP 10.99.0.1")
                        .contains("client fqdn:psk-client.example at 10.243.0.1:4500: ESTABLISHED, virtual IP 10.99.0.2")
                        .containsPattern("ike-responder\\s+ike-sas=2 half-open=0 child-sas\\.up=2 addresses\\.leased=2")
                        .contains("udp /10.243.0.2:500 (IKE only)");
                assertThat(client.run("ping", "-c", "2", "-i", "0.2", "-W", "2", "-I", "10.99.0.1", "10.10.0.1")).contains("2 received");
                assertThat(client.run("ping", "-c", "2", "-i", "0.2", "-W", "2", "-I", "10.99.0.2", "10.10.0.1")).contains("2 received");
            } finally {
                stopCleanly(steadfast);
            }
        }
    }
}
