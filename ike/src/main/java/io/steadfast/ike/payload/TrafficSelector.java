package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One traffic selector (RFC 7296 3.13.1): an IPv4 or IPv6 address range, an IP protocol (0 = any) and
 * a port range (0-65535 = any).
 *
 * <pre>{@code
 * TrafficSelector everything = TrafficSelector.ipv4Subnet("0.0.0.0", 0);
 * TrafficSelector cloud = TrafficSelector.ipv4Subnet("10.10.0.0", 16);
 * }</pre>
 */
public record TrafficSelector(int tsType, int ipProtocol, int startPort, int endPort, byte[] startAddress,
        byte[] endAddress) {

    /** Checks the type, field ranges and address lengths. */
    public TrafficSelector {
        int length = addressLength(tsType);
        if (length < 0) {
            throw new IllegalArgumentException("traffic selector type " + tsType);
        }
        if (startAddress.length != length || endAddress.length != length) {
            throw new IllegalArgumentException("addresses of a " + tsType + " selector have " + length + " bytes");
        }
        if (ipProtocol < 0 || ipProtocol > 0xFF || startPort < 0 || startPort > 0xFFFF || endPort < 0 || endPort > 0xFFFF) {
            throw new IllegalArgumentException("traffic selector field out of range");
        }
    }

    /** An IPv4 range, any protocol and port. */
    public static TrafficSelector ipv4Range(Inet4Address start, Inet4Address end) {
        return new TrafficSelector(Ike.TS_IPV4_ADDR_RANGE, 0, 0, 0xFFFF, start.getAddress(), end.getAddress());
    }

    /** The IPv4 subnet {@code address/prefix}, any protocol and port. */
    public static TrafficSelector ipv4Subnet(String address, int prefix) {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix " + prefix);
        }
        byte[] start = ipv4Bytes(address);
        int value = (start[0] & 0xFF) << 24 | (start[1] & 0xFF) << 16 | (start[2] & 0xFF) << 8 | start[3] & 0xFF;
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        int first = value & mask;
        int last = first | ~mask;
        return new TrafficSelector(Ike.TS_IPV4_ADDR_RANGE, 0, 0, 0xFFFF, intBytes(first), intBytes(last));
    }

    /** First address of the range. */
    public InetAddress start() {
        return address(startAddress);
    }

    /** Last address of the range. */
    public InetAddress end() {
        return address(endAddress);
    }

    /** Parses one selector; INVALID_SYNTAX on an unknown type or a length that does not match it. */
    static TrafficSelector parse(ByteReader in) throws IkeParseException {
        int type = in.u8("TS type");
        int protocol = in.u8("TS IP protocol");
        int length = in.u16("TS length");
        int addressLength = addressLength(type);
        if (addressLength < 0) {
            throw IkeParseException.syntax("traffic selector type " + type + " not supported");
        }
        if (length != 8 + 2 * addressLength) {
            throw IkeParseException.syntax("traffic selector of type " + type + " with length " + length);
        }
        int startPort = in.u16("TS start port");
        int endPort = in.u16("TS end port");
        return new TrafficSelector(type, protocol, startPort, endPort, in.bytes(addressLength, "TS start address"),
                in.bytes(addressLength, "TS end address"));
    }

    /** Writes this selector. */
    void encode(ByteWriter out) {
        out.u8(tsType).u8(ipProtocol).u16(8 + 2 * startAddress.length).u16(startPort).u16(endPort)
                .bytes(startAddress).bytes(endAddress);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrafficSelector t && tsType == t.tsType && ipProtocol == t.ipProtocol
                && startPort == t.startPort && endPort == t.endPort && Arrays.equals(startAddress, t.startAddress)
                && Arrays.equals(endAddress, t.endAddress);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(startAddress) * 31 + Arrays.hashCode(endAddress) + startPort * 7 + endPort + ipProtocol;
    }

    @Override
    public String toString() {
        String ports = startPort == 0 && endPort == 0xFFFF ? "" : "[" + startPort + "-" + endPort + "]";
        String protocol = ipProtocol == 0 ? "" : "proto " + ipProtocol;
        return start().getHostAddress() + ".." + end().getHostAddress() + (protocol + ports).transform(s -> s.isEmpty() ? "" : " " + s);
    }

    private static int addressLength(int type) {
        return switch (type) {
            case Ike.TS_IPV4_ADDR_RANGE -> 4;
            case Ike.TS_IPV6_ADDR_RANGE -> 16;
            default -> -1;
        };
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // lengths are checked in the constructor
        }
    }

    private static byte[] ipv4Bytes(String literal) {
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + literal);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet;
            try {
                octet = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + literal, e);
            }
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + literal);
            }
            bytes[i] = (byte) octet;
        }
        return bytes;
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
