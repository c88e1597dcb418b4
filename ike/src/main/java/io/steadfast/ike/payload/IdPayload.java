package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Identification payload, IDi or IDr (RFC 7296 3.5): an ID type and its data. The body ("RestOfIDPayload"
 * of 2.15) is what AUTH signs, see {@link #body()}.
 *
 * <pre>{@code
 * IdPayload idi = IdPayload.fqdn(true, "client.example");
 * IdPayload idr = IdPayload.ipv4(false, (Inet4Address) InetAddress.getByName("192.0.2.1"));
 * }</pre>
 */
public record IdPayload(boolean initiator, int idType, byte[] data) implements Payload {
    /** Checks the type fits and the address types have address-sized data. */
    public IdPayload {
        if (idType < 0 || idType > 0xFF) {
            throw new IllegalArgumentException("ID type " + idType);
        }
        String problem = checkData(idType, data.length);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** ID_IPV4_ADDR. */
    public static IdPayload ipv4(boolean initiator, Inet4Address address) {
        return new IdPayload(initiator, Ike.ID_IPV4_ADDR, address.getAddress());
    }

    /** ID_FQDN. */
    public static IdPayload fqdn(boolean initiator, String name) {
        return new IdPayload(initiator, Ike.ID_FQDN, name.getBytes(StandardCharsets.US_ASCII));
    }

    /** ID_RFC822_ADDR. */
    public static IdPayload rfc822(boolean initiator, String address) {
        return new IdPayload(initiator, Ike.ID_RFC822_ADDR, address.getBytes(StandardCharsets.US_ASCII));
    }

    /** ID_DER_ASN1_DN: a DER-encoded distinguished name (e.g. {@code X500Principal.getEncoded()}). */
    public static IdPayload derAsn1Dn(boolean initiator, byte[] der) {
        return new IdPayload(initiator, Ike.ID_DER_ASN1_DN, der);
    }

    @Override
    public int type() {
        return initiator ? Ike.PAYLOAD_IDI : Ike.PAYLOAD_IDR;
    }

    /** Parses the body of an IDi ({@code initiator}) or IDr. */
    public static IdPayload parse(ByteReader body, boolean initiator) throws IkeParseException {
        int idType = body.u8("ID type");
        body.skip(3, "ID reserved");
        byte[] data = body.rest();
        String problem = checkData(idType, data.length);
        if (problem != null) {
            throw IkeParseException.syntax(problem);
        }
        return new IdPayload(initiator, idType, data);
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.u8(idType).zeros(3).bytes(data);
    }

    /** The identity as strongSwan prints it: an address, a name, or hex for DNs and key IDs. */
    public String text() {
        return switch (idType) {
            case Ike.ID_IPV4_ADDR, Ike.ID_IPV6_ADDR -> address();
            case Ike.ID_FQDN, Ike.ID_RFC822_ADDR -> new String(data, StandardCharsets.US_ASCII);
            default -> HexFormat.of().formatHex(data);
        };
    }

    @Override
    public String toString() {
        String kind = switch (idType) {
            case Ike.ID_IPV4_ADDR -> "ipv4";
            case Ike.ID_IPV6_ADDR -> "ipv6";
            case Ike.ID_FQDN -> "fqdn";
            case Ike.ID_RFC822_ADDR -> "rfc822";
            case Ike.ID_DER_ASN1_DN -> "dn";
            case Ike.ID_KEY_ID -> "keyid";
            default -> "type" + idType;
        };
        return (initiator ? "IDi(" : "IDr(") + kind + " " + text() + ")";
    }

    private String address() {
        try {
            return InetAddress.getByAddress(data).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // lengths are checked in the constructor
        }
    }

    private static String checkData(int idType, int length) {
        if (idType == Ike.ID_IPV4_ADDR && length != 4) {
            return "ID_IPV4_ADDR with " + length + " bytes";
        }
        if (idType == Ike.ID_IPV6_ADDR && length != 16) {
            return "ID_IPV6_ADDR with " + length + " bytes";
        }
        return null;
    }
}
