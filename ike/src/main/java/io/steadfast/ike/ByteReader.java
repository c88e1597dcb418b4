package io.steadfast.ike;

import java.util.Arrays;

/**
 * A bounds-checked cursor over {@code bytes[offset, limit)}, big-endian. Every read past the limit throws
 * {@link IkeParseException} (INVALID_SYNTAX) naming what was being read; nothing reads outside the range.
 *
 * <pre>{@code
 * ByteReader in = new ByteReader(body);
 * int group = in.u16("KE group");
 * in.skip(2, "KE reserved");
 * byte[] keyData = in.rest();
 * }</pre>
 */
public final class ByteReader {
    private final byte[] bytes;
    private final int limit;
    private int position;

    /** Reads all of {@code bytes}. */
    public ByteReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /** Reads {@code bytes[offset, offset + length)}. */
    public ByteReader(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside " + bytes.length);
        }
        this.bytes = bytes;
        this.position = offset;
        this.limit = offset + length;
    }

    /** Offset of the next byte in the underlying array. */
    public int position() {
        return position;
    }

    /** Bytes left before the limit. */
    public int remaining() {
        return limit - position;
    }

    /** Whether all bytes were read. */
    public boolean isEmpty() {
        return position == limit;
    }

    /** The underlying array (not a copy). */
    public byte[] array() {
        return bytes;
    }

    /** One unsigned byte. */
    public int u8(String what) throws IkeParseException {
        need(1, what);
        return bytes[position++] & 0xFF;
    }

    /** Two bytes as an unsigned value. */
    public int u16(String what) throws IkeParseException {
        need(2, what);
        int value = (bytes[position] & 0xFF) << 8 | bytes[position + 1] & 0xFF;
        position += 2;
        return value;
    }

    /** Four bytes as an int (callers treat it as unsigned where the field is). */
    public int u32(String what) throws IkeParseException {
        need(4, what);
        int value = (bytes[position] & 0xFF) << 24 | (bytes[position + 1] & 0xFF) << 16
                | (bytes[position + 2] & 0xFF) << 8 | bytes[position + 3] & 0xFF;
        position += 4;
        return value;
    }

    /** Eight bytes as a long. */
    public long u64(String what) throws IkeParseException {
        long high = u32(what) & 0xFFFF_FFFFL;
        return high << 32 | u32(what) & 0xFFFF_FFFFL;
    }

    /** A copy of the next {@code length} bytes. */
    public byte[] bytes(int length, String what) throws IkeParseException {
        need(length, what);
        byte[] copy = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return copy;
    }

    /** A copy of everything left. */
    public byte[] rest() {
        byte[] copy = Arrays.copyOfRange(bytes, position, limit);
        position = limit;
        return copy;
    }

    /** Skips {@code length} bytes. */
    public void skip(int length, String what) throws IkeParseException {
        need(length, what);
        position += length;
    }

    /** A reader over the next {@code length} bytes; this reader moves past them. */
    public ByteReader slice(int length, String what) throws IkeParseException {
        need(length, what);
        ByteReader slice = new ByteReader(bytes, position, length);
        position += length;
        return slice;
    }

    /** Fails unless every byte was read: trailing bytes are a syntax error. */
    public void expectEnd(String what) throws IkeParseException {
        if (position != limit) {
            throw IkeParseException.syntax(what + ": " + remaining() + " unexpected trailing bytes");
        }
    }

    private void need(int length, String what) throws IkeParseException {
        if (length < 0 || length > limit - position) {
            throw IkeParseException.syntax(what + ": needs " + length + " bytes, " + (limit - position) + " left");
        }
    }
}
