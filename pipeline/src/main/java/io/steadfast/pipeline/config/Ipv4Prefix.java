package io.steadfast.pipeline.config;

/**
 * An IPv4 address with a prefix length, as written in profiles: {@code 10.9.0.1/24}. A bare address
 * means /32.
 *
 * @param address big-endian address bits
 * @param length  prefix length, 0 to 32
 */
public record Ipv4Prefix(int address, int length) {

    /** Parses {@code a.b.c.d[/len]}; throws IllegalArgumentException saying what is wrong. */
    public static Ipv4Prefix parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        int length = 32;
        if (slash >= 0) {
            String len = s.substring(slash + 1);
            if (!len.matches("\\d{1,2}") || Integer.parseInt(len) > 32) {
                throw new IllegalArgumentException("prefix length \"" + len + "\" is not 0 to 32");
            }
            length = Integer.parseInt(len);
            s = s.substring(0, slash);
        }
        return new Ipv4Prefix(parseAddress(s), length);
    }

    /** Parses a dotted-quad IPv4 address (no host names, no shortened forms). */
    public static int parseAddress(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("\"" + s + "\" is not a dotted-quad IPv4 address");
        int addr = 0;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
                throw new IllegalArgumentException("\"" + s + "\" is not an IPv4 address (octet \"" + p + "\")");
            }
            addr = (addr << 8) | Integer.parseInt(p);
        }
        return addr;
    }

    /** The network prefix with host bits cleared, e.g. 10.9.0.0/24 for 10.9.0.1/24. */
    public Ipv4Prefix network() {
        int mask = length == 0 ? 0 : -1 << (32 - length);
        return new Ipv4Prefix(address & mask, length);
    }

    /** The address alone, dotted-quad. */
    public String addressText() {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    @Override
    public String toString() {
        return addressText() + "/" + length;
    }
}
