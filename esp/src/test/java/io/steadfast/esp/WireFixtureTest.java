package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hex wire fixtures: whole ESP packets sealed once by a third implementation (Python's
 * {@code cryptography} AESGCM / ChaCha20Poly1305 with the RFC 4106 / RFC 7634 nonce and AAD layout),
 * pinned here. We must seal to exactly these bytes and open them back.
 */
class WireFixtureTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    record Fixture(String name, EspAlgorithm alg, String keyMaterial, int spi, long seq, boolean esn, byte[] inner,
            int nextHeader, String esp) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final int A = TestPackets.address("10.0.0.1");
    static final int B = TestPackets.address("10.0.0.2");

    static Stream<Arguments> fixtures() {
        return Stream.of(
                new Fixture("aes128gcm16 icmp seq 1", EspAlgorithm.AES128GCM16, "000102030405060708090a0b0c0d0e0f cafebabe",
                        0x12345678, 1, false, TestPackets.icmpEcho(A, B, 0x1234, 1, 16), 4, """
                        12345678 00000001 0000000000000001
                        f70519b5584b51f4db1a95864c7fa936d9688142b1f7e50fec811ff577ec2b388082b1fb47f3306c45a26d1f
                        7fca9be7f6cdcdeb1c36fcf39a0dc21b 525cfa9a"""),
                new Fixture("aes256gcm16 udp esn 2^32+2", EspAlgorithm.AES256GCM16,
                        "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f 01020304",
                        0x87654321, 0x1_0000_0002L, true,
                        TestPackets.udp(A, B, 1000, 2000, "steadfast".getBytes(StandardCharsets.US_ASCII)), 4, """
                        87654321 00000002 0000000100000002
                        8b3a855903deac0fb5346e0b8610ca4a2828c284b7e37cc573c4efd43d1699dea454354c72409bc3cd
                        5375576a7cefc940dc7a73c02b149e"""),
                new Fixture("aes128gcm16 ipv6 next header, last 32-bit seq", EspAlgorithm.AES128GCM16,
                        "000102030405060708090a0b0c0d0e0f cafebabe", 0x12345678, 0xFFFF_FFFFL, false,
                        Hex.bytes("60" + "00".repeat(39)), 41, """
                        12345678 ffffffff 00000000ffffffff
                        f3d24dff1c9e14c39e812b7a82d724a56c13d3219b996d474cb6b93a960cbe04e0db9397e6343604ed16715d
                        5762c60b1f49a675bb11026b567eb68f"""),
                new Fixture("chacha20poly1305 icmp esn 2^32+1", EspAlgorithm.CHACHA20POLY1305,
                        "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f a0a1a2a3",
                        0x0badcafe, 0x1_0000_0001L, true, TestPackets.icmpEcho(A, B, 7, 9, 3), 4, """
                        0badcafe 00000001 0000000100000001
                        9524ffe4c5ba6b208ef489a69d1b903e6b064aaa7a0f43e7758d7237f7d99f5b2f5e59
                        18fd84ca710f9bf84ec52717e20165ab3d"""),
                new Fixture("null icmp", EspAlgorithm.NULL, "", 0x100, 3, false, TestPackets.icmpEcho(A, B, 1, 1, 1), 4, """
                        00000100 00000003
                        4500001d12340000400154aa0a0000010a0000020800f7fd0001000100 01 01 04"""))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void innerPacketsAreTheOnesTheFixturesWereMadeFrom(Fixture f) {
        String expected = switch (f.name()) {
            case "aes128gcm16 icmp seq 1" -> "4500002c123400004001549b0a0000010a0000020800ad8a12340001000102030405060708090a0b0c0d0e0f";
            case "aes256gcm16 udp esn 2^32+2" -> "4500002512340000401154920a0000010a00000203e807d000110000737465616466617374";
            case "chacha20poly1305 icmp esn 2^32+1" -> "4500001f12340000400154a80a0000010a0000020800f5ee00070009000102";
            case "null icmp" -> "4500001d12340000400154aa0a0000010a0000020800f7fd0001000100";
            default -> Hex.of(f.inner());
        };
        assertThat(Hex.of(f.inner())).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void sealsToTheFixture(Fixture f) {
        for (BufferKind kind : BufferKind.values()) {
            SecurityAssociation sa = SecurityAssociation.outbound(f.spi(), f.alg(), Hex.bytes(f.keyMaterial()), f.esn(), Lifetime.UNLIMITED);
            sa.skipSequenceTo(f.seq() - 1);
            EspEncryptor encryptor = new EspEncryptor(sa);
            ByteBuf buf = buffers.track(kind.withPacket(encryptor.headroom(), f.inner(), encryptor.maxTailroom()));
            try {
                assertThat(encryptor.seal(buf, f.nextHeader())).isNull();
                assertThat(Hex.of(buf)).as(kind.name()).isEqualTo(Hex.of(Hex.bytes(f.esp())));
                assertThat(sa.lastSequenceNumber()).isEqualTo(f.seq());
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void opensTheFixture(Fixture f) {
        for (BufferKind kind : BufferKind.values()) {
            SecurityAssociation sa = SecurityAssociation.inbound(f.spi(), f.alg(), Hex.bytes(f.keyMaterial()), f.esn(), Lifetime.UNLIMITED);
            sa.replayWindow().update(f.seq() - 1); // the SA has seen the packets before this one
            EspDecryptor decryptor = new EspDecryptor(sa);
            ByteBuf buf = buffers.track(kind.withBytes(Hex.bytes(f.esp())));
            try {
                assertThat(decryptor.open(buf)).as(kind.name()).isNull();
                assertThat(Hex.of(buf)).isEqualTo(Hex.of(f.inner()));
                assertThat(decryptor.nextHeader()).isEqualTo(f.nextHeader());
                assertThat(decryptor.sequenceNumber()).isEqualTo(f.seq());
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void theReferenceImplementationAgreesWithTheFixture(Fixture f) {
        byte[] reference = ReferenceEsp.seal(f.alg(), Hex.bytes(f.keyMaterial()), f.spi(), f.seq(), f.esn(), f.seq(), f.inner(), f.nextHeader());
        assertThat(Hex.of(reference)).isEqualTo(Hex.of(Hex.bytes(f.esp())));
    }
}
