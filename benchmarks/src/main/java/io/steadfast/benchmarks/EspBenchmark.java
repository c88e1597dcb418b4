package io.steadfast.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.steadfast.esp.EspAlgorithm;
import io.steadfast.esp.EspDecryptor;
import io.steadfast.esp.EspDropReason;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.esp.Lifetime;
import io.steadfast.esp.SecurityAssociation;
import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ESP per-packet cost: nanoseconds to seal and to open one inner packet of {@code size} bytes, per
 * algorithm, in place on pooled direct buffers, beside a bare JCE AES-128-GCM seal of the same (padded)
 * bytes with the same nonce/AAD layout: once on the direct buffer through ByteBuffers, once on a heap
 * array (the floor: what the JCE alone costs). Allocation per packet with {@code -prof gc}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar EspBenchmark -prof gc</pre>
 *
 * Direct memory goes through a reusable heap array by default; to measure SunJCE's own direct-ByteBuffer
 * path instead, add {@code -jvmArgsAppend -Dsteadfast.esp.jceDirectByteBuffers=true}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class EspBenchmark {
    /** Packets opened per measured invocation (each needs a fresh ciphertext and a fresh replay window). */
    static final int BATCH = 1024;
    static final int SPI = 0x5eed5eed;
    static final int HEADROOM = EspEncryptor.MAX_HEADROOM;
    static final int TAILROOM = 3 + 2 + 16;

    static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** One pooled direct buffer with the inner packet at {@link #HEADROOM}, room for the ESP tail. */
    static ByteBuf packetBuffer(int size) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(HEADROOM + size + TAILROOM, HEADROOM + size + TAILROOM);
        buf.writerIndex(HEADROOM).readerIndex(HEADROOM);
        return buf.writeBytes(bytes(size, size));
    }

    /** Sealing: the same buffer is sealed again and again (its indices reset; content is any bytes). */
    @State(Scope.Thread)
    public static class Sealing {
        @Param({"AES128GCM16", "AES256GCM16", "CHACHA20POLY1305", "NULL"})
        public EspAlgorithm algorithm;

        @Param({"64", "512", "1400"})
        public int size;

        EspEncryptor encryptor;
        ByteBuf packet;

        @Setup(Level.Iteration)
        public void setUp() {
            // A fresh SA per iteration: even NULL at a few ns/packet stays far from 2^32 sequence numbers.
            encryptor = new EspEncryptor(SecurityAssociation.outbound(SPI, algorithm,
                    bytes(algorithm.keyMaterialLength(), 1), false, Lifetime.UNLIMITED));
            if (packet == null) {
                packet = packetBuffer(size);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            packet.release();
        }
    }

    /** Opening: a batch of sealed packets, restored from pristine copies before each measured batch. */
    @State(Scope.Thread)
    public static class Opening {
        @Param({"AES128GCM16", "AES256GCM16", "CHACHA20POLY1305", "NULL"})
        public EspAlgorithm algorithm;

        @Param({"64", "512", "1400"})
        public int size;

        byte[] keyMaterial;
        ByteBuf[] pristine;
        ByteBuf[] work;
        EspDecryptor decryptor;

        @Setup(Level.Trial)
        public void sealBatch() {
            keyMaterial = bytes(algorithm.keyMaterialLength(), 1);
            EspEncryptor encryptor = new EspEncryptor(SecurityAssociation.outbound(SPI, algorithm, keyMaterial, false, Lifetime.UNLIMITED));
            pristine = new ByteBuf[BATCH];
            work = new ByteBuf[BATCH];
            for (int i = 0; i < BATCH; i++) {
                pristine[i] = packetBuffer(size);
                if (encryptor.seal(pristine[i], 4) != null) {
                    throw new IllegalStateException("seal failed");
                }
                work[i] = PooledByteBufAllocator.DEFAULT.directBuffer(pristine[i].readableBytes());
            }
        }

        @Setup(Level.Invocation)
        public void restore() {
            for (int i = 0; i < BATCH; i++) {
                work[i].clear().writeBytes(pristine[i], pristine[i].readerIndex(), pristine[i].readableBytes());
            }
            decryptor = new EspDecryptor(SecurityAssociation.inbound(SPI, algorithm, keyMaterial, false, 2048, Lifetime.UNLIMITED));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            for (int i = 0; i < BATCH; i++) {
                pristine[i].release();
                work[i].release();
            }
        }
    }

    /** The floor: JCE AES-128-GCM over the same bytes, in place, nonce salt || counter, 8-byte AAD. */
    @State(Scope.Thread)
    public static class BareGcm {
        @Param({"64", "512", "1400"})
        public int size;

        BareGcmSeal seal;

        @Setup(Level.Trial)
        public void setUp() throws GeneralSecurityException {
            seal = new BareGcmSeal(size);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            seal.release();
        }
    }

    @Benchmark
    public EspDropReason seal(Sealing s) {
        s.packet.setIndex(HEADROOM, HEADROOM + s.size);
        return s.encryptor.seal(s.packet, 4);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int open(Opening o) {
        int opened = 0;
        for (ByteBuf packet : o.work) {
            if (o.decryptor.open(packet) == null) {
                opened++;
            }
        }
        if (opened != BATCH) {
            throw new IllegalStateException("opened only " + opened + " of " + BATCH);
        }
        return opened;
    }

    /** The bare seal on the pooled direct buffer itself: doFinal(ByteBuffer, ByteBuffer) on two views of its memory. */
    @Benchmark
    public int bareJceAes128GcmSeal(BareGcm b) throws GeneralSecurityException {
        return b.seal.sealDirect();
    }

    /** The bare seal on a heap array in place: SunJCE's fastest route (its fused AES-GCM intrinsic), no copy at all. */
    @Benchmark
    public int bareJceAes128GcmSealHeapArray(BareGcm b) throws GeneralSecurityException {
        return b.seal.sealHeapArray();
    }
}
