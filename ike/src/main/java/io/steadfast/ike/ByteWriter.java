package io.steadfast.ike;

import java.util.Arrays;

/**
 * A growable big-endian byte array for encoding messages and payloads; lengths are patched in with
 * {@link #putU16At} once known.
 *
 * <pre>{@code
 * ByteWriter out = new ByteWriter();
 * out.u16(Ike.DH_CURVE25519).u16(0).bytes(publicValue);
 * byte[] body = out.toByteArray();
 * }</pre>
 */
public final class ByteWriter {
    private byte[] bytes;
    private int size;

    /** An empty writer. */
    public ByteWriter() {
        this(64);
    }

    /** An empty writer with room for {@code capacity} bytes before it grows. */
    public ByteWriter(int capacity) {
        bytes = new byte[Math.max(capacity, 16)];
    }

    /** Bytes written so far. */
    public int size() {
        return size;
    }

    /** Appends one byte (the low 8 bits). */
    public ByteWriter u8(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
        return this;
    }

    /** Appends two bytes (the low 16 bits); fails if the value does not fit. */
    public ByteWriter u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("value " + value + " does not fit in 16 bits");
        }
        ensure(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    /** Appends four bytes. */
    public ByteWriter u32(int value) {
        ensure(4);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    /** Appends eight bytes. */
    public ByteWriter u64(long value) {
        return u32((int) (value >>> 32)).u32((int) value);
    }

    /** Appends all of {@code data}. */
    public ByteWriter bytes(byte[] data) {
        return bytes(data, 0, data.length);
    }

    /** Appends {@code data[offset, offset + length)}. */
    public ByteWriter bytes(byte[] data, int offset, int length) {
        ensure(length);
        System.arraycopy(data, offset, bytes, size, length);
        size += length;
        return this;
    }

    /** Appends {@code count} zero bytes. */
    public ByteWriter zeros(int count) {
        ensure(count);
        size += count;
        return this;
    }

    /** Overwrites two bytes at {@code offset} (a length field written as a placeholder). */
    public ByteWriter putU16At(int offset, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("length " + value + " does not fit in 16 bits");
        }
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
        return this;
    }

    /** Overwrites four bytes at {@code offset}. */
    public ByteWriter putU32At(int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
        return this;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (more < 0) {
            throw new IllegalArgumentException("negative length " + more);
        }
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
