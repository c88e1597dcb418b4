package io.steadfast.ike;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Reassembles one fragmented message at a time (RFC 7383 2.6) from opened fragments, within bounds: at
 * most {@code maxFragments} fragments and {@code maxBytes} bytes of plaintext, and {@code timeoutNanos}
 * from the first fragment. A fragment with a number out of range, a duplicate or one with fewer total
 * fragments than those already held is discarded; more total fragments than held (the sender re-split
 * for a smaller MTU) or another message ID restarts reassembly. Fragments of the message last completed are
 * discarded too (retransmissions: the caller answers those by message ID). Not thread-safe.
 *
 * <pre>{@code
 * FragmentReassembler reassembler = new FragmentReassembler(64, 64 * 1024, TimeUnit.SECONDS.toNanos(30));
 * IkeMessageDecoder.Fragment f = IkeMessageDecoder.openFragment(datagram, inbound);
 * if (reassembler.offer(f, System.nanoTime()) instanceof FragmentReassembler.Complete c)
 *     handle(IkeMessageDecoder.assemble(c.header(), c.firstInnerType(), c.plaintext()));
 * }</pre>
 */
public final class FragmentReassembler {
    /** What became of an offered fragment. */
    public sealed interface Result permits Incomplete, Complete, Discarded {}

    /** Kept; {@code received} of {@code total} fragments are in. */
    public record Incomplete(int received, int total) implements Result {}

    /** The last missing fragment arrived: the whole inner payload chain. */
    public record Complete(IkeHeader header, int firstInnerType, byte[] plaintext) implements Result {}

    /** The fragment was dropped, and why. */
    public record Discarded(String reason) implements Result {}

    private final int maxFragments;
    private final int maxBytes;
    private final long timeoutNanos;

    private boolean active;
    private long lastCompleted = -1;
    private int messageId;
    private long startNanos;
    private byte[][] parts;
    private int received;
    private int bytes;
    private int heldFirstType;

    /** A reassembler with its bounds; all must be positive. */
    public FragmentReassembler(int maxFragments, int maxBytes, long timeoutNanos) {
        if (maxFragments < 1 || maxFragments > 0xFFFF || maxBytes < 1 || timeoutNanos < 1) {
            throw new IllegalArgumentException("bounds must be positive (and at most 65535 fragments)");
        }
        this.maxFragments = maxFragments;
        this.maxBytes = maxBytes;
        this.timeoutNanos = timeoutNanos;
    }

    /** Offers an opened fragment received at {@code nowNanos} (a {@link System#nanoTime()} reading). */
    public Result offer(IkeMessageDecoder.Fragment fragment, long nowNanos) {
        return offer(fragment.header(), fragment.number(), fragment.total(), fragment.firstInnerType(),
                fragment.plaintext(), nowNanos);
    }

    /** Offers fragment {@code number} of {@code total} of the message with this header. */
    public Result offer(IkeHeader header, int number, int total, int firstInnerType, byte[] plaintext, long nowNanos) {
        if (total < 1 || number < 1 || number > total) {
            return new Discarded("fragment " + number + " of " + total + " is out of range");
        }
        if (total > maxFragments) {
            return new Discarded(total + " fragments exceed the limit of " + maxFragments);
        }
        if (Integer.toUnsignedLong(header.messageId()) == lastCompleted) {
            return new Discarded("message " + lastCompleted + " was already reassembled (a retransmission)");
        }
        if (active && nowNanos - startNanos > timeoutNanos) {
            reset();
        }
        if (active && header.messageId() != messageId) {
            reset(); // the peer moved on to another message
        }
        if (active && total < parts.length) {
            return new Discarded("fragment of a " + total + "-fragment split while reassembling " + parts.length);
        }
        if (active && total > parts.length) {
            reset(); // the sender re-fragmented with a smaller size: start over (RFC 7383 2.6)
        }
        if (!active) {
            active = true;
            messageId = header.messageId();
            startNanos = nowNanos;
            parts = new byte[total][];
            received = 0;
            bytes = 0;
            heldFirstType = Ike.PAYLOAD_NONE;
        }
        if (parts[number - 1] != null) {
            return new Discarded("duplicate fragment " + number + " of " + total);
        }
        if (plaintext.length > maxBytes - bytes) {
            reset();
            return new Discarded("reassembled message would exceed " + maxBytes + " bytes");
        }
        parts[number - 1] = plaintext.clone();
        received++;
        bytes += plaintext.length;
        if (number == 1) {
            heldFirstType = firstInnerType; // only fragment 1 names the first inner payload
        }
        if (received < parts.length) {
            return new Incomplete(received, parts.length);
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream(bytes);
        for (byte[] part : parts) {
            whole.writeBytes(part);
        }
        Complete complete = new Complete(header, heldFirstType, whole.toByteArray());
        reset();
        lastCompleted = Integer.toUnsignedLong(messageId);
        return complete;
    }

    /** Whether a reassembly is under way. */
    public boolean isActive() {
        return active;
    }

    /** Drops any partial message. */
    public void reset() {
        if (parts != null) {
            for (byte[] part : parts) {
                if (part != null) {
                    Arrays.fill(part, (byte) 0);
                }
            }
        }
        active = false;
        parts = null;
        received = 0;
        bytes = 0;
    }
}
