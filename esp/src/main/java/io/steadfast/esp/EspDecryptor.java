package io.steadfast.esp;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * Opens ESP packets of one inbound SA in place. Owns the SA's JCE cipher and works its anti-replay
 * window; not thread-safe: one decryptor per SA, used from one thread.
 *
 * <pre>{@code
 * EspDecryptor decryptor = new EspDecryptor(inboundSa);
 * EspDropReason dropped = decryptor.open(espPacket); // readable bytes: SPI .. ICV
 * if (dropped == null) deliver(espPacket, decryptor.nextHeader()); // readable bytes: the inner packet
 * else { count(dropped.counterName()); espPacket.release(); }
 * }</pre>
 *
 * <p>Order of checks: length, SPI, SA state, anti-replay (before any crypto, so replays cost nothing),
 * ICV and decryption, then the window update (only for authentic packets, so forgeries cannot move it),
 * then padding and next header.
 */
public final class EspDecryptor {
    private final SecurityAssociation sa;
    private final EspAlgorithm algorithm;
    private final ReplayWindow window;
    private final PacketCipher cipher;
    private final byte[] nonce = new byte[Esp.AEAD_NONCE_LENGTH];
    private final byte[] aad = new byte[Esp.AAD_LENGTH_ESN];
    private int nextHeader = -1;
    private long sequence;
    private boolean wiped;

    /** A decryptor for {@code inboundSa}. */
    public EspDecryptor(SecurityAssociation inboundSa) {
        this.sa = Objects.requireNonNull(inboundSa, "inboundSa");
        if (inboundSa.isOutbound()) {
            throw new IllegalArgumentException("a decryptor needs an inbound SA: " + inboundSa);
        }
        this.algorithm = inboundSa.algorithm();
        this.window = inboundSa.replayWindow();
        this.cipher = PacketCipher.create(inboundSa, false);
        for (int i = 0; i < algorithm.saltLength(); i++) {
            nonce[i] = inboundSa.salt(i);
        }
    }

    /** The SA this decryptor opens for. */
    public SecurityAssociation securityAssociation() {
        return sa;
    }

    /** Shortest packet that can be valid: header, IV, trailer, ICV. */
    public int minimumPacketLength() {
        return algorithm.headerLength() + Esp.TRAILER_LENGTH + algorithm.icvLength();
    }

    /**
     * Opens an ESP packet (readable bytes = SPI .. ICV) in place: anti-replay check BEFORE decryption,
     * ICV verification, decryption, padding check (RFC 4303 2.4: pad bytes must be 1, 2, 3, ...), replay
     * window update only AFTER the ICV verified. On success returns null, the buffer's readable bytes are
     * exactly the inner packet, and {@link #nextHeader()} tells 4 or 41. On failure returns the reason and
     * leaves the buffer's content undefined (the caller releases it); {@link EspDropReason#DUMMY} marks an
     * authentic dummy packet (next header 59). Never throws on bad input; a read-only buffer is a caller
     * bug (IllegalArgumentException).
     */
    public EspDropReason open(ByteBuf packet) {
        if (packet.isReadOnly()) {
            throw new IllegalArgumentException("opening works in place and needs a writable buffer");
        }
        nextHeader = -1;
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        if (length < minimumPacketLength()) {
            return EspDropReason.TRUNCATED;
        }
        if (packet.getInt(start) != sa.spi()) {
            return EspDropReason.UNKNOWN_SPI;
        }
        EspDropReason refused = sa.refusal();
        if (refused != null) {
            wipeOnceIfClosed();
            return refused;
        }
        long seq = window.inferSequence(packet.getInt(start + Esp.SEQUENCE_OFFSET));
        EspDropReason replay = window.check(seq);
        if (replay != null) {
            return replay;
        }
        int payloadStart = start + algorithm.headerLength();
        int encryptedLength = length - algorithm.headerLength() - algorithm.icvLength();
        if (algorithm.ivLength() > 0) {
            packet.getBytes(start + Esp.HEADER_LENGTH, nonce, algorithm.saltLength(), algorithm.ivLength());
        }
        int aadLength = Aead.writeAad(aad, sa.spi(), seq, sa.extendedSequenceNumbers());
        if (!cipher.open(packet, payloadStart, encryptedLength + algorithm.icvLength(), nonce, aad, aadLength)) {
            return EspDropReason.BAD_ICV;
        }
        window.update(seq);
        sa.acceptedUpTo(window.highest());
        sequence = seq;

        int trailer = payloadStart + encryptedLength - Esp.TRAILER_LENGTH;
        int padLength = packet.getUnsignedByte(trailer);
        int next = packet.getUnsignedByte(trailer + 1);
        int innerLength = encryptedLength - Esp.TRAILER_LENGTH - padLength;
        if (innerLength < 0 || !padBytesValid(packet, trailer - padLength, padLength)) {
            return EspDropReason.BAD_PADDING;
        }
        sa.count(innerLength);
        if (next == Esp.NEXT_HEADER_NONE) {
            return EspDropReason.DUMMY;
        }
        if (next != Esp.NEXT_HEADER_IPV4 && next != Esp.NEXT_HEADER_IPV6) {
            return EspDropReason.BAD_NEXT_HEADER;
        }
        nextHeader = next;
        packet.setIndex(payloadStart, payloadStart + innerLength);
        return null;
    }

    /** Next header of the packet last opened successfully: 4 (IPv4) or 41 (IPv6); -1 after a failure. */
    public int nextHeader() {
        return nextHeader;
    }

    /** Full (ESN-inferred) sequence number of the packet last authenticated. */
    public long sequenceNumber() {
        return sequence;
    }

    private static boolean padBytesValid(ByteBuf packet, int padStart, int padLength) {
        int bad = 0;
        for (int i = 0; i < padLength; i++) {
            bad |= packet.getUnsignedByte(padStart + i) ^ (i + 1);
        }
        return bad == 0;
    }

    private void wipeOnceIfClosed() {
        if (sa.isClosed() && !wiped) {
            wiped = true;
            cipher.wipe();
            Arrays.fill(nonce, (byte) 0);
        }
    }
}
