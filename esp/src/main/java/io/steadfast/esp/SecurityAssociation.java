package io.steadfast.esp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;

/**
 * One direction of an ESP security association: SPI, transform, keying material, sequence numbers
 * (outbound) or the anti-replay window (inbound), and packet/byte counts against its {@link Lifetime}.
 *
 * <p>An {@link EspEncryptor} (outbound) or {@link EspDecryptor} (inbound) does the per-packet work;
 * the SA keeps the state they share with the control plane, which may read {@link #packets()},
 * {@link #bytes()}, {@link #isRekeyWanted()} and {@link #isExpired()} from any thread. Close the SA on
 * the thread that uses its encryptor or decryptor (or after it stopped): {@link #close()} zeroes the
 * keying material, and the encryptor or decryptor then refuses with {@link EspDropReason#SA_CLOSED}.
 *
 * <pre>{@code
 * try (SecurityAssociation out = SecurityAssociation.outbound(0xc0ffee01, EspAlgorithm.AES128GCM16,
 *         keyMaterial, false, Lifetime.UNLIMITED)) {
 *     EspEncryptor encryptor = new EspEncryptor(out);
 *     EspDropReason refused = encryptor.seal(packet, Esp.NEXT_HEADER_IPV4);
 *     if (out.isRekeyWanted()) startRekey();
 * }
 * }</pre>
 */
public final class SecurityAssociation implements AutoCloseable {
    private static final VarHandle PACKETS;
    private static final VarHandle BYTES;
    private static final VarHandle LAST_SEQUENCE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PACKETS = lookup.findVarHandle(SecurityAssociation.class, "packets", long.class);
            BYTES = lookup.findVarHandle(SecurityAssociation.class, "bytes", long.class);
            LAST_SEQUENCE = lookup.findVarHandle(SecurityAssociation.class, "lastSequence", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int spi;
    private final EspAlgorithm algorithm;
    private final byte[] keyMaterial;
    private final boolean extendedSequenceNumbers;
    private final Lifetime lifetime;
    private final boolean outbound;
    private final ReplayWindow replayWindow;
    private final EspKey key;

    // Written by the one thread that seals or opens; read by anyone (hence release stores, volatile reads).
    private volatile long packets;
    private volatile long bytes;
    /** Outbound: last sequence number sent (0 before the first). Inbound: mirrors the window's highest. */
    private volatile long lastSequence;
    private volatile boolean closed;

    private SecurityAssociation(int spi, EspAlgorithm algorithm, byte[] keyMaterial, boolean extendedSequenceNumbers,
            Lifetime lifetime, boolean outbound, int replayWindowSize) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyMaterial, "keyMaterial");
        Objects.requireNonNull(lifetime, "lifetime");
        if (Integer.compareUnsigned(spi, Esp.MIN_SPI) < 0) {
            throw new IllegalArgumentException("SPI " + spi + " is reserved (0..255)");
        }
        if (keyMaterial.length != algorithm.keyMaterialLength()) {
            throw new IllegalArgumentException(algorithm.keyword() + " takes " + algorithm.keyMaterialLength()
                    + " bytes of keying material (key " + algorithm.keyLength() + " + salt " + algorithm.saltLength()
                    + "), got " + keyMaterial.length);
        }
        this.spi = spi;
        this.algorithm = algorithm;
        this.keyMaterial = keyMaterial.clone();
        this.extendedSequenceNumbers = extendedSequenceNumbers;
        this.lifetime = lifetime;
        this.outbound = outbound;
        this.replayWindow = outbound ? null : new ReplayWindow(replayWindowSize, extendedSequenceNumbers);
        this.key = new EspKey(this.keyMaterial, algorithm);
    }

    /** The SA we send with. The keying material (key || salt) is copied; the caller may zero its array. */
    public static SecurityAssociation outbound(int spi, EspAlgorithm algorithm, byte[] keyMaterial,
            boolean extendedSequenceNumbers, Lifetime lifetime) {
        return new SecurityAssociation(spi, algorithm, keyMaterial, extendedSequenceNumbers, lifetime, true, 0);
    }

    /** The SA we receive with, with an anti-replay window of {@code replayWindowSize} packets (64..65536). */
    public static SecurityAssociation inbound(int spi, EspAlgorithm algorithm, byte[] keyMaterial,
            boolean extendedSequenceNumbers, int replayWindowSize, Lifetime lifetime) {
        return new SecurityAssociation(spi, algorithm, keyMaterial, extendedSequenceNumbers, lifetime, false, replayWindowSize);
    }

    /** The inbound SA with the default window of {@value Esp#DEFAULT_REPLAY_WINDOW} packets. */
    public static SecurityAssociation inbound(int spi, EspAlgorithm algorithm, byte[] keyMaterial,
            boolean extendedSequenceNumbers, Lifetime lifetime) {
        return inbound(spi, algorithm, keyMaterial, extendedSequenceNumbers, Esp.DEFAULT_REPLAY_WINDOW, lifetime);
    }

    /** The SPI (network byte order value as an int). */
    public int spi() {
        return spi;
    }

    /** The transform. */
    public EspAlgorithm algorithm() {
        return algorithm;
    }

    /** True for the sending direction. */
    public boolean isOutbound() {
        return outbound;
    }

    /** Whether 64-bit extended sequence numbers are in use (RFC 4303 2.2.1). */
    public boolean extendedSequenceNumbers() {
        return extendedSequenceNumbers;
    }

    /** The packet and byte limits. */
    public Lifetime lifetime() {
        return lifetime;
    }

    /** Packets sealed (outbound) or opened with a valid ICV (inbound). */
    public long packets() {
        return packets;
    }

    /** Bytes of inner packets sealed or opened. */
    public long bytes() {
        return bytes;
    }

    /** Outbound: the last sequence number sent; inbound: the highest accepted. Unsigned; 0 before the first. */
    public long lastSequenceNumber() {
        return lastSequence;
    }

    /**
     * Soft limit reached, or few sequence numbers left (outbound: the last one sent; inbound: the highest one
     * accepted, so a receiver sees a peer that does not rekey running out): the key exchange should make a new SA.
     */
    public boolean isRekeyWanted() {
        long packetCount = packets;
        if (lifetime.softReached(packetCount, bytes)) {
            return true;
        }
        return Long.compareUnsigned(maxSequence() - lastSequence, Esp.SEQUENCE_REKEY_MARGIN) < 0;
    }

    /** Hard limit reached, sequence numbers exhausted, or closed: the SA refuses packets. */
    public boolean isExpired() {
        return closed || lifetime.hardReached(packets, bytes) || (outbound && lastSequence == maxSequence());
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Zeroes the keying material; the SA then refuses all packets. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(keyMaterial, (byte) 0);
    }

    @Override
    public String toString() {
        return "SecurityAssociation[" + (outbound ? "out" : "in") + ", spi=0x" + String.format("%08x", spi)
                + ", " + algorithm.keyword() + (extendedSequenceNumbers ? ", esn" : "") + ", packets=" + packets
                + ", bytes=" + bytes + (closed ? ", closed" : "") + "]";
    }

    // ---- package-private, for the encryptor and decryptor ----

    /** The cipher key (not the salt) as a JCE key whose encoding reads the live keying material. */
    EspKey key() {
        return key;
    }

    /** Salt byte {@code i} (the bytes after the key). */
    byte salt(int i) {
        return keyMaterial[algorithm.keyLength() + i];
    }

    /** The inbound anti-replay window. */
    ReplayWindow replayWindow() {
        return replayWindow;
    }

    /** Why the SA refuses a packet now (closed, hard limit), or null. */
    EspDropReason refusal() {
        if (closed) {
            return EspDropReason.SA_CLOSED;
        }
        if (lifetime.hardReached(packets, bytes)) {
            return EspDropReason.LIFETIME_EXPIRED;
        }
        return null;
    }

    /** Outbound: whether another sequence number is left. */
    boolean hasNextSequence() {
        return lastSequence != maxSequence();
    }

    /** Outbound: takes the next sequence number; call only when {@link #hasNextSequence()}. */
    long takeNextSequence() {
        long next = lastSequence + 1;
        LAST_SEQUENCE.setRelease(this, next);
        return next;
    }

    /** Inbound: records the highest sequence number accepted, for {@link #lastSequenceNumber()}. */
    void acceptedUpTo(long highest) {
        LAST_SEQUENCE.setRelease(this, highest);
    }

    /** Counts one packet of {@code innerBytes} inner bytes. */
    void count(int innerBytes) {
        PACKETS.setRelease(this, packets + 1);
        BYTES.setRelease(this, bytes + innerBytes);
    }

    /**
     * Test hook (public for the tests of the modules above): makes {@code lastSent} the last sequence number sent,
     * to test exhaustion, the 2^32 boundary and the rekeys before them. Never call it on a live SA.
     */
    public void skipSequenceTo(long lastSent) {
        if (!outbound) {
            throw new IllegalStateException("only an outbound SA sends sequence numbers");
        }
        LAST_SEQUENCE.setRelease(this, lastSent);
    }

    private long maxSequence() {
        return extendedSequenceNumbers ? Esp.MAX_EXTENDED_SEQUENCE : Esp.MAX_SEQUENCE;
    }
}
