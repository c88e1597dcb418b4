package io.steadfast.ike.payload;

import io.steadfast.ike.ByteReader;
import io.steadfast.ike.ByteWriter;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;

/**
 * One transform substructure (RFC 7296 3.3.2): type, ID and the Key Length attribute (3.3.5), 0 when
 * absent. A transform that carried any other attribute is marked {@code unknownAttributes}; selection
 * never picks it (3.3.6) and encoding drops those attributes.
 *
 * <pre>{@code
 * Transform aes = Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128);
 * }</pre>
 */
public record Transform(int type, int id, int keyLength, boolean unknownAttributes) {
    /** Bytes of the transform substructure before its attributes. */
    static final int HEADER_LENGTH = 8;
    private static final int LAST = 0;
    private static final int MORE = 3;

    /** Checks the field ranges. */
    public Transform {
        if (type < 0 || type > 0xFF || id < 0 || id > 0xFFFF || keyLength < 0 || keyLength > 0xFFFF) {
            throw new IllegalArgumentException("transform " + type + "/" + id + "/" + keyLength + " out of range");
        }
    }

    /** A transform without attributes. */
    public static Transform of(int type, int id) {
        return new Transform(type, id, 0, false);
    }

    /** A transform with a Key Length attribute in bits. */
    public static Transform of(int type, int id, int keyLength) {
        return new Transform(type, id, keyLength, false);
    }

    /** Same type, ID and key length (the {@code unknownAttributes} mark aside). */
    public boolean sameAlgorithm(Transform other) {
        return type == other.type && id == other.id && keyLength == other.keyLength;
    }

    /** Parses one transform; {@code last} tells whether it must carry the "last" mark. */
    static Transform parse(ByteReader in, boolean last) throws IkeParseException {
        int mark = in.u8("transform last-substructure");
        in.skip(1, "transform reserved");
        int length = in.u16("transform length");
        if (length < HEADER_LENGTH) {
            throw IkeParseException.syntax("transform length " + length + " is shorter than its header");
        }
        if (mark != (last ? LAST : MORE)) {
            throw IkeParseException.syntax("transform marked " + mark + " where " + (last ? LAST : MORE) + " belongs");
        }
        ByteReader body = in.slice(length - 4, "transform");
        int type = body.u8("transform type");
        body.skip(1, "transform reserved");
        int id = body.u16("transform ID");
        int keyLength = 0;
        boolean unknown = false;
        while (!body.isEmpty()) {
            int formatAndType = body.u16("attribute type");
            int attributeType = formatAndType & ~Ike.ATTRIBUTE_FORMAT_TV;
            boolean tv = (formatAndType & Ike.ATTRIBUTE_FORMAT_TV) != 0;
            if (tv) {
                int value = body.u16("attribute value");
                if (attributeType == Ike.ATTRIBUTE_KEY_LENGTH && keyLength == 0) {
                    keyLength = value;
                } else {
                    unknown = true;
                }
            } else {
                body.skip(body.u16("attribute length"), "attribute value");
                unknown = true;
            }
        }
        return new Transform(type, id, keyLength, unknown);
    }

    /** Writes this transform with the "last" mark or the "more" mark. */
    void encode(ByteWriter out, boolean last) {
        out.u8(last ? LAST : MORE).u8(0).u16(HEADER_LENGTH + (keyLength > 0 ? 4 : 0)).u8(type).u8(0).u16(id);
        if (keyLength > 0) {
            out.u16(Ike.ATTRIBUTE_FORMAT_TV | Ike.ATTRIBUTE_KEY_LENGTH).u16(keyLength);
        }
    }

    @Override
    public String toString() {
        return Ike.transformName(type, id) + (keyLength > 0 ? "_" + keyLength : "") + (unknownAttributes ? "(+attrs)" : "");
    }
}
