package io.steadfast.ike.sa;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * IPv4 addresses for initiators' CP requests, from a CIDR range without its network and broadcast addresses.
 * The same identity gets its address back while it holds one (a reconnect), as strongSwan's pools do.
 *
 * <pre>{@code
 * VirtualIpPool pool = VirtualIpPool.parse("10.99.0.0/24");
 * Inet4Address vip = pool.acquire("fqdn:client.example");   // 10.99.0.1; null when exhausted
 * pool.release(vip);
 * }</pre>
 */
public final class VirtualIpPool {
    private final int first;
    private final int last;
    private final Map<String, Integer> byIdentity = new HashMap<>();
    private final Map<Integer, String> leases = new HashMap<>();
    private final TreeSet<Integer> released = new TreeSet<>();
    private int next;

    private VirtualIpPool(int first, int last) {
        this.first = first;
        this.last = last;
        this.next = first;
    }

    /** The pool of a CIDR like {@code 10.99.0.0/24} (prefix 8..30). */
    public static VirtualIpPool parse(String cidr) {
        String[] parts = cidr.split("/", -1);
        int prefix;
        byte[] base;
        try {
            prefix = Integer.parseInt(parts[1]);
            base = InetAddress.getByName(parts[0]).getAddress();
        } catch (RuntimeException | UnknownHostException e) {
            throw new IllegalArgumentException("not a CIDR: " + cidr, e);
        }
        if (parts.length != 2 || base.length != 4 || prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("pool " + cidr + ": an IPv4 CIDR with a prefix of 8..30");
        }
        int mask = -1 << (32 - prefix);
        int network = toInt(base) & mask;
        return new VirtualIpPool(network + 1, (network | ~mask) - 1);
    }

    /** The address of {@code identity} (it keeps the one it holds), or null when the pool is exhausted. */
    public Inet4Address acquire(String identity) {
        Integer held = byIdentity.get(identity);
        if (held != null) return toAddress(held);
        Integer address;
        if (!released.isEmpty()) {
            address = released.pollFirst();
        } else if (next <= last && next >= first) {
            address = next++;
        } else {
            return null;
        }
        byIdentity.put(identity, address);
        leases.put(address, identity);
        return toAddress(address);
    }

    /** Returns an address to the pool; unknown addresses are ignored. */
    public void release(Inet4Address address) {
        if (address == null) return;
        String identity = leases.remove(toInt(address.getAddress()));
        if (identity != null) {
            byIdentity.remove(identity);
            released.add(toInt(address.getAddress()));
        }
    }

    /** Addresses handed out. */
    public int leased() {
        return leases.size();
    }

    /** Addresses in the pool. */
    public int size() {
        return last - first + 1;
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
    }

    private static Inet4Address toAddress(int value) {
        try {
            return (Inet4Address) InetAddress.getByAddress(
                    new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
