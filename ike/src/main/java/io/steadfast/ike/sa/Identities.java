package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.IdPayload;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Identities written as in swanctl.conf's {@code id =}: an IPv4 literal is ID_IPV4_ADDR, {@code user@host} is
 * ID_RFC822_ADDR, a distinguished name ({@code CN=client.example, O=Steadfast}, in RFC 4514 order: the most specific
 * RDN first, the reverse of how strongSwan writes one) is ID_DER_ASN1_DN, anything else (a leading {@code @} dropped)
 * is ID_FQDN.
 *
 * <pre>{@code
 * IdPayload idi = Identities.parse("client.example", true);
 * boolean same = Identities.matches(expected, received);
 * }</pre>
 */
public final class Identities {
    private Identities() {}

    /** The ID payload for {@code text}; {@code initiator} makes it IDi, else IDr. */
    public static IdPayload parse(String text, boolean initiator) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty identity");
        }
        String id = text.strip();
        if (id.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            try {
                return IdPayload.ipv4(initiator, (Inet4Address) InetAddress.getByName(id));
            } catch (UnknownHostException | ClassCastException e) {
                throw new IllegalArgumentException("bad IPv4 identity " + id, e);
            }
        }
        if (id.contains("=")) {
            try {
                return IdPayload.derAsn1Dn(initiator, new javax.security.auth.x500.X500Principal(id).getEncoded());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad distinguished name " + id, e);
            }
        }
        if (id.startsWith("@")) {
            return IdPayload.fqdn(initiator, id.substring(1));
        }
        return id.indexOf('@') > 0 ? IdPayload.rfc822(initiator, id) : IdPayload.fqdn(initiator, id);
    }

    /** Whether two ID payloads name the same identity (type and data; IDi/IDr does not matter). */
    public static boolean matches(IdPayload a, IdPayload b) {
        return a.idType() == b.idType() && Arrays.equals(a.data(), b.data());
    }

    /** {@code fqdn:client.example}-style text for log lines. */
    public static String describe(IdPayload id) {
        String kind = switch (id.idType()) {
            case Ike.ID_IPV4_ADDR -> "ipv4";
            case Ike.ID_FQDN -> "fqdn";
            case Ike.ID_RFC822_ADDR -> "email";
            case Ike.ID_DER_ASN1_DN -> "dn";
            default -> "type" + id.idType();
        };
        if (id.idType() == Ike.ID_DER_ASN1_DN) {
            try {
                return kind + ":" + new javax.security.auth.x500.X500Principal(id.data()).getName();
            } catch (IllegalArgumentException e) {
                return kind + ":" + id.text();
            }
        }
        return kind + ":" + id.text();
    }
}
