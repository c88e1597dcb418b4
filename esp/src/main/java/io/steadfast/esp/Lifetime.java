package io.steadfast.esp;

/**
 * Packet and byte limits of one SA direction (RFC 4301 4.4.2.1). Reaching a soft limit means "rekey
 * wanted"; at a hard limit the SA refuses to seal or open more packets. Bytes count inner packets.
 * Time limits belong to the key exchange, which knows when the SA was made.
 *
 * <pre>{@code
 * Lifetime lifetime = new Lifetime(900_000, 1_000_000, Long.MAX_VALUE, Long.MAX_VALUE);
 * }</pre>
 */
public record Lifetime(long softPackets, long hardPackets, long softBytes, long hardBytes) {
    /** No limits at all. */
    public static final Lifetime UNLIMITED = new Lifetime(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

    /** Checks that every limit is positive and no soft limit lies beyond its hard limit. */
    public Lifetime {
        if (softPackets <= 0 || hardPackets <= 0 || softBytes <= 0 || hardBytes <= 0) {
            throw new IllegalArgumentException("lifetime limits must be positive: " + describe(softPackets, hardPackets, softBytes, hardBytes));
        }
        if (softPackets > hardPackets || softBytes > hardBytes) {
            throw new IllegalArgumentException("a soft limit lies beyond its hard limit: " + describe(softPackets, hardPackets, softBytes, hardBytes));
        }
    }

    /** Limits on packets only. */
    public static Lifetime ofPackets(long soft, long hard) {
        return new Lifetime(soft, hard, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** Limits on bytes only. */
    public static Lifetime ofBytes(long soft, long hard) {
        return new Lifetime(Long.MAX_VALUE, Long.MAX_VALUE, soft, hard);
    }

    /** Whether a soft limit is reached at these counts. */
    public boolean softReached(long packets, long bytes) {
        return packets >= softPackets || bytes >= softBytes;
    }

    /** Whether a hard limit is reached at these counts. */
    public boolean hardReached(long packets, long bytes) {
        return packets >= hardPackets || bytes >= hardBytes;
    }

    private static String describe(long sp, long hp, long sb, long hb) {
        return "packets " + sp + "/" + hp + ", bytes " + sb + "/" + hb;
    }
}
