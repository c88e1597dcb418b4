package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One proposal substructure (RFC 7296 3.3.1): number, protocol (IKE, ESP), SPI (empty in an initial
 * IKE_SA_INIT, 4 bytes for ESP, 8 for an IKE rekey) and transforms, several per type meaning "any of".
 *
 * <pre>{@code
 * Proposal esp = new Proposal(1, Ike.PROTOCOL_ESP, spiBytes, List.of(
 *         Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128), Transform.of(Ike.TRANSFORM_ESN, Ike.ESN_NO)));
 * }</pre>
 */
public record Proposal(int number, int protocolId, byte[] spi, List<Transform> transforms) {
    private static final int HEADER_LENGTH = 8;
    private static final int LAST = 0;
    private static final int MORE = 2;

    /** Copies the transform list and checks the field ranges. */
    public Proposal {
        transforms = List.copyOf(transforms);
        if (number < 0 || number > 0xFF || protocolId < 0 || protocolId > 0xFF || spi.length > 0xFF
                || transforms.size() > 0xFF) {
            throw new IllegalArgumentException("proposal field out of range");
        }
    }

    /** The transforms of one type, in order. */
    public List<Transform> transforms(int type) {
        return transforms.stream().filter(t -> t.type() == type).toList();
    }

    /** The first transform of {@code type}, or null. */
    public Transform first(int type) {
        return transforms.stream().filter(t -> t.type() == type).findFirst().orElse(null);
    }

    /** The SPI as an int (ESP and AH); fails if it is not 4 bytes. */
    public int spiAsInt() {
        if (spi.length != 4) {
            throw new IllegalStateException("SPI has " + spi.length + " bytes, not 4");
        }
        return (spi[0] & 0xFF) << 24 | (spi[1] & 0xFF) << 16 | (spi[2] & 0xFF) << 8 | spi[3] & 0xFF;
    }

    /** This proposal with another number and SPI (a responder's answer carries its own SPI). */
    public Proposal with(int newNumber, byte[] newSpi) {
        return new Proposal(newNumber, protocolId, newSpi, transforms);
    }

    /** Parses one proposal; {@code last} tells whether it must carry the "last" mark. */
    static Proposal parse(ByteReader in) throws IkeParseException {
        int mark = in.u8("proposal last-substructure");
        in.skip(1, "proposal reserved");
        int length = in.u16("proposal length");
        if (length < HEADER_LENGTH) {
            throw IkeParseException.syntax("proposal length " + length + " is shorter than its header");
        }
        boolean last = mark == LAST;
        if (mark != LAST && mark != MORE) {
            throw IkeParseException.syntax("proposal marked " + mark + ", neither last (0) nor more (2)");
        }
        ByteReader body = in.slice(length - 4, "proposal");
        if (last != in.isEmpty()) {
            throw IkeParseException.syntax(last ? "proposals follow the one marked last" : "last proposal is marked 'more'");
        }
        int number = body.u8("proposal number");
        int protocol = body.u8("protocol ID");
        int spiSize = body.u8("SPI size");
        int count = body.u8("number of transforms");
        byte[] spi = body.bytes(spiSize, "SPI");
        List<Transform> transforms = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            transforms.add(Transform.parse(body, i == count - 1));
        }
        body.expectEnd("proposal " + number);
        return new Proposal(number, protocol, spi, transforms);
    }

    /** Writes this proposal with the "last" or "more" mark. */
    void encode(ByteWriter out, boolean last) {
        int start = out.size();
        out.u8(last ? LAST : MORE).u8(0).u16(0).u8(number).u8(protocolId).u8(spi.length).u8(transforms.size()).bytes(spi);
        for (int i = 0; i < transforms.size(); i++) {
            transforms.get(i).encode(out, i == transforms.size() - 1);
        }
        out.putU16At(start + 2, out.size() - start);
    }

    @Override
    public String toString() {
        String protocol = switch (protocolId) {
            case Ike.PROTOCOL_IKE -> "IKE";
            case Ike.PROTOCOL_ESP -> "ESP";
            case Ike.PROTOCOL_AH -> "AH";
            default -> "PROTOCOL_" + protocolId;
        };
        return "#" + number + " " + protocol + (spi.length > 0 ? "(" + HexFormat.of().formatHex(spi) + ")" : "") + ":"
                + transforms.stream().map(Transform::toString).collect(Collectors.joining("/"));
    }
}
