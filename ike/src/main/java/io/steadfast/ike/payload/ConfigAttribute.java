package io.steadfast.ike.payload;

import io.steadfast.ike.Ike;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * One configuration attribute of a CP payload (RFC 7296 3.15.1): a type and a value, empty in a request
 * that asks for the attribute.
 *
 * <pre>{@code
 * ConfigAttribute ask = ConfigAttribute.request(Ike.ATTR_INTERNAL_IP4_ADDRESS);
 * Optional<Inet4Address> vip = reply.ipv4();
 * }</pre>
 */
public record ConfigAttribute(int attributeType, byte[] value) {
    /** Checks the type fits in 15 bits and the value in 16. */
    public ConfigAttribute {
        if (attributeType < 0 || attributeType > 0x7FFF || value.length > 0xFFFF) {
            throw new IllegalArgumentException("config attribute " + attributeType + " out of range");
        }
    }

    /** An empty attribute: asks for a value in a CFG_REQUEST. */
    public static ConfigAttribute request(int attributeType) {
        return new ConfigAttribute(attributeType, new byte[0]);
    }

    /** An attribute holding an IPv4 address (INTERNAL_IP4_ADDRESS, _DNS, _NETMASK). */
    public static ConfigAttribute ipv4(int attributeType, Inet4Address address) {
        return new ConfigAttribute(attributeType, address.getAddress());
    }

    /** The value as an IPv4 address, if it is four bytes. */
    public Optional<Inet4Address> ipv4() {
        if (value.length != 4) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(value));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        String name = switch (attributeType) {
            case Ike.ATTR_INTERNAL_IP4_ADDRESS -> "INTERNAL_IP4_ADDRESS";
            case Ike.ATTR_INTERNAL_IP4_NETMASK -> "INTERNAL_IP4_NETMASK";
            case Ike.ATTR_INTERNAL_IP4_DNS -> "INTERNAL_IP4_DNS";
            case Ike.ATTR_INTERNAL_IP6_ADDRESS -> "INTERNAL_IP6_ADDRESS";
            case Ike.ATTR_INTERNAL_IP6_DNS -> "INTERNAL_IP6_DNS";
            default -> "ATTR_" + attributeType;
        };
        return name + (value.length == 0 ? "" : "=" + ipv4().map(Inet4Address::getHostAddress).orElse(Text.hex(value)));
    }
}
