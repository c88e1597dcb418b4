package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Crypto happens in the packet's own memory: the JCE accepts overlapping input and output views, results
 * land where the plaintext was, bytes outside the packet are never touched (not even by a failed open),
 * and the allocation per packet stays small.
 */
class InPlaceTest {
    @RegisterExtension
    final BufferTracker buffers = new BufferTracker();

    enum Jce {
        AES_GCM("AES/GCM/NoPadding", "AES", 16), CHACHA20_POLY1305("ChaCha20-Poly1305", "ChaCha20", 32);

        final String transformation;
        final String keyAlgorithm;
        final int keyLength;

        Jce(String transformation, String keyAlgorithm, int keyLength) {
            this.transformation = transformation;
            this.keyAlgorithm = keyAlgorithm;
            this.keyLength = keyLength;
        }

        Cipher init(int mode, byte[] nonce) throws Exception {
            Cipher cipher = Cipher.getInstance(transformation);
            AlgorithmParameterSpec spec = this == AES_GCM ? new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce);
            cipher.init(mode, new SecretKeySpec(TestPackets.random(keyLength, 1), keyAlgorithm), spec);
            cipher.updateAAD(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            return cipher;
        }
    }

    @ParameterizedTest
    @EnumSource(Jce.class)
    void jceAcceptsOverlappingDirectViewsForBothCiphers(Jce jce) throws Exception {
        byte[] nonce = TestPackets.random(12, 2);
        for (int size : new int[] {1, 64, 511, 512, 513, 1400, 4000}) {
            byte[] plain = TestPackets.random(size, size);
            byte[] expected = jce.init(Cipher.ENCRYPT_MODE, nonce).doFinal(plain);

            ByteBuf buf = buffers.track(PooledByteBufAllocator.DEFAULT.directBuffer(size + 16 + 32));
            try {
                buf.writerIndex(32).readerIndex(32).writeBytes(plain).writeZero(16);
                ByteBuffer output = buf.nioBuffer(32, size + 16);
                ByteBuffer input = output.duplicate();
                input.limit(size);
                int produced = jce.init(Cipher.ENCRYPT_MODE, nonce).doFinal(input, output);
                assertThat(produced).isEqualTo(size + 16);
                assertThat(Hex.readable(buf)).as("sealed in place, size %d", size).isEqualTo(expected);

                ByteBuffer sealed = buf.nioBuffer(32, size + 16);
                ByteBuffer opened = sealed.duplicate();
                assertThat(jce.init(Cipher.DECRYPT_MODE, nonce).doFinal(sealed, opened)).isEqualTo(size);
                assertThat(Hex.readable(buf.slice(32, size))).isEqualTo(plain);
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Jce.class)
    void jceAcceptsTheSameArrayAsInputAndOutput(Jce jce) throws Exception {
        byte[] nonce = TestPackets.random(12, 3);
        byte[] plain = TestPackets.random(1400, 4);
        byte[] expected = jce.init(Cipher.ENCRYPT_MODE, nonce).doFinal(plain);
        byte[] work = new byte[7 + 1400 + 16];
        System.arraycopy(plain, 0, work, 7, plain.length);
        jce.init(Cipher.ENCRYPT_MODE, nonce).doFinal(work, 7, 1400, work, 7);
        assertThat(java.util.Arrays.copyOfRange(work, 7, 7 + 1416)).isEqualTo(expected);
        jce.init(Cipher.DECRYPT_MODE, nonce).doFinal(work, 7, 1416, work, 7);
        assertThat(java.util.Arrays.copyOfRange(work, 7, 1407)).isEqualTo(plain);
    }

    @ParameterizedTest
    @EnumSource(value = EspAlgorithm.class, names = "NULL", mode = EnumSource.Mode.EXCLUDE)
    void sealingAndOpeningStayInsideThePacketsOwnBytes(EspAlgorithm alg) {
        // One pooled chunk region, the packet in the middle as a slice: canaries on both sides.
        byte[] km = TestPackets.keyMaterial(alg, 6);
        EspEncryptor encryptor = new EspEncryptor(SecurityAssociation.outbound(0x5151, alg, km, false, Lifetime.UNLIMITED));
        EspDecryptor decryptor = new EspDecryptor(SecurityAssociation.inbound(0x5151, alg, km, false, Lifetime.UNLIMITED));
        ByteBuf chunk = buffers.track(PooledByteBufAllocator.DEFAULT.directBuffer(4096, 4096));
        try {
            chunk.setBytes(0, filled(4096, (byte) 0xA5));
            int innerSize = 333;
            int regionStart = 1000;
            int regionLength = encryptor.headroom() + innerSize + encryptor.maxTailroom();
            ByteBuf packet = chunk.slice(regionStart, regionLength);
            packet.setIndex(encryptor.headroom(), encryptor.headroom() + innerSize);
            packet.setBytes(encryptor.headroom(), TestPackets.random(innerSize, 8));
            long address = chunk.hasMemoryAddress() ? chunk.memoryAddress() : -1;

            assertThat(encryptor.seal(packet, 4)).isNull();
            assertCanaries(chunk, regionStart, regionLength);
            byte[] esp = Hex.readable(packet);

            packet.setByte(packet.writerIndex() - 1, packet.getByte(packet.writerIndex() - 1) ^ 1); // break the ICV
            assertThat(decryptor.open(packet)).isEqualTo(EspDropReason.BAD_ICV);
            assertCanaries(chunk, regionStart, regionLength);

            packet.setBytes(0, esp).setIndex(0, esp.length);
            assertThat(decryptor.open(packet)).isNull();
            assertThat(Hex.readable(packet)).isEqualTo(TestPackets.random(innerSize, 8));
            assertCanaries(chunk, regionStart, regionLength);
            if (address != -1) {
                assertThat(chunk.memoryAddress()).isEqualTo(address);
            }
        } finally {
            chunk.release();
        }
    }

    @ParameterizedTest(name = "{0} nio={1}")
    @CsvSource({"AES128GCM16, false", "AES128GCM16, true", "AES256GCM16, true", "CHACHA20POLY1305, false", "CHACHA20POLY1305, true"})
    void bothDirectPathsStayInsideTheRegion(EspAlgorithm alg, boolean nio) {
        SecretKey key = new SecretKeySpec(TestPackets.random(alg.keyLength(), 3), alg == EspAlgorithm.CHACHA20POLY1305 ? "ChaCha20" : "AES");
        byte[] nonce = TestPackets.random(12, 4);
        byte[] aad = TestPackets.random(8, 5);
        byte[] plain = TestPackets.random(700, 6);
        ByteBuf chunk = buffers.track(PooledByteBufAllocator.DEFAULT.directBuffer(2048, 2048));
        try {
            chunk.setBytes(0, filled(2048, (byte) 0xA5));
            int regionStart = 512;
            int regionLength = plain.length + 16;
            ByteBuf region = chunk.slice(regionStart, regionLength);
            region.setBytes(0, plain);
            new JceAeadCipher(alg, key, true, nio).seal(region, 0, plain.length, nonce, aad, 8);
            assertCanaries(chunk, regionStart, regionLength);
            byte[] sealed = new byte[regionLength];
            region.getBytes(0, sealed);
            assertThat(sealed).isEqualTo(ReferenceCiphers.seal(alg, key, nonce, aad, plain));

            region.setByte(regionLength - 1, region.getByte(regionLength - 1) ^ 1);
            assertThat(new JceAeadCipher(alg, key, false, nio).open(region, 0, regionLength, nonce, aad, 8)).isFalse();
            assertCanaries(chunk, regionStart, regionLength);

            region.setBytes(0, sealed);
            assertThat(new JceAeadCipher(alg, key, false, nio).open(region, 0, regionLength, nonce, aad, 8)).isTrue();
            assertThat(Hex.readable(region.slice(0, plain.length))).isEqualTo(plain);
            assertCanaries(chunk, regionStart, regionLength);
        } finally {
            chunk.release();
        }
    }

    @Test
    void sunJceGcmClearsItsOutputOnABadTag() throws Exception {
        // Why the cipher hands the JCE views at position 0: on a bad tag SunJCE zeroes its direct output
        // (from the view's base address), so the view must not start before the packet.
        byte[] nonce = TestPackets.random(12, 9);
        ByteBuf buf = buffers.track(PooledByteBufAllocator.DEFAULT.directBuffer(200));
        try {
            buf.writeBytes(filled(64, (byte) 0x33)).writeBytes(TestPackets.random(100, 5));
            ByteBuffer view = buf.nioBuffer(64, 100);
            assertThat(view.position()).isZero();
            try {
                Jce.AES_GCM.init(Cipher.DECRYPT_MODE, nonce).doFinal(view, view.duplicate());
            } catch (AEADBadTagException expected) {
                // the 100 random bytes are no valid sealed message
            }
            assertThat(Hex.readable(buf.slice(0, 64))).isEqualTo(filled(64, (byte) 0x33));
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest(name = "{0} {1} nio={2}")
    @CsvSource({"AES128GCM16, POOLED_DIRECT, false", "AES128GCM16, POOLED_DIRECT, true", "AES128GCM16, POOLED_HEAP, false",
        "AES256GCM16, ADAPTIVE_DIRECT, false", "CHACHA20POLY1305, POOLED_DIRECT, false", "CHACHA20POLY1305, POOLED_DIRECT, true",
        "CHACHA20POLY1305, UNPOOLED_HEAP, false", "NULL, POOLED_DIRECT, false"})
    void allocationPerPacketDoesNotGrowWithThePacket(EspAlgorithm alg, BufferKind kind, boolean nio) {
        long small = allocatedPerPacket(alg, kind, nio, 64);
        long large = allocatedPerPacket(alg, kind, nio, 1400);
        System.out.printf("allocated per packet, %s on %s%s: 64 bytes %d B, 1400 bytes %d B%n",
                alg.keyword(), kind, nio ? " (JCE direct ByteBuffers)" : "", small, large);
        if (!nio || kind != BufferKind.POOLED_DIRECT) {
            // No copy of the packet is allocated: what the JCE allocates is fixed-size engine state.
            assertThat(large - small).isLessThan(1336 / 2);
        }
        if (alg == EspAlgorithm.NULL) {
            assertThat(large).isZero();
        }
    }

    /** Bytes allocated by one seal plus one open of a {@code size}-byte packet, after warm-up. */
    private long allocatedPerPacket(EspAlgorithm alg, BufferKind kind, boolean nio, int size) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] km = TestPackets.keyMaterial(alg, 6);
        SecurityAssociation out = SecurityAssociation.outbound(0x5151, alg, km, false, Lifetime.UNLIMITED);
        SecurityAssociation in = SecurityAssociation.inbound(0x5151, alg, km, false, 65536, Lifetime.UNLIMITED);
        String previous = System.setProperty(JceAeadCipher.DIRECT_BYTE_BUFFERS_PROPERTY, Boolean.toString(nio));
        EspEncryptor encryptor;
        EspDecryptor decryptor;
        try {
            encryptor = new EspEncryptor(out);
            decryptor = new EspDecryptor(in);
        } finally {
            if (previous == null) {
                System.clearProperty(JceAeadCipher.DIRECT_BYTE_BUFFERS_PROPERTY);
            } else {
                System.setProperty(JceAeadCipher.DIRECT_BYTE_BUFFERS_PROPERTY, previous);
            }
        }
        // The paranoid leak detector records a stack trace per buffer access: measure without it.
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        ByteBuf buf = buffers.track(kind.allocate(1500));
        byte[] inner = TestPackets.random(size, 1);
        try {
            int rounds = 20_000;
            long allocated = 0;
            for (int pass = 0; pass < 2; pass++) { // the first pass warms up the JIT
                allocated = 0;
                for (int i = 0; i < rounds; i++) {
                    buf.setIndex(16, 16).writeBytes(inner);
                    long before = threads.getCurrentThreadAllocatedBytes();
                    EspDropReason sealed = encryptor.seal(buf, 4);
                    EspDropReason opened = decryptor.open(buf);
                    allocated += threads.getCurrentThreadAllocatedBytes() - before;
                    if (sealed != null || opened != null) {
                        throw new AssertionError(sealed + " " + opened);
                    }
                }
            }
            return allocated / rounds;
        } finally {
            buf.release();
            ResourceLeakDetector.setLevel(level);
        }
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, value);
        return bytes;
    }

    private static void assertCanaries(ByteBuf chunk, int regionStart, int regionLength) {
        for (int i = 0; i < chunk.capacity(); i++) {
            if (i < regionStart || i >= regionStart + regionLength) {
                assertThat(chunk.getByte(i)).as("canary at %d", i).isEqualTo((byte) 0xA5);
            }
        }
    }
}
