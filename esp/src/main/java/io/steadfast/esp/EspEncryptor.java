package io.steadfast.esp;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * Seals inner packets into ESP for one outbound SA, in place on the packet's buffer. Owns the SA's JCE
 * cipher; not thread-safe: one encryptor per SA, used from one thread.
 *
 * <p>Allocate the inner packet with {@link #MAX_HEADROOM} bytes before it and {@link #maxTailroom()}
 * writable bytes after it, and sealing never copies the packet:
 *
 * <pre>{@code
 * EspEncryptor encryptor = new EspEncryptor(outboundSa);
 * ByteBuf buf = alloc.directBuffer(EspEncryptor.MAX_HEADROOM + mtu + encryptor.maxTailroom());
 * buf.writerIndex(EspEncryptor.MAX_HEADROOM).readerIndex(EspEncryptor.MAX_HEADROOM);
 * buf.writeBytes(innerIpv4Packet);
 * EspDropReason refused = encryptor.seal(buf, Esp.NEXT_HEADER_IPV4);
 * if (refused == null) send(buf); // readable bytes: SPI .. ICV
 * else { count(refused.counterName()); buf.release(); }
 * }</pre>
 *
 * <p>The 8-byte IV of the AEAD transforms is the 64-bit sequence number, which never repeats under a key
 * (RFC 4106 3.1, RFC 7634 2).
 */
public final class EspEncryptor {
    /** Most bytes any transform needs before the inner packet: SPI 4 + sequence 4 + IV 8. */
    public static final int MAX_HEADROOM = Esp.HEADER_LENGTH + Esp.AEAD_IV_LENGTH;

    private final SecurityAssociation sa;
    private final EspAlgorithm algorithm;
    private final PacketCipher cipher;
    private final LongUnaryOperator ivForSequence;
    private final byte[] nonce = new byte[Esp.AEAD_NONCE_LENGTH];
    private final byte[] aad = new byte[Esp.AAD_LENGTH_ESN];
    private boolean wiped;

    /** An encryptor for {@code outboundSa}. */
    public EspEncryptor(SecurityAssociation outboundSa) {
        this(outboundSa, LongUnaryOperator.identity());
    }

    /** Test hook: {@code ivForSequence} replaces "IV = sequence number", to reproduce published examples. */
    EspEncryptor(SecurityAssociation outboundSa, LongUnaryOperator ivForSequence) {
        this.sa = Objects.requireNonNull(outboundSa, "outboundSa");
        if (!outboundSa.isOutbound()) {
            throw new IllegalArgumentException("an encryptor needs an outbound SA: " + outboundSa);
        }
        this.algorithm = outboundSa.algorithm();
        this.cipher = PacketCipher.create(outboundSa, true);
        this.ivForSequence = ivForSequence;
        for (int i = 0; i < algorithm.saltLength(); i++) {
            nonce[i] = outboundSa.salt(i);
        }
    }

    /** The SA this encryptor seals for. */
    public SecurityAssociation securityAssociation() {
        return sa;
    }

    /** Bytes this SA's header and IV take before the inner packet (8 for NULL, 16 for the AEADs). */
    public int headroom() {
        return algorithm.headerLength();
    }

    /** Most bytes sealing appends: padding to 4 bytes (at most 3), pad length, next header and the ICV. */
    public int maxTailroom() {
        return algorithm.maxTrailerLength();
    }

    /**
     * Seals the inner packet (the buffer's readable bytes) into ESP in place: writes the header into the
     * headroom just before readerIndex, pads, encrypts in place, appends the ICV; afterwards the readable
     * bytes are the whole ESP packet (SPI .. ICV). Returns null on success or the reason it refused
     * (SEQUENCE_EXHAUSTED, LIFETIME_EXPIRED, SA_CLOSED, NO_ROOM), leaving the buffer untouched; never
     * throws for those. If tailroom is short but the buffer may grow, it grows (a copy). nextHeader: 4
     * for IPv4, 41 for IPv6 (59 sends a dummy packet). Throws IllegalArgumentException for a next header
     * outside 0..255 or a read-only buffer: caller bugs, not packets to drop. (Should the SA be closed
     * from another thread during the call, the result is SA_CLOSED with the buffer's content undefined.)
     */
    public EspDropReason seal(ByteBuf packet, int nextHeader) {
        if (nextHeader < 0 || nextHeader > 255) {
            throw new IllegalArgumentException("next header " + nextHeader + " is not a byte");
        }
        if (packet.isReadOnly()) {
            throw new IllegalArgumentException("sealing works in place and needs a writable buffer");
        }
        EspDropReason refused = sa.refusal();
        if (refused != null) {
            wipeOnceIfClosed();
            return refused;
        }
        if (!sa.hasNextSequence()) {
            return EspDropReason.SEQUENCE_EXHAUSTED;
        }
        int innerStart = packet.readerIndex();
        int innerLength = packet.readableBytes();
        int headroom = algorithm.headerLength();
        int padLength = Esp.padLength(innerLength);
        int tailroom = padLength + Esp.TRAILER_LENGTH + algorithm.icvLength();
        if (innerStart < headroom || !ensureTailroom(packet, tailroom)) {
            return EspDropReason.NO_ROOM;
        }
        long sequence = sa.takeNextSequence();
        int espStart = innerStart - headroom;
        packet.setInt(espStart, sa.spi());
        packet.setInt(espStart + Esp.SEQUENCE_OFFSET, (int) sequence);
        int trailerStart = innerStart + innerLength;
        for (int i = 1; i <= padLength; i++) {
            packet.setByte(trailerStart + i - 1, i);
        }
        packet.setByte(trailerStart + padLength, padLength);
        packet.setByte(trailerStart + padLength + 1, nextHeader);
        int encryptedLength = innerLength + padLength + Esp.TRAILER_LENGTH;
        if (algorithm.ivLength() > 0) {
            long iv = ivForSequence.applyAsLong(sequence);
            packet.setLong(espStart + Esp.HEADER_LENGTH, iv);
            Aead.putLong(nonce, algorithm.saltLength(), iv);
        }
        int aadLength = Aead.writeAad(aad, sa.spi(), sequence, sa.extendedSequenceNumbers());
        cipher.seal(packet, innerStart, encryptedLength, nonce, aad, aadLength);
        if (sa.isClosed()) {
            // close() raced with us from another thread: the key may have been half zeroed. Never send it.
            wipeOnceIfClosed();
            return EspDropReason.SA_CLOSED;
        }
        packet.setIndex(espStart, innerStart + encryptedLength + algorithm.icvLength());
        sa.count(innerLength);
        return null;
    }

    private static boolean ensureTailroom(ByteBuf packet, int tailroom) {
        if (packet.writableBytes() >= tailroom) {
            return true;
        }
        if (packet.maxWritableBytes() < tailroom) {
            return false;
        }
        packet.ensureWritable(tailroom);
        return true;
    }

    private void wipeOnceIfClosed() {
        if (sa.isClosed() && !wiped) {
            wiped = true;
            cipher.wipe();
            Arrays.fill(nonce, (byte) 0);
        }
    }
}
