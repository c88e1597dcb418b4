package io.steadfast.ike.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Hex;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadChainTest {
    /** N(INITIAL_CONTACT) then V(cafe). */
    static final String TWO = """
            2b 00 0008  00 00 4000          # N, next V, length 8, INITIAL_CONTACT
            00 00 0006  cafe                # V, last, length 6
            """;

    static List<Payload> parse(String hex, int first, boolean outer) throws IkeParseException {
        byte[] bytes = Hex.bytes(hex);
        return PayloadChain.parse(bytes, 0, bytes.length, first, outer);
    }

    static IkeParseException failure(String hex, int first) {
        try {
            parse(hex, first, true);
        } catch (IkeParseException e) {
            return e;
        }
        throw new AssertionError("parsed: " + hex);
    }

    @Test
    void walksTheChain() throws Exception {
        List<Payload> payloads = parse(TWO, Ike.PAYLOAD_NOTIFY, false);
        assertThat(payloads).hasSize(2);
        assertThat(((NotifyPayload) payloads.get(0)).notifyType()).isEqualTo(Ike.NOTIFY_INITIAL_CONTACT);
        assertThat(((VendorIdPayload) payloads.get(1)).vendorId()).isEqualTo(Hex.bytes("cafe"));
    }

    @Test
    void encodesTheSameChain() throws Exception {
        assertThat(Hex.of(PayloadChain.encode(parse(TWO, Ike.PAYLOAD_NOTIFY, false)))).isEqualTo(Hex.of(Hex.bytes(TWO)));
    }

    @Test
    void emptyChainIsFine() throws Exception {
        assertThat(parse("", Ike.PAYLOAD_NONE, false)).isEmpty();
        assertThat(PayloadChain.encode(List.of())).isEmpty();
        assertThat(PayloadChain.firstType(List.of())).isEqualTo(Ike.PAYLOAD_NONE);
    }

    @Test
    void lengthShorterThanTheGenericHeaderIsInvalidSyntax() {
        for (String length : new String[] {"0000", "0001", "0003"}) {
            IkeParseException e = failure("00 00 " + length + " 00000000", Ike.PAYLOAD_VENDOR_ID);
            assertThat(e.notifyType()).isEqualTo(Ike.NOTIFY_INVALID_SYNTAX);
            assertThat(e).hasMessageContaining("< 4");
        }
    }

    @Test
    void lengthBeyondTheMessageIsInvalidSyntax() {
        IkeParseException e = failure("00 00 0009 cafe", Ike.PAYLOAD_VENDOR_ID);
        assertThat(e.notifyType()).isEqualTo(Ike.NOTIFY_INVALID_SYNTAX);
        assertThat(e).hasMessageContaining("runs past the message");
        assertThat(failure("00 00 ffff cafe", Ike.PAYLOAD_VENDOR_ID)).hasMessageContaining("runs past");
    }

    @Test
    void bytesAfterTheLastPayloadAreInvalidSyntax() {
        IkeParseException e = failure("00 00 0006 cafe 00", Ike.PAYLOAD_VENDOR_ID);
        assertThat(e.notifyType()).isEqualTo(Ike.NOTIFY_INVALID_SYNTAX);
        assertThat(e).hasMessageContaining("trailing");
        assertThat(failure("00", Ike.PAYLOAD_NONE)).hasMessageContaining("trailing");
    }

    @Test
    void announcedPayloadMissingIsInvalidSyntax() {
        assertThat(failure("2b 00 0006 cafe", Ike.PAYLOAD_VENDOR_ID)).hasMessageContaining("VENDOR_ID payload announced but only 0");
        assertThat(failure("2b 00 0006 cafe 00 00", Ike.PAYLOAD_VENDOR_ID)).hasMessageContaining("only 2 bytes left");
        assertThat(failure("", Ike.PAYLOAD_SA)).hasMessageContaining("SA payload announced");
    }

    @Test
    void bodyLongerThanItsFieldsIsInvalidSyntax() {
        // A KE... no: a Delete of the IKE SA with one extra byte inside its length.
        assertThat(failure("00 00 0009 01 00 0000 ff", Ike.PAYLOAD_DELETE)).hasMessageContaining("trailing");
    }

    @Test
    void unknownNonCriticalPayloadsAreSkipped() throws Exception {
        String hex = """
                30 00 0008 01020304     # type 60 (unknown), next EAP, not critical
                2b 00 0005 ff           # EAP (unknown to us), next V, not critical
                00 00 0006 cafe         # V
                """;
        List<Payload> payloads = parse(hex, 60, false);
        assertThat(payloads).singleElement().isInstanceOf(VendorIdPayload.class);
    }

    @Test
    void unknownCriticalPayloadIsUnsupportedCriticalPayloadWithItsType() {
        IkeParseException e = failure("""
                3c 80 0008 01020304     # type 60 is critical and unknown
                00 00 0006 cafe
                """, 61);
        assertThat(e.notifyType()).isEqualTo(Ike.NOTIFY_UNSUPPORTED_CRITICAL_PAYLOAD);
        assertThat(e.notifyData()).containsExactly(61);
        assertThat(e.shouldAnswer()).isTrue();
        assertThat(e).hasMessageContaining("61");
    }

    @Test
    void criticalBitOnKnownPayloadsIsIgnored() throws Exception {
        List<Payload> payloads = parse("00 80 0006 cafe", Ike.PAYLOAD_VENDOR_ID, false);
        assertThat(payloads).singleElement().isInstanceOf(VendorIdPayload.class);
    }

    @Test
    void reservedBitsOfTheCriticalByteAreIgnored() throws Exception {
        assertThat(parse("00 7f 0006 cafe", Ike.PAYLOAD_VENDOR_ID, false)).hasSize(1);
    }

    @Test
    void encryptedPayloadEndsTheOuterChain() throws Exception {
        String hex = """
                2e 00 0006 cafe      # V, next SK
                29 00 0008 01020304  # SK, first inner payload N, sealed body 01020304
                """;
        List<Payload> payloads = parse(hex, Ike.PAYLOAD_VENDOR_ID, true);
        assertThat(payloads).hasSize(2);
        EncryptedPayload sk = (EncryptedPayload) payloads.get(1);
        assertThat(sk.firstInnerType()).isEqualTo(Ike.PAYLOAD_NOTIFY);
        assertThat(sk.sealed()).isEqualTo(Hex.bytes("01020304"));
        assertThat(sk.bodyOffset()).isEqualTo(10);
    }

    @Test
    void encryptedPayloadMustBeLast() {
        assertThat(failure("""
                2e 00 0006 cafe
                29 00 0008 01020304
                00 00 0006 cafe      # anything after SK
                """, Ike.PAYLOAD_VENDOR_ID)).hasMessageContaining("SK payload is not the last");
    }

    @Test
    void encryptedPayloadsNeverNest() {
        assertThatThrownBy(() -> parse("00 00 0008 01020304", Ike.PAYLOAD_SK, false))
                .hasMessageContaining("inside an encrypted payload");
        assertThatThrownBy(() -> parse("00 00 000c 0001 0002 01020304", Ike.PAYLOAD_SKF, false))
                .hasMessageContaining("inside an encrypted payload");
    }

    @Test
    void fragmentPayloadParses() throws Exception {
        List<Payload> payloads = parse("23 00 000c 0001 0003 a1a2a3a4", Ike.PAYLOAD_SKF, true);
        EncryptedFragmentPayload skf = (EncryptedFragmentPayload) payloads.get(0);
        assertThat(skf.firstInnerType()).isEqualTo(Ike.PAYLOAD_IDI);
        assertThat(skf.fragmentNumber()).isEqualTo(1);
        assertThat(skf.totalFragments()).isEqualTo(3);
        assertThat(skf.bodyOffset()).isEqualTo(8);
        assertThat(skf.sealed()).isEqualTo(Hex.bytes("a1a2a3a4"));
        assertThat(Hex.of(PayloadChain.encode(payloads))).isEqualTo("2300000c00010003a1a2a3a4");
    }

    @Test
    void fragmentPayloadShorterThanItsNumbersIsInvalidSyntax() {
        assertThat(failure("00 00 0006 0001", Ike.PAYLOAD_SKF)).hasMessageContaining("total fragments");
    }

    @Test
    void encodeRefusesEncryptedPayloadsBeforeOthers() {
        EncryptedPayload sk = new EncryptedPayload(Ike.PAYLOAD_NOTIFY, 0, new byte[4]);
        assertThatThrownBy(() -> PayloadChain.encode(List.of(sk, new VendorIdPayload(new byte[1]))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void knownTypes() {
        assertThat(PayloadChain.isKnown(Ike.PAYLOAD_SA)).isTrue();
        assertThat(PayloadChain.isKnown(Ike.PAYLOAD_SKF)).isTrue();
        assertThat(PayloadChain.isKnown(Ike.PAYLOAD_EAP)).isFalse();
        assertThat(PayloadChain.isKnown(0)).isFalse();
        assertThat(PayloadChain.isKnown(200)).isFalse();
    }

    @Test
    void errorsInsideAPayloadBodyNameThePayload() {
        assertThat(failure("00 00 0005 00", Ike.PAYLOAD_KE)).hasMessageContaining("KE group");
    }
}
