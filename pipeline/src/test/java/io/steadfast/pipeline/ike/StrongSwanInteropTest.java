package io.steadfast.pipeline.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.handlers.tun.Netns;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.sa.ChildSa;
import io.steadfast.ike.sa.IkeEvent;
import io.steadfast.ike.sa.IkeSa;
import io.steadfast.ike.sa.InitiatorConfig;
import io.steadfast.ike.sa.Retransmission;
import io.steadfast.pipeline.testbed.Charon;
import io.steadfast.pipeline.testbed.Testbed;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our IKEv2 initiator against strongSwan 5.9.8 (charon with kernel-libipsec, swanctl) as the gateway, in network
 * namespaces: client 10.241.0.1 -- veth -- gateway 10.241.0.2 (charon, cloud address 10.10.0.1 on its loopback).
 * Our side is the ike library on a DatagramChannel opened inside the client namespace. Root only; under CI=true a
 * missing prerequisite fails instead of skipping.
 */
class StrongSwanInteropTest {
    static final String PSK = "steadfast-interop-psk";
    static final InetSocketAddress GATEWAY = new InetSocketAddress(address("10.241.0.2"), 500);
    static final List<TrafficSelector> CLOUD = List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16));
    static final AtomicInteger PORTS = new AtomicInteger(40500);

    static Testbed bed;
    static Netns client;
    static Charon charon;

    @BeforeAll
    static void gateway() throws Exception {
        StrongSwanTests.requireCharon();
        bed = new Testbed();
        client = bed.host("ikec");
        Netns gw = bed.router("ikegw");
        bed.link(client, "10.241.0.1/24", gw, "10.241.0.2/24");
        gw.run("ip", "addr", "add", "10.10.0.1/32", "dev", "lo");
        charon = Charon.start(gw, swanctl("aes128gcm16-prfsha256-x25519", "aes128gcm16", PSK),
                Map.of("retransmit_tries", "2", "retransmit_timeout", "1", "delete_rekeyed_delay", "1"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (charon != null) charon.close();
        if (bed != null) bed.close();
    }

    @BeforeEach
    void freshConfiguration() throws Exception {
        charon.configure(swanctl("aes128gcm16-prfsha256-x25519", "aes128gcm16", PSK));
        charon.loadAll();
        try {
            charon.swanctl("--terminate", "--ike", "rw", "--force", "--timeout", "2"); // what a failed test left
        } catch (java.io.IOException nothingToTerminate) {
            // the usual case
        }
        awaitNoSas();
    }

    static String swanctl(String ike, String esp, String psk) {
        return """
                connections {
                  rw {
                    version = 2
                    local_addrs = 10.241.0.2
                    proposals = %s
                    encap = yes
                    fragmentation = yes
                    dpd_delay = 1s
                    pools = pool
                    local { auth = psk
                      id = gw.example }
                    remote { auth = psk
                      id = client.example }
                    children { net { local_ts = 10.10.0.0/16
                      esp_proposals = %s } }
                  }
                }
                pools { pool { addrs = 10.99.0.0/24 } }
                secrets { ike-client { id-1 = client.example
                  id-2 = gw.example
                  secret = "%s" } }
                """.formatted(ike, esp, psk);
    }

    static InitiatorConfig ours(String ike, String esp, String psk) {
        return InitiatorConfig.psk("client.example", psk.getBytes(StandardCharsets.UTF_8), ike, esp, CLOUD)
                .withRemoteId("gw.example").withRetransmission(new Retransmission(Duration.ofMillis(500), 2.0, 3));
    }

    static UdpIkeClient connect(InitiatorConfig config) throws Exception {
        UdpIkeClient c = UdpIkeClient.open(client, new InetSocketAddress(address("10.241.0.1"), PORTS.getAndIncrement()));
        c.start(config, GATEWAY);
        return c;
    }

    @Test
    void pskHandshakeVirtualIpPingLivenessAndDelete() throws Exception {
        try (UdpIkeClient c = connect(ours("aes128gcm16-prfsha256-x25519", "aes128gcm16", PSK))) {
            IkeEvent.ChildSaUp up = c.await(IkeEvent.ChildSaUp.class, Duration.ofSeconds(10));
            assertThat(up).as("Child SA up; failure: %s; charon log:%n%s", c.failure(), charon.log()).isNotNull();
            ChildSa child = up.child();
            assertThat(c.sa.state()).isEqualTo(IkeSa.State.ESTABLISHED);
            assertThat(c.sa.peerIdentity()).isEqualTo("fqdn:gw.example");
            assertThat(c.sa.ikeProposal()).isEqualTo("aes128gcm16-prfsha256-x25519");
            assertThat(c.sa.remote().getPort()).isEqualTo(4500);
            assertThat(child.virtualIp().getHostAddress()).isEqualTo("10.99.0.1");
            assertThat(child.localTs()).containsExactly(TrafficSelector.ipv4Subnet("10.99.0.1", 32));
            assertThat(child.remoteTs()).containsExactly(TrafficSelector.ipv4Subnet("10.10.0.0", 16));
            String sas = charon.listSas();
            assertThat(sas).contains("ESTABLISHED", "client.example", "10.99.0.1", "INSTALLED", "AES_GCM_16-128");

            // a ping through the Child SA: our ESP in, charon's kernel-libipsec answers out
            Inet4Address cloud = (Inet4Address) address("10.10.0.1");
            c.sendEsp(child, Icmp.echoRequest(child.virtualIp(), cloud, 0x5f5f, 1));
            byte[] reply = c.receiveEsp(child, Duration.ofSeconds(5));
            assertThat(Icmp.isEchoReply(reply, cloud, 0x5f5f, 1)).as("echo reply through the tunnel; charon log:%n%s",
                    charon.log()).isTrue();

            // charon's liveness checks (dpd_delay = 1s) are answered with its own message IDs
            c.runUntil(() -> c.sa.counters().requestsAnswered() >= 1, Duration.ofSeconds(6));
            assertThat(c.sa.counters().requestsAnswered()).isPositive();
            assertThat(charon.log()).contains("sending DPD request");
            assertThat(c.sa.state()).isEqualTo(IkeSa.State.ESTABLISHED);
            // and ours are answered by charon
            c.act(c.sa.checkLiveness(System.nanoTime()));
            assertThat(c.await(IkeEvent.Alive.class, Duration.ofSeconds(5))).isNotNull();

            // closing deletes the SA on the gateway too
            c.act(c.sa.close(System.nanoTime()));
            assertThat(c.await(IkeEvent.Deleted.class, Duration.ofSeconds(5))).isNotNull();
            awaitNoSas();
            assertThat(charon.listSas()).doesNotContain("client.example");
            assertThat(c.events).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly("Established", "ChildSaUp", "Alive", "ChildSaDown", "Deleted");
        }
    }

    @Test
    void childSaRekeysByEitherSideKeepTrafficFlowing() throws Exception {
        try (UdpIkeClient c = connect(ours("aes128gcm16-prfsha256-x25519", "aes128gcm16", PSK))) {
            IkeEvent.ChildSaUp up = c.await(IkeEvent.ChildSaUp.class, Duration.ofSeconds(10));
            assertThat(up).as("failure: %s", c.failure()).isNotNull();
            Inet4Address cloud = (Inet4Address) address("10.10.0.1");

            // strongSwan rekeys: we answer, it deletes the old SA, the new one carries a ping
            java.util.concurrent.CompletableFuture<String> rekey = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return charon.swanctl("--rekey", "--child", "net");
                } catch (java.io.IOException e) {
                    return "FAILED " + e.getMessage();
                }
            });
            c.runUntil(() -> rekey.isDone() && c.events.stream().anyMatch(e -> e instanceof IkeEvent.ChildSaDown),
                    Duration.ofSeconds(10));
            assertThat(rekey.join()).contains("rekey completed successfully");
            IkeEvent.ChildSaRekeyed theirs = c.events.stream().filter(e -> e instanceof IkeEvent.ChildSaRekeyed)
                    .map(e -> (IkeEvent.ChildSaRekeyed) e).findFirst().orElseThrow();
            assertThat(theirs.old()).isEqualTo(up.child());
            ChildSa second = theirs.replacement();
            assertThat(c.sa.childSas()).containsExactly(second);
            c.sendEsp(second, Icmp.echoRequest(second.virtualIp(), cloud, 0x6060, 1));
            assertThat(Icmp.isEchoReply(c.receiveEsp(second, Duration.ofSeconds(5)), cloud, 0x6060, 1)).isTrue();

            // we rekey: charon installs our new pair and drops the old one
            c.events.clear();
            c.act(c.sa.rekeyChild(second, System.nanoTime()));
            assertThat(c.await(IkeEvent.ChildSaDown.class, Duration.ofSeconds(5))).as("failure: %s", c.failure()).isNotNull();
            ChildSa third = c.events.stream().filter(e -> e instanceof IkeEvent.ChildSaRekeyed)
                    .map(e -> ((IkeEvent.ChildSaRekeyed) e).replacement()).findFirst().orElseThrow();
            assertThat(charon.listSas()).contains(String.format("%08x", third.inboundSpi()),
                    String.format("%08x", third.outboundSpi()));
            String oldSpi = String.format("%08x", second.inboundSpi());
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // charon's delete_rekeyed_delay
            while (charon.listSas().contains(oldSpi) && System.nanoTime() < end) c.runUntil(() -> false, Duration.ofMillis(100));
            assertThat(charon.listSas()).doesNotContain(oldSpi);
            c.sendEsp(third, Icmp.echoRequest(third.virtualIp(), cloud, 0x6060, 2));
            assertThat(Icmp.isEchoReply(c.receiveEsp(third, Duration.ofSeconds(5)), cloud, 0x6060, 2)).isTrue();

            c.act(c.sa.close(System.nanoTime()));
            assertThat(c.await(IkeEvent.Deleted.class, Duration.ofSeconds(5))).isNotNull();
            awaitNoSas();
        }
    }

    @Test
    void ikeSaRekeysByEitherSideKeepTheTunnel() throws Exception {
        try (UdpIkeClient c = connect(ours("aes128gcm16-prfsha256-x25519", "aes128gcm16", PSK))) {
            IkeEvent.ChildSaUp up = c.await(IkeEvent.ChildSaUp.class, Duration.ofSeconds(10));
            assertThat(up).as("failure: %s", c.failure()).isNotNull();
            Inet4Address cloud = (Inet4Address) address("10.10.0.1");
            String first = String.format("%016x", c.sa.initiatorSpi());

            // strongSwan rekeys the IKE SA: we answer, it deletes the old one, we are the new one's responder
            java.util.concurrent.CompletableFuture<String> rekey = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return charon.swanctl("--rekey", "--ike", "rw");
                } catch (java.io.IOException e) {
                    return "FAILED " + e.getMessage();
                }
            });
            c.runUntil(() -> rekey.isDone() && c.events.stream().anyMatch(e -> e instanceof IkeEvent.IkeSaRekeyed)
                    && c.sa.nextDeadline() == IkeSa.NO_DEADLINE, Duration.ofSeconds(10));
            assertThat(rekey.join()).contains("rekey completed successfully");
            assertThat(c.sa.isInitiator()).isFalse();
            String second = String.format("%016x", c.sa.initiatorSpi());
            assertThat(second).isNotEqualTo(first);
            assertThat(charon.listSas()).contains(second).doesNotContain(first);
            c.act(c.sa.checkLiveness(System.nanoTime()));
            assertThat(c.await(IkeEvent.Alive.class, Duration.ofSeconds(5))).isNotNull();

            // we rekey it back: strongSwan takes our new SPIs, the Child SA still carries a ping
            c.events.clear();
            c.act(c.sa.rekeyIke(System.nanoTime()));
            c.runUntil(() -> c.events.stream().anyMatch(e -> e instanceof IkeEvent.IkeSaRekeyed)
                    && c.sa.nextDeadline() == IkeSa.NO_DEADLINE, Duration.ofSeconds(5));
            assertThat(c.sa.isInitiator()).isTrue();
            String third = String.format("%016x", c.sa.initiatorSpi());
            assertThat(charon.listSas()).contains(third, "ESTABLISHED").doesNotContain(second);
            ChildSa child = c.sa.childSas().getFirst();
            c.sendEsp(child, Icmp.echoRequest(child.virtualIp(), cloud, 0x7070, 1));
            assertThat(Icmp.isEchoReply(c.receiveEsp(child, Duration.ofSeconds(5)), cloud, 0x7070, 1)).isTrue();
            // and a Child SA rekey on the rekeyed IKE SA (KEYMAT from its new SK_d)
            c.act(c.sa.rekeyChild(child, System.nanoTime()));
            assertThat(c.await(IkeEvent.ChildSaDown.class, Duration.ofSeconds(5))).as("failure: %s", c.failure()).isNotNull();
            ChildSa fresh = c.sa.childSas().getFirst();
            c.sendEsp(fresh, Icmp.echoRequest(fresh.virtualIp(), cloud, 0x7070, 2));
            assertThat(Icmp.isEchoReply(c.receiveEsp(fresh, Duration.ofSeconds(5)), cloud, 0x7070, 2)).isTrue();

            c.act(c.sa.close(System.nanoTime()));
            assertThat(c.await(IkeEvent.Deleted.class, Duration.ofSeconds(5))).isNotNull();
            awaitNoSas();
        }
    }

    @Test
    void handshakeTimeAgainstStrongSwan() throws Exception {
        List<Long> micros = new java.util.ArrayList<>();
        for (int i = 0; i < 11; i++) {
            long start = System.nanoTime(); // from opening the socket and making the KE to the Child SA
            try (UdpIkeClient c = connect(ours("aes128gcm16-prfsha256-x25519", "aes128gcm16", PSK))) {
                IkeEvent.ChildSaUp up = c.await(IkeEvent.ChildSaUp.class, Duration.ofSeconds(10));
                long took = (System.nanoTime() - start) / 1000;
                assertThat(up).as("failure: %s", c.failure()).isNotNull();
                if (i > 0) micros.add(took); // the first one warms the JIT
                c.act(c.sa.close(System.nanoTime()));
                assertThat(c.await(IkeEvent.Deleted.class, Duration.ofSeconds(5))).isNotNull();
            }
        }
        java.util.Collections.sort(micros);
        long median = micros.get(micros.size() / 2);
        System.out.printf("IKE_SA_INIT + IKE_AUTH (PSK, x25519) of our initiator against strongSwan 5.9.8: median %.1f ms,"
                + " min %.1f ms, max %.1f ms over %d runs%n", median / 1000.0, micros.getFirst() / 1000.0,
                micros.getLast() / 1000.0, micros.size());
        assertThat(median).isLessThan(500_000);
        awaitNoSas();
    }

    @Test
    void wrongPskIsOneClearError() throws Exception {
        try (LogLines log = new LogLines(); UdpIkeClient c = connect(ours("aes128gcm16-prfsha256-x25519", "aes128gcm16",
                "not-the-gateway-psk"))) {
            assertThat(c.await(IkeEvent.ChildSaUp.class, Duration.ofSeconds(10))).isNull();
            String expected = "/10.241.0.2:4500 rejected our identity fqdn:client.example (AUTHENTICATION_FAILED): wrong"
                    + " pre-shared key, or an identity it does not know";
            assertThat(c.failure()).isEqualTo(expected);
            assertThat(log.warnings()).containsExactly(expected);
            assertThat(c.sa.state()).isEqualTo(IkeSa.State.CLOSED);
            awaitNoSas();
        }
    }

    @Test
    void ikeProposalMismatchIsOneClearError() throws Exception {
        try (LogLines log = new LogLines(); UdpIkeClient c = connect(ours("aes256gcm16-prfsha384-ecp256", "aes128gcm16", PSK))) {
            assertThat(c.await(IkeEvent.ChildSaUp.class, Duration.ofSeconds(10))).isNull();
            String expected = "/10.241.0.2:500 accepted none of our IKE proposals; we offered aes256gcm16-prfsha384-ecp256"
                    + " (NO_PROPOSAL_CHOSEN)";
            assertThat(c.failure()).isEqualTo(expected);
            assertThat(log.warnings()).containsExactly(expected);
            awaitNoSas();
        }
    }

    @Test
    void espProposalMismatchIsOneClearErrorAndLeavesNoSa() throws Exception {
        try (LogLines log = new LogLines(); UdpIkeClient c = connect(ours("aes128gcm16-prfsha256-x25519", "aes256gcm16", PSK))) {
            assertThat(c.await(IkeEvent.ChildSaUp.class, Duration.ofSeconds(10))).isNull();
            String expected = "IKE SA with /10.241.0.2:4500 is up, but it refused our Child SA (NO_PROPOSAL_CHOSEN; we"
                    + " offered ESP aes256gcm16, TSr [10.10.0.0..10.10.255.255])";
            assertThat(c.failure()).isEqualTo(expected);
            assertThat(log.warnings()).containsExactly(expected);
            c.runUntil(() -> false, Duration.ofMillis(300)); // let the delete go out
            awaitNoSas();
        }
    }

    @Test
    void invalidKePayloadFromStrongSwanIsRetriedWithItsGroup() throws Exception {
        charon.configure(swanctl("aes128gcm16-prfsha256-ecp256", "aes128gcm16", PSK));
        charon.loadAll();
        try (UdpIkeClient c = connect(ours("aes128gcm16-prfsha256-x25519-ecp256", "aes128gcm16", PSK))) {
            IkeEvent.ChildSaUp up = c.await(IkeEvent.ChildSaUp.class, Duration.ofSeconds(10));
            assertThat(up).as("failure: %s", c.failure()).isNotNull();
            assertThat(c.sa.ikeProposal()).isEqualTo("aes128gcm16-prfsha256-ecp256");
            c.act(c.sa.close(System.nanoTime()));
            assertThat(c.await(IkeEvent.Deleted.class, Duration.ofSeconds(5))).isNotNull();
            awaitNoSas();
        }
    }

    /** Waits (up to 5 s) until charon lists no IKE SA; fails with its list otherwise. */
    static void awaitNoSas() throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (charon.hasSas() && System.nanoTime() < end) Thread.sleep(50);
        assertThat(charon.hasSas()).as("charon still lists SAs:%n%s", charon.listSas()).isFalse();
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
