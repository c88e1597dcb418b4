package io.steadfast.esp;

import io.netty.buffer.ByteBuf;

/**
 * UDP encapsulation of ESP (RFC 3948): on port 4500 a datagram is ESP (its SPI is never zero), IKE
 * behind the 4-byte zero non-ESP marker, or a one-byte NAT-keepalive. Stateless; reads at readerIndex.
 *
 * <pre>{@code
 * switch (EspInUdp.classify(payload)) {
 *     case ESP -> decryptorFor(EspInUdp.spi(payload)).open(payload);
 *     case IKE -> ike.receive(payload.skipBytes(Esp.NON_ESP_MARKER_LENGTH));
 *     case NAT_KEEPALIVE, INVALID -> payload.release();
 * }
 * }</pre>
 */
public final class EspInUdp {
    private EspInUdp() {}

    /** The NAT-T port of RFC 3948. */
    public static final int PORT = Esp.NAT_T_PORT;

    /** What a UDP payload on port 4500 carries. */
    public enum Kind {
        /** An ESP packet: SPI of 256 or more, at least SPI and sequence number. */
        ESP,
        /** An IKE message behind the 4-byte zero non-ESP marker. */
        IKE,
        /** A NAT-keepalive: the single byte 0xFF. */
        NAT_KEEPALIVE,
        /** Anything else: empty, 1..7 bytes that are not a keepalive, or a reserved SPI 1..255. */
        INVALID
    }

    /** Classifies the readable bytes of a UDP payload received on port 4500. */
    public static Kind classify(ByteBuf udpPayload) {
        int length = udpPayload.readableBytes();
        int start = udpPayload.readerIndex();
        if (length == 1 && udpPayload.getUnsignedByte(start) == Esp.NAT_KEEPALIVE_BYTE) {
            return Kind.NAT_KEEPALIVE;
        }
        if (length < Esp.HEADER_LENGTH) {
            return Kind.INVALID;
        }
        int firstWord = udpPayload.getInt(start);
        if (firstWord == 0) {
            return Kind.IKE;
        }
        return Integer.compareUnsigned(firstWord, Esp.MIN_SPI) < 0 ? Kind.INVALID : Kind.ESP;
    }

    /** The SPI of the ESP packet at readerIndex. */
    public static int spi(ByteBuf espPacket) {
        return espPacket.getInt(espPacket.readerIndex());
    }

    /** Writes a NAT-keepalive (one 0xFF byte) into {@code out}; returns {@code out}. */
    public static ByteBuf writeKeepalive(ByteBuf out) {
        return out.writeByte(Esp.NAT_KEEPALIVE_BYTE);
    }
}
