package io.steadfast.esp;

/**
 * The anti-replay sliding window of RFC 4303 3.4.3, kept as a ring of 64-bit words in the style of
 * RFC 6479 so that sliding costs one word store per 64 sequence numbers, not a shift of the whole map.
 * Sequence numbers are 64-bit unsigned values; with extended sequence numbers (ESN) the high 32 bits,
 * which are not on the wire, are inferred as in RFC 4303 Appendix A.
 *
 * <p>Checking and updating are separate steps: check before decryption, update only after the ICV
 * verified, so a forged packet can never move the window. Not thread-safe.
 *
 * <pre>{@code
 * ReplayWindow window = new ReplayWindow(1024, true);
 * long seq = window.inferSequence(wireSequence);
 * if (window.check(seq) == null && icvVerified(seq)) window.update(seq);
 * }</pre>
 */
public final class ReplayWindow {
    private static final int WORD_BITS = 64;

    private final int size;
    private final boolean extendedSequenceNumbers;
    private final long[] ring;
    private final int ringMask;
    /** Highest sequence number accepted so far (unsigned); 0 before the first. */
    private long highest;

    /** A window of {@code size} packets (64..65536); sequence number 0 counts as already received. */
    public ReplayWindow(int size, boolean extendedSequenceNumbers) {
        if (size < Esp.MIN_REPLAY_WINDOW || size > Esp.MAX_REPLAY_WINDOW) {
            throw new IllegalArgumentException("replay window size " + size + " is not within "
                    + Esp.MIN_REPLAY_WINDOW + ".." + Esp.MAX_REPLAY_WINDOW);
        }
        this.size = size;
        this.extendedSequenceNumbers = extendedSequenceNumbers;
        // One spare word so that the word holding the window's left edge is never the one being cleared.
        int words = Integer.highestOneBit((size + WORD_BITS - 1) / WORD_BITS) << 1;
        this.ring = new long[words];
        this.ringMask = words - 1;
        this.ring[0] = 1L; // sequence number 0 is never valid
    }

    /** The window size in packets. */
    public int size() {
        return size;
    }

    /** Whether the high 32 bits are inferred (extended sequence numbers). */
    public boolean extendedSequenceNumbers() {
        return extendedSequenceNumbers;
    }

    /** Highest sequence number accepted so far (unsigned 64-bit), 0 before the first. */
    public long highest() {
        return highest;
    }

    /**
     * The full sequence number the 32 bits on the wire stand for: without ESN the unsigned value; with
     * ESN the high bits are guessed from the window's position (RFC 4303 A.2), and a guess that would
     * fall before sequence number 0 yields 0, which {@link #check} rejects.
     */
    public long inferSequence(int wireSequence) {
        long low = Integer.toUnsignedLong(wireSequence);
        if (!extendedSequenceNumbers) {
            return low;
        }
        long topLow = highest & Esp.MAX_SEQUENCE;
        long topHigh = highest >>> 32;
        long bottomLow = (topLow - size + 1) & Esp.MAX_SEQUENCE;
        long high;
        if (topLow >= size - 1) {
            // Case A: the window lies within one epoch of 2^32 sequence numbers.
            high = low >= bottomLow ? topHigh : topHigh + 1;
        } else {
            // Case B: the window straddles the start of the current epoch.
            high = low >= bottomLow ? topHigh - 1 : topHigh;
            if (high < 0) {
                return 0;
            }
        }
        return (high << 32) | low;
    }

    /** Null if {@code sequence} may be new (unseen within, or ahead of, the window), else REPLAYED or TOO_OLD. */
    public EspDropReason check(long sequence) {
        if (Long.compareUnsigned(sequence, highest) > 0) {
            return null;
        }
        if (sequence == 0 || Long.compareUnsigned(highest - sequence, size) >= 0) {
            return EspDropReason.TOO_OLD;
        }
        return (ring[wordIndex(sequence)] & bit(sequence)) != 0 ? EspDropReason.REPLAYED : null;
    }

    /** Records {@code sequence} as received, sliding the window if it is new highest; call after the ICV verified. */
    public void update(long sequence) {
        if (Long.compareUnsigned(sequence, highest) > 0) {
            long oldWord = highest >>> 6;
            long newWord = sequence >>> 6;
            long clear = Math.min(newWord - oldWord, ring.length);
            for (long i = 1; i <= clear; i++) {
                ring[(int) ((oldWord + i) & ringMask)] = 0;
            }
            highest = sequence;
        } else if (Long.compareUnsigned(highest - sequence, size) >= 0) {
            return; // left of the window: nothing to record
        }
        ring[wordIndex(sequence)] |= bit(sequence);
    }

    private int wordIndex(long sequence) {
        return (int) ((sequence >>> 6) & ringMask);
    }

    private static long bit(long sequence) {
        return 1L << (sequence & (WORD_BITS - 1));
    }

    @Override
    public String toString() {
        return "ReplayWindow[size=" + size + ", esn=" + extendedSequenceNumbers + ", highest=" + Long.toUnsignedString(highest) + "]";
    }
}
