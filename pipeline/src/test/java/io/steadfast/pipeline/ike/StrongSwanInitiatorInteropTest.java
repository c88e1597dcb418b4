package io.steadfast.pipeline.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.tun.Netns;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.sa.ChildSa;
import io.steadfast.ike.sa.IkeEvent;
import io.steadfast.ike.sa.IkeSa;
import io.steadfast.ike.sa.ResponderConfig;
import io.steadfast.pipeline.testbed.Charon;
import io.steadfast.pipeline.testbed.Testbed;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * strongSwan 5.9.8 as initiator (charon + swanctl in the client namespace 10.242.0.1) against our responder library
 * on sockets in the gateway namespace (10.242.0.2, ports 500 and 4500): it connects with a PSK, gets a virtual IP
 * from our pool, its liveness checks are answered, ours are answered by it, and its delete reaches us.
 */
class StrongSwanInitiatorInteropTest {
    static final String PSK = "steadfast-interop-psk";

    static Testbed bed;
    static Netns gw;
    static Charon charon;

    @BeforeAll
    static void client() throws Exception {
        StrongSwanTests.requireCharon();
        bed = new Testbed();
        Netns client = bed.host("ssi");
        gw = bed.host("ourgw");
        bed.link(client, "10.242.0.1/24", gw, "10.242.0.2/24");
        // kernel-libipsec routes the remote selector from the virtual IP, which must then be a local address
        charon = Charon.start(client, swanctl(PSK), Map.of("retransmit_tries", "2", "retransmit_timeout", "1",
                "install_virtual_ip", "yes"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (charon != null) charon.close();
        if (bed != null) bed.close();
    }

    @org.junit.jupiter.api.BeforeEach
    void noLeftovers() {
        try {
            charon.swanctl("--terminate", "--ike", "gw", "--force", "--timeout", "2");
        } catch (java.io.IOException nothingToTerminate) {
            // the usual case
        }
    }

    static String swanctl(String psk) {
        return """
                connections {
                  gw {
                    version = 2
                    local_addrs = 10.242.0.1
                    remote_addrs = 10.242.0.2
                    proposals = aes128gcm16-prfsha256-x25519
                    encap = yes
                    vips = 0.0.0.0
                    dpd_delay = 1s
                    local { auth = psk
                      id = client.example }
                    remote { auth = psk
                      id = gw.example }
                    children { net { remote_ts = 10.10.0.0/16
                      esp_proposals = aes128gcm16 } }
                  }
                }
                secrets { ike-gw { id-1 = client.example
                  id-2 = gw.example
                  secret = "%s" } }
                """.formatted(psk);
    }

    static ResponderConfig ours() {
        return ResponderConfig.psk("gw.example", Map.of("client.example", PSK.getBytes(StandardCharsets.UTF_8)),
                "aes128gcm16-prfsha256-x25519", "aes128gcm16", List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16)),
                "10.99.0.0/24");
    }

    /** {@code swanctl --initiate} runs in the background while the test thread runs our gateway's loop. */
    static CompletableFuture<String> initiate() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return charon.swanctl("--initiate", "--child", "net", "--timeout", "15");
            } catch (java.io.IOException e) {
                return "FAILED " + e.getMessage();
            }
        });
    }

    @Test
    void strongSwanConnectsGetsAVirtualIpAndDeletes() throws Exception {
        charon.configure(swanctl(PSK));
        charon.loadAll();
        try (UdpIkeGateway ours = UdpIkeGateway.open(gw, InetAddress.getByName("10.242.0.2"), ours())) {
            CompletableFuture<String> initiate = initiate();
            ours.runUntil(initiate::isDone, Duration.ofSeconds(20));
            assertThat(initiate.join()).as("charon log:%n%s", charon.log()).contains("initiate completed successfully");

            IkeEvent.ChildSaUp up = ours.event(IkeEvent.ChildSaUp.class);
            assertThat(up).isNotNull();
            ChildSa child = up.child();
            assertThat(child.virtualIp().getHostAddress()).isEqualTo("10.99.0.1");
            assertThat(child.localTs()).containsExactly(TrafficSelector.ipv4Subnet("10.10.0.0", 16));
            assertThat(child.remoteTs()).containsExactly(TrafficSelector.ipv4Subnet("10.99.0.1", 32));
            IkeSa sa = up.sa();
            String firstSpi = String.format("%016x", sa.initiatorSpi());
            assertThat(sa.peerIdentity()).isEqualTo("fqdn:client.example");
            assertThat(sa.remote().getPort()).isEqualTo(4500);
            String sas = charon.listSas();
            assertThat(sas).contains("ESTABLISHED", "gw.example", "10.99.0.1", "INSTALLED",
                    String.format("%08x", child.outboundSpi()), String.format("%08x", child.inboundSpi()));

            // charon's liveness checks (dpd_delay = 1s) reach us and are answered; ours reach it
            long answered = sa.counters().requestsAnswered(); // its IKE_AUTH so far
            ours.runUntil(() -> sa.counters().requestsAnswered() > answered, Duration.ofSeconds(6));
            assertThat(sa.counters().requestsAnswered()).isGreaterThan(answered);
            assertThat(charon.log()).contains("sending DPD request");
            ours.act(sa.checkLiveness(System.nanoTime()));
            ours.runUntil(() -> ours.event(IkeEvent.Alive.class) != null, Duration.ofSeconds(5));
            assertThat(ours.event(IkeEvent.Alive.class)).isNotNull();

            // charon rekeys the IKE SA: it becomes the initiator of the new one, we keep answering it
            CompletableFuture<String> rekey = CompletableFuture.supplyAsync(() -> {
                try {
                    return charon.swanctl("--rekey", "--ike", "gw");
                } catch (java.io.IOException e) {
                    return "FAILED " + e.getMessage();
                }
            });
            ours.runUntil(() -> rekey.isDone() && ours.event(IkeEvent.IkeSaRekeyed.class) != null
                    && sa.nextDeadline() == IkeSa.NO_DEADLINE, Duration.ofSeconds(10));
            assertThat(rekey.join()).contains("rekey completed successfully");
            assertThat(sa.isInitiator()).isFalse(); // charon rekeyed, so charon initiated the new IKE SA
            assertThat(String.format("%016x", sa.initiatorSpi())).isNotEqualTo(firstSpi);
            assertThat(ours.responder.sas()).containsExactly(sa);

            // charon deletes: we see it, the address returns to the pool
            CompletableFuture<String> terminate = CompletableFuture.supplyAsync(() -> {
                try {
                    return charon.swanctl("--terminate", "--ike", "gw", "--timeout", "10");
                } catch (java.io.IOException e) {
                    return "FAILED " + e.getMessage();
                }
            });
            ours.runUntil(() -> terminate.isDone() && ours.event(IkeEvent.Deleted.class) != null, Duration.ofSeconds(15));
            assertThat(terminate.join()).contains("terminate completed successfully");
            assertThat(ours.event(IkeEvent.Deleted.class).byPeer()).isTrue();
            assertThat(ours.event(IkeEvent.ChildSaDown.class).child()).isEqualTo(child);
            assertThat(ours.responder.sas()).isEmpty();
            assertThat(ours.responder.leasedAddresses()).isZero();
            assertThat(charon.hasSas()).isFalse();
        }
    }

    @Test
    void strongSwanWithTheWrongPskIsNamedInOneLine() throws Exception {
        charon.configure(swanctl("not-our-psk"));
        charon.loadAll();
        try (LogLines log = new LogLines();
                UdpIkeGateway ours = UdpIkeGateway.open(gw, InetAddress.getByName("10.242.0.2"), ours())) {
            CompletableFuture<String> initiate = initiate();
            ours.runUntil(initiate::isDone, Duration.ofSeconds(20));
            assertThat(initiate.join()).doesNotContain("initiate completed successfully");
            assertThat(log.warnings()).singleElement().satisfies(line -> assertThat(line)
                    .isEqualTo("/10.242.0.1:4500 as fqdn:client.example failed authentication: its AUTH does not verify"
                            + " with the pre-shared key (the keys differ)"));
            assertThat(ours.responder.sas()).isEmpty();
            assertThat(charon.log()).contains("received AUTHENTICATION_FAILED notify error");
        }
    }
}
