package io.steadfast.relay;

/**
 * An IPv4 prefix such as {@code 10.1.0.0/16}: the stable addresses a relay serves.
 *
 * <pre>{@code
 * AddressPrefix served = AddressPrefix.parse("10.1.0.0/16");
 * boolean mine = served.contains(Ipv4.parse("10.1.2.3")); // true
 * }</pre>
 *
 * @param address the network address; host bits must be zero
 * @param length  the prefix length, 0..32
 */
public record AddressPrefix(int address, int length) {
    /** Checks the length and that no host bits are set. */
    public AddressPrefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length " + length + " is not within 0..32");
        }
        if ((address & ~maskOf(length)) != 0) {
            throw new IllegalArgumentException(Ipv4.format(address) + "/" + length + " has host bits set");
        }
    }

    /** Parses {@code a.b.c.d/n}, or a single address {@code a.b.c.d} as a /32. */
    public static AddressPrefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new AddressPrefix(Ipv4.parse(text), 32);
        }
        String length = text.substring(slash + 1);
        if (length.isEmpty() || length.length() > 2 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not an IPv4 prefix: " + text);
        }
        return new AddressPrefix(Ipv4.parse(text.substring(0, slash)), Integer.parseInt(length));
    }

    /** The netmask as an int, e.g. 0xFFFF0000 for /16. */
    public int mask() {
        return maskOf(length);
    }

    /** Whether {@code candidate} lies within this prefix. */
    public boolean contains(int candidate) {
        return (candidate & mask()) == address;
    }

    private static int maskOf(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    @Override
    public String toString() {
        return Ipv4.format(address) + "/" + length;
    }
}
