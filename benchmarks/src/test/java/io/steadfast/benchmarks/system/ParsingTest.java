package io.steadfast.benchmarks.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The pure parts that read other programs' output: iperf3's JSON, openssl's fingerprint, openvpn's log, /proc cmdline. */
class ParsingTest {

    private static final String IPERF3_JSON = """
            {
              "start": { "connected": [], "version": "iperf 3.12" },
              "intervals": [ { "streams": [], "sum": { "bits_per_second": 1.0e9 } } ],
              "end": {
                "streams": [ { "sender": { "bits_per_second": 5.1e8 } } ],
                "sum_sent": { "start": 0, "end": 5.0, "bytes": 340000000, "bits_per_second": 544000000.5, "retransmits": 12, "sender": true },
                "sum_received": { "start": 0, "end": 5.0, "bytes": 338000000, "bits_per_second": 5.40e8, "sender": true },
                "cpu_utilization_percent": { "host_total": 1.27, "host_user": 0.1, "host_system": 1.1, "remote_total": 30.4, "remote_user": 1, "remote_system": 29 },
                "sender_tcp_congestion": "cubic"
              }
            }
            """;

    @Test
    void iperf3ReportGivesReceivedThroughputRetransmitsAndCpu() throws IOException {
        Iperf3.Result r = Iperf3.parse(IPERF3_JSON);
        assertThat(r.mbitsPerSecond()).isEqualTo(540.0);
        assertThat(r.retransmits()).isEqualTo(12);
        assertThat(r.senderCpuPercent()).isEqualTo(1.27);
        assertThat(r.receiverCpuPercent()).isEqualTo(30.4);
    }

    @Test
    void iperf3ErrorsAndTruncatedReportsAreClearFailures() {
        assertThatThrownBy(() -> Iperf3.parse("{ \"start\": {}, \"error\": \"unable to connect to server: Connection refused\" }"))
                .isInstanceOf(IOException.class).hasMessage("iperf3: unable to connect to server: Connection refused");
        assertThatThrownBy(() -> Iperf3.parse("{ \"end\": { \"sum_sent\": { \"retransmits\": 0 } } }"))
                .isInstanceOf(IOException.class).hasMessageContaining("no \"sum_received\"");
    }

    @Test
    void roundTripMedianAndNearestRankP99() {
        long[] nanos = new long[200];
        for (int i = 0; i < 200; i++) nanos[i] = (200 - i) * 1000L; // 200 .. 1 us, unsorted
        RoundTrip r = RoundTrip.of(nanos, 200, 3);
        assertThat(r.medianMicros()).isEqualTo(100.0); // element (200-1)/2 = 99 of 1..200
        assertThat(r.p99Micros()).isEqualTo(198.0);    // rank ceil(0.99 * 200) = 198
        assertThat(r.lost()).isEqualTo(3);
        assertThat(nanos[0]).as("input untouched").isEqualTo(200_000L);
        assertThat(RoundTrip.of(new long[] {5000, 0, 0}, 1, 0).p99Micros()).isEqualTo(5.0);
        assertThatThrownBy(() -> RoundTrip.of(nanos, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void opensslFingerprintBecomesOpenvpnsPeerFingerprint() throws IOException {
        String hex = "ab:".repeat(31) + "cd";
        assertThat(OpenVpnPath.fingerprint("sha256 Fingerprint=" + hex + "\n")).isEqualTo(hex.toUpperCase());
        assertThat(OpenVpnPath.fingerprint("SHA256 Fingerprint=" + hex.toUpperCase())).isEqualTo(hex.toUpperCase());
        assertThatThrownBy(() -> OpenVpnPath.fingerprint("Could not read certificate")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> OpenVpnPath.fingerprint("sha1 Fingerprint=AB:CD")).isInstanceOf(IOException.class);
    }

    @Test
    void openvpnLogTellsTheDataChannelCipher() {
        String log = """
                2026-11-26 04:25:38 P2P mode NCP negotiation result: TLS_export=1, DATA_v2=1, peer-id 6189978, cipher=AES-128-GCM
                2026-11-26 04:25:39 Initialization Sequence Completed
                2026-11-26 04:25:39 Data Channel: cipher 'AES-128-GCM', peer-id: 0
                """;
        assertThat(OpenVpnPath.dataChannelCipher(log)).contains("AES-128-GCM");
        assertThat(OpenVpnPath.dataChannelCipher("Initialization Sequence Completed")).isEmpty();
        assertThat(OpenVpnPath.dataChannelCipher("Data Channel: cipher 'CHACHA20-POLY1305', peer-id: 0")).contains("CHACHA20-POLY1305");
    }

    @Test
    void jvmOptionsStopAtTheClassPath() {
        assertThat(JvmOptions.of(new String[] {"/usr/bin/java", "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-cp", "a.jar",
                "io.steadfast.pipeline.cli.Main", "-c", "x.conf"})).isEqualTo("--enable-native-access=ALL-UNNAMED -Xmx1g");
    }

    @Test
    void dropReportListsOnlyNonZeroDropCounters() {
        String status = """
                tun sf-c: mtu 1400
                pipeline outbound
                  tun-read packets=10 dropped.ipv6=4 dropped.other=0
                  esp-encrypt sealed=10 errors=0
                """;
        assertThat(DropReport.steadfastCounters(status)).isEqualTo("[tun-read dropped.ipv6=4]");
        assertThat(DropReport.steadfastCounters("  esp-decrypt opened=3 invalid=0\n")).isEqualTo("[no drops]");
    }

    @Test
    void installedLooksForAnExecutableOnThePath() {
        assertThat(Commands.installed("sh", "/nonexistent:/bin:/usr/bin")).isTrue();
        assertThat(Commands.installed("no-such-program-steadfast", "/bin:/usr/bin")).isFalse();
        assertThat(Commands.installed("sh", null)).isFalse();
    }

    @Test
    void relayCountersAreReadFromTheStatusAnswer() {
        String status = "pipeline cloud\n  relay-server bindings=1 packets.from-clients=41234 packets.to-clients=40001 dropped.no-binding=0\n";
        assertThat(SteadfastRelayPath.counter(status, "packets.from-clients")).isEqualTo(41234);
        assertThat(SteadfastRelayPath.counter(status, "packets.to-clients")).isEqualTo(40001);
        assertThat(SteadfastRelayPath.counter(status, "clients")).isEqualTo(-1);
        assertThat(SteadfastRelayPath.counter(status, "acks.sent")).isEqualTo(-1);
    }
}
