package io.steadfast.ike.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.Hex;
import io.steadfast.ike.IkeParseException;
import java.util.List;

/** Round-trip helpers for payload tests. */
final class Payloads {
    private Payloads() {}

    /** Parses one payload of {@code type} from a body in hex, through the chain parser. */
    static Payload parseBody(int type, String bodyHex) throws IkeParseException {
        byte[] body = Hex.bytes(bodyHex);
        byte[] chain = new byte[4 + body.length];
        chain[2] = (byte) (chain.length >>> 8);
        chain[3] = (byte) chain.length;
        System.arraycopy(body, 0, chain, 4, body.length);
        List<Payload> payloads = PayloadChain.parse(chain, 0, chain.length, type, true);
        assertThat(payloads).hasSize(1);
        return payloads.get(0);
    }

    /** The parse failure of a body in hex. */
    static IkeParseException failure(int type, String bodyHex) {
        try {
            parseBody(type, bodyHex);
        } catch (IkeParseException e) {
            return e;
        }
        throw new AssertionError("parsed " + bodyHex);
    }

    /** Asserts that the body parses to {@code expected} and {@code expected} encodes to the body. */
    static void assertRoundTrip(Payload expected, String bodyHex) throws IkeParseException {
        assertThat(Hex.of(expected.body())).isEqualTo(Hex.of(Hex.bytes(bodyHex)));
        Payload parsed = parseBody(expected.type(), bodyHex);
        assertThat(parsed).usingRecursiveComparison().isEqualTo(expected);
        assertThat(Hex.of(parsed.body())).isEqualTo(Hex.of(Hex.bytes(bodyHex)));
    }

    /** A reader over hex. */
    static ByteReader reader(String hex) {
        return new ByteReader(Hex.bytes(hex));
    }
}
