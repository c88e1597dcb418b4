package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Delete payload (RFC 7296 3.11): the IKE SA (no SPIs) or ESP/AH SAs by their 4-byte inbound SPIs.
 *
 * <pre>{@code
 * DeletePayload bye = DeletePayload.ikeSa();
 * DeletePayload child = DeletePayload.esp(0xc0ffee01);
 * }</pre>
 */
public record DeletePayload(int protocolId, List<Integer> spis) implements Payload {
    /** Copies the list; IKE deletes carry no SPIs. */
    public DeletePayload {
        spis = List.copyOf(spis);
        if (protocolId == Ike.PROTOCOL_IKE && !spis.isEmpty()) {
            throw new IllegalArgumentException("deleting the IKE SA names no SPIs");
        }
        if (protocolId < 0 || protocolId > 0xFF || spis.size() > 0xFFFF) {
            throw new IllegalArgumentException("delete field out of range");
        }
    }

    /** Deletes the IKE SA this message is protected by. */
    public static DeletePayload ikeSa() {
        return new DeletePayload(Ike.PROTOCOL_IKE, List.of());
    }

    /** Deletes ESP SAs, named by the SPIs the sender receives on. */
    public static DeletePayload esp(int... spis) {
        return new DeletePayload(Ike.PROTOCOL_ESP, java.util.Arrays.stream(spis).boxed().toList());
    }

    @Override
    public int type() {
        return Ike.PAYLOAD_DELETE;
    }

    /** Parses the body: protocol, SPI size (0 for IKE, 4 for ESP/AH), count, SPIs. */
    public static DeletePayload parse(ByteReader body) throws IkeParseException {
        int protocol = body.u8("delete protocol ID");
        int spiSize = body.u8("delete SPI size");
        int count = body.u16("delete SPI count");
        int expectedSize = protocol == Ike.PROTOCOL_IKE ? 0 : Ike.CHILD_SPI_LENGTH;
        if (spiSize != expectedSize || (protocol == Ike.PROTOCOL_IKE && count != 0)) {
            throw IkeParseException.syntax("delete of protocol " + protocol + " with SPI size " + spiSize
                    + " and " + count + " SPIs");
        }
        List<Integer> spis = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            spis.add(body.u32("delete SPI"));
        }
        body.expectEnd("delete payload");
        return new DeletePayload(protocol, spis);
    }

    @Override
    public void encodeBody(ByteWriter out) {
        out.u8(protocolId).u8(protocolId == Ike.PROTOCOL_IKE ? 0 : Ike.CHILD_SPI_LENGTH).u16(spis.size());
        spis.forEach(out::u32);
    }

    @Override
    public String toString() {
        return protocolId == Ike.PROTOCOL_IKE ? "D(IKE)"
                : "D(" + protocolId + ", " + spis.stream().map(s -> String.format("%08x", s)).toList() + ")";
    }
}
