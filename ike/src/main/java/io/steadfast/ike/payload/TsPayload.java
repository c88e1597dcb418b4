package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Traffic selector payload, TSi or TSr (RFC 7296 3.13): one or more selectors.
 *
 * <pre>{@code
 * TsPayload tsi = new TsPayload(true, List.of(TrafficSelector.ipv4Subnet("0.0.0.0", 0)));
 * TsPayload tsr = new TsPayload(false, List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16)));
 * }</pre>
 */
public record TsPayload(boolean initiator, List<TrafficSelector> selectors) implements Payload {
    /** Copies the list; a TS payload holds 1 to 255 selectors. */
    public TsPayload {
        selectors = List.copyOf(selectors);
        if (selectors.isEmpty() || selectors.size() > 0xFF) {
            throw new IllegalArgumentException(selectors.size() + " traffic selectors (1..255)");
        }
    }

    @Override
    public int type() {
        return initiator ? Ike.PAYLOAD_TSI : Ike.PAYLOAD_TSR;
    }

    /** Parses the body of a TSi ({@code initiator}) or TSr: count, three reserved bytes, selectors. */
    public static TsPayload parse(ByteReader body, boolean initiator) throws IkeParseException {
        int count = body.u8("number of TSs");
        body.skip(3, "TS reserved");
        if (count == 0) {
            throw IkeParseException.syntax("TS payload without selectors");
        }
        List<TrafficSelector> selectors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            selectors.add(TrafficSelector.parse(body));
        }
        body.expectEnd("TS payload");
        return new TsPayload(initiator, selectors);
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.u8(selectors.size()).zeros(3);
        selectors.forEach(s -> s.encode(out));
    }

    @Override
    public String toString() {
        return (initiator ? "TSi" : "TSr") + selectors;
    }
}
