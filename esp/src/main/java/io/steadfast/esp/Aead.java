package io.steadfast.esp;

/** Byte layouts shared by sealing and opening: the AAD of RFC 4106 5 / RFC 7634 2.1 and big-endian longs. */
final class Aead {
    private Aead() {}

    /** Writes SPI || seq (or SPI || seq high || seq low with ESN) into {@code aad}; returns its length. */
    static int writeAad(byte[] aad, int spi, long sequence, boolean extendedSequenceNumbers) {
        putInt(aad, 0, spi);
        if (extendedSequenceNumbers) {
            putInt(aad, 4, (int) (sequence >>> 32));
            putInt(aad, 8, (int) sequence);
            return Esp.AAD_LENGTH_ESN;
        }
        putInt(aad, 4, (int) sequence);
        return Esp.AAD_LENGTH;
    }

    /** Writes {@code value} big-endian at {@code at}. */
    static void putInt(byte[] into, int at, int value) {
        into[at] = (byte) (value >>> 24);
        into[at + 1] = (byte) (value >>> 16);
        into[at + 2] = (byte) (value >>> 8);
        into[at + 3] = (byte) value;
    }

    /** Writes {@code value} big-endian at {@code at}. */
    static void putLong(byte[] into, int at, long value) {
        putInt(into, at, (int) (value >>> 32));
        putInt(into, at + 4, (int) value);
    }
}
