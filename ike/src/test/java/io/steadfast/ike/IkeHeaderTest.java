package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IkeHeaderTest {
    static final String HEADER = """
            0102030405060708 a1a2a3a4a5a6a7a8   # SPIi, SPIr
            2e 20 23 20 00000001 0000001c      # next SK, 2.0, IKE_AUTH, Response, message 1, 28 bytes
            """;

    @Test
    void parsesEveryField() throws Exception {
        IkeHeader header = IkeHeader.parse(Hex.bytes(HEADER));
        assertThat(header.initiatorSpi()).isEqualTo(0x0102030405060708L);
        assertThat(header.responderSpi()).isEqualTo(0xa1a2a3a4a5a6a7a8L);
        assertThat(header.nextPayload()).isEqualTo(Ike.PAYLOAD_SK);
        assertThat(header.majorVersion()).isEqualTo(2);
        assertThat(header.minorVersion()).isZero();
        assertThat(header.exchangeType()).isEqualTo(Ike.EXCHANGE_IKE_AUTH);
        assertThat(header.isResponse()).isTrue();
        assertThat(header.isInitiator()).isFalse();
        assertThat(header.messageId()).isEqualTo(1);
        assertThat(header.length()).isEqualTo(28);
    }

    @Test
    void encodesToTheSameBytes() throws Exception {
        byte[] wire = Hex.bytes(HEADER);
        assertThat(IkeHeader.parse(wire).toBytes()).isEqualTo(wire);
    }

    @Test
    void ofBuildsVersionTwoZero() {
        IkeHeader header = IkeHeader.of(1, 2, Ike.EXCHANGE_INFORMATIONAL, Ike.FLAG_INITIATOR, 7);
        assertThat(Hex.of(header.toBytes())).isEqualTo("0000000000000001" + "0000000000000002" + "00" + "20" + "25" + "08"
                + "00000007" + "0000001c");
    }

    @Test
    void flagsAreIndependent() {
        IkeHeader both = IkeHeader.of(1, 2, Ike.EXCHANGE_INFORMATIONAL, Ike.FLAG_INITIATOR | Ike.FLAG_RESPONSE, 0);
        assertThat(both.isInitiator()).isTrue();
        assertThat(both.isResponse()).isTrue();
        IkeHeader none = IkeHeader.of(1, 2, Ike.EXCHANGE_INFORMATIONAL, 0, 0);
        assertThat(none.isInitiator()).isFalse();
        assertThat(none.isResponse()).isFalse();
    }

    @Test
    void messageIdIsUnsigned() throws Exception {
        byte[] wire = Hex.bytes(HEADER);
        wire[20] = (byte) 0xff;
        wire[21] = (byte) 0xff;
        wire[22] = (byte) 0xff;
        wire[23] = (byte) 0xfe;
        IkeHeader header = IkeHeader.parse(wire);
        assertThat(Integer.toUnsignedLong(header.messageId())).isEqualTo(0xfffffffeL);
        assertThat(header.toString()).contains("4294967294");
    }

    @Test
    void minorVersionIsAccepted() throws Exception {
        byte[] wire = Hex.bytes(HEADER);
        wire[17] = 0x21;
        assertThat(IkeHeader.parse(wire).minorVersion()).isEqualTo(1);
    }

    @Test
    void higherMajorVersionIsInvalidMajorVersion() {
        byte[] wire = Hex.bytes(HEADER);
        wire[17] = 0x30;
        assertThatThrownBy(() -> IkeHeader.parse(wire)).isInstanceOf(IkeParseException.class)
                .satisfies(e -> assertThat(((IkeParseException) e).notifyType()).isEqualTo(Ike.NOTIFY_INVALID_MAJOR_VERSION));
    }

    @Test
    void ikev1IsRefusedToo() {
        byte[] wire = Hex.bytes(HEADER);
        wire[17] = 0x10;
        assertThatThrownBy(() -> IkeHeader.parse(wire))
                .satisfies(e -> assertThat(((IkeParseException) e).notifyType()).isEqualTo(Ike.NOTIFY_INVALID_MAJOR_VERSION));
    }

    @Test
    void shorterThanAHeaderIsInvalidSyntax() {
        for (int length = 0; length < Ike.HEADER_LENGTH; length++) {
            byte[] wire = Arrays.copyOf(Hex.bytes(HEADER), length);
            assertThatThrownBy(() -> IkeHeader.parse(wire)).isInstanceOf(IkeParseException.class)
                    .satisfies(e -> assertThat(((IkeParseException) e).notifyType()).isEqualTo(Ike.NOTIFY_INVALID_SYNTAX));
        }
    }

    @Test
    void lengthFieldMustMatchTheDatagram() {
        byte[] longer = Arrays.copyOf(Hex.bytes(HEADER), 29);
        assertThatThrownBy(() -> IkeHeader.parse(longer)).hasMessageContaining("header length 28 but the message has 29");
        byte[] claimsMore = Hex.bytes(HEADER);
        claimsMore[27] = 0x40;
        assertThatThrownBy(() -> IkeHeader.parse(claimsMore)).hasMessageContaining("header length 64");
        byte[] claimsHuge = Hex.bytes(HEADER);
        claimsHuge[24] = (byte) 0x80;
        assertThatThrownBy(() -> IkeHeader.parse(claimsHuge)).hasMessageContaining("2147483676");
    }

    @Test
    void withReplacesNextPayloadAndLength() {
        IkeHeader header = IkeHeader.of(1, 2, Ike.EXCHANGE_IKE_SA_INIT, Ike.FLAG_INITIATOR, 0).with(Ike.PAYLOAD_SA, 300);
        assertThat(header.nextPayload()).isEqualTo(Ike.PAYLOAD_SA);
        assertThat(header.length()).isEqualTo(300);
        assertThat(header.exchangeType()).isEqualTo(Ike.EXCHANGE_IKE_SA_INIT);
    }

    @Test
    void constructorRejectsOversizedFields() {
        assertThatThrownBy(() -> new IkeHeader(0, 0, 256, 2, 0, 34, 0, 0, 28)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IkeHeader(0, 0, 0, 16, 0, 34, 0, 0, 28)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IkeHeader(0, 0, 0, 2, 0, 34, 0x100, 0, 28)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringReadsLikeALogLine() throws Exception {
        assertThat(IkeHeader.parse(Hex.bytes(HEADER)).toString())
                .isEqualTo("IKE_AUTH response 1 [0102030405060708_i a1a2a3a4a5a6a7a8_r, 28 bytes]");
    }
}
