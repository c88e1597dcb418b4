package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's dissectors as an independent reader: IP-in-IP packets we encapsulate and the binding
 * update and ack packets we build must show the right addresses, protocols, ports, TOS and DF, and good
 * IPv4 and UDP checksums (tshark status 1 = good, 0 = bad; a damaged copy must read bad). Skipped
 * without tshark, except under CI=true, where a missing tshark fails the test.
 *
 * <pre>
 * tshark -n -r relay.pcap -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -T fields -E occurrence=a \
 *   -E aggregator=, -e ip.src -e ip.dst -e ip.proto -e ip.dsfield -e ip.flags.df -e ip.checksum.status \
 *   -e udp.srcport -e udp.dstport -e udp.checksum.status
 * </pre>
 */
class TsharkInteropTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    static Path tshark;

    @TempDir
    Path dir;

    @BeforeAll
    static void findTshark() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, "tshark");
            if (Files.isExecutable(candidate)) {
                tshark = candidate;
            }
        }
        if (tshark == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true but tshark is not on the PATH (apt-get install -y tshark)");
        }
        assumeTrue(tshark != null, "tshark is not on the PATH");
    }

    @Test
    void wiresharkReadsOurPacketsAsWeMeantThem() throws Exception {
        int c = 3;
        FakeClock clock = new FakeClock();
        RelayServer server = Clients.server(clock);
        RelayClient client = new RelayClient(c, Clients.key(c), Clients.stable(c), Clients.R, 300, 1_750_000_000_000L, clock);
        int v = Clients.careOf(c, 1);
        client.tunnelChanged(v);
        byte[] update = client.pollUpdate(clock.now()).packet();
        ByteBuf updateBuf = buffers.fromTun(update);
        byte[] ack;
        try {
            ack = server.handleUpdatePacket(updateBuf, clock.now()).ackPacket();
        } finally {
            updateBuf.release();
        }

        List<byte[]> packets = new ArrayList<>();
        packets.add(update);
        packets.add(ack);
        byte[] echo = TestPackets.ipv4(Clients.stable(c), Clients.SERVER, Relay.PROTOCOL_ICMP, 0xB8, 1, Relay.IPV4_FLAG_DF, 64,
                Hex.bytes("0800f7fd00010001"));
        packets.add(encapsulated(echo, v, Clients.R));
        byte[] reply = TestPackets.udp(Clients.SERVER, Clients.stable(c), 53, 40000, TestPackets.random(333, 1));
        packets.add(encapsulated(reply, Clients.R, v));
        byte[] damaged = encapsulated(reply, Clients.R, v);
        damaged[12] ^= 1;
        packets.add(damaged);

        List<String> lines = tshark(packets);
        assertThat(lines).hasSize(5);
        String r = "10.0.0.1";
        String s = "10.1.0.3";
        String vv = "10.2.0.3";
        String server9 = "10.9.0.1";
        assertThat(lines.get(0)).isEqualTo(String.join("\t", vv, r, "17", "0x00", "1", "1", "4505", "4505", "1"));
        assertThat(lines.get(1)).isEqualTo(String.join("\t", r, vv, "17", "0x00", "1", "1", "4505", "4505", "1"));
        assertThat(lines.get(2)).isEqualTo(String.join("\t", vv + "," + s, r + "," + server9, "4,1", "0xb8,0xb8", "1,1", "1,1", "", "", ""));
        assertThat(lines.get(3)).isEqualTo(String.join("\t", r + "," + server9, vv + "," + s, "4,17", "0x00,0x00", "1,1", "1,1", "53", "40000", "1"));
        assertThat(lines.get(4)).as("a damaged outer header reads bad").startsWith("11.0.0.1,");
        assertThat(lines.get(4).split("\t")[5]).isEqualTo("0,1");
    }

    private byte[] encapsulated(byte[] inner, int source, int destination) {
        ByteBuf buf = buffers.fromTun(inner);
        try {
            assertThat(IpIp.encapsulate(buf, source, destination)).isTrue();
            return Hex.readable(buf);
        } finally {
            buf.release();
        }
    }

    private List<String> tshark(List<byte[]> packets) throws IOException, InterruptedException {
        Path pcap = dir.resolve("relay.pcap");
        PcapWriter.write(pcap, packets);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        List<String> command = List.of(tshark.toString(), "-n", "-r", pcap.toString(), "-o", "ip.check_checksum:TRUE",
                "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
                "-e", "ip.src", "-e", "ip.dst", "-e", "ip.proto", "-e", "ip.dsfield", "-e", "ip.flags.df", "-e", "ip.checksum.status",
                "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.checksum.status");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tshark did not finish within 60 s");
        }
        assertThat(process.exitValue()).as("tshark: %s", Files.readString(err)).isZero();
        return Files.readAllLines(out);
    }
}
