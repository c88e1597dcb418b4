package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration payload (RFC 7296 3.15): CFG_REQUEST/REPLY/SET/ACK and attributes. An initiator asks for
 * a virtual IP with an empty INTERNAL_IP4_ADDRESS; the reply carries the address, DNS servers, netmask.
 *
 * <pre>{@code
 * CpPayload ask = CpPayload.request(Ike.ATTR_INTERNAL_IP4_ADDRESS, Ike.ATTR_INTERNAL_IP4_DNS);
 * Inet4Address vip = reply.ipv4(Ike.ATTR_INTERNAL_IP4_ADDRESS).get(0);
 * }</pre>
 */
public record CpPayload(int cfgType, List<ConfigAttribute> attributes) implements Payload {
    /** Copies the list and checks the type fits. */
    public CpPayload {
        attributes = List.copyOf(attributes);
        if (cfgType < 0 || cfgType > 0xFF) {
            throw new IllegalArgumentException("CFG type " + cfgType);
        }
    }

    /** A CFG_REQUEST asking for each of {@code attributeTypes}. */
    public static CpPayload request(int... attributeTypes) {
        List<ConfigAttribute> attributes = new ArrayList<>();
        for (int type : attributeTypes) {
            attributes.add(ConfigAttribute.request(type));
        }
        return new CpPayload(Ike.CFG_REQUEST, attributes);
    }

    /** The IPv4 values of every attribute of {@code attributeType}, in order. */
    public List<Inet4Address> ipv4(int attributeType) {
        return attributes.stream().filter(a -> a.attributeType() == attributeType)
                .flatMap(a -> a.ipv4().stream()).toList();
    }

    @Override
    public int type() {
        return Ike.PAYLOAD_CP;
    }

    /** Parses the body: type, three reserved bytes, attributes (the reserved top bit is ignored). */
    public static CpPayload parse(ByteReader body) throws IkeParseException {
        int cfgType = body.u8("CFG type");
        body.skip(3, "CFG reserved");
        List<ConfigAttribute> attributes = new ArrayList<>();
        while (!body.isEmpty()) {
            int type = body.u16("config attribute type") & 0x7FFF;
            int length = body.u16("config attribute length");
            attributes.add(new ConfigAttribute(type, body.bytes(length, "config attribute value")));
        }
        return new CpPayload(cfgType, attributes);
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.u8(cfgType).zeros(3);
        for (ConfigAttribute a : attributes) {
            out.u16(a.attributeType()).u16(a.value().length).bytes(a.value());
        }
    }

    @Override
    public String toString() {
        String kind = switch (cfgType) {
            case Ike.CFG_REQUEST -> "REQUEST";
            case Ike.CFG_REPLY -> "REPLY";
            case Ike.CFG_SET -> "SET";
            case Ike.CFG_ACK -> "ACK";
            default -> String.valueOf(cfgType);
        };
        return "CP(" + kind + " " + attributes + ")";
    }
}
