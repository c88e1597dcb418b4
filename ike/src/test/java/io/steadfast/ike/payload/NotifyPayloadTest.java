package io.steadfast.ike.payload;

import static io.steadfast.ike.payload.Payloads.assertRoundTrip;
import static io.steadfast.ike.payload.Payloads.failure;
import static io.steadfast.ike.payload.Payloads.parseBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Hex;
import io.steadfast.ike.Ike;
import org.junit.jupiter.api.Test;

class NotifyPayloadTest {
    @Test
    void invalidKePayloadCarriesTheGroup() throws Exception {
        NotifyPayload n = NotifyPayload.invalidKePayload(Ike.DH_ECP_256);
        assertRoundTrip(n, "00 00 0011 0013");
        assertThat(n.invalidKeGroup()).isEqualTo(19);
        assertThat(n.isError()).isTrue();
        assertThat(n.toString()).isEqualTo("N(INVALID_KE_PAYLOAD, 0013)");
    }

    @Test
    void invalidKePayloadWithoutTwoBytesIsInvalidSyntax() throws Exception {
        NotifyPayload n = (NotifyPayload) parseBody(Ike.PAYLOAD_NOTIFY, "00 00 0011 13");
        assertThatThrownBy(n::invalidKeGroup).hasMessageContaining("1 data bytes");
    }

    @Test
    void cookieRoundTrips() throws Exception {
        NotifyPayload cookie = NotifyPayload.of(Ike.NOTIFY_COOKIE, Hex.bytes("0123456789abcdef"));
        assertRoundTrip(cookie, "00 00 4006 0123456789abcdef");
        assertThat(cookie.isError()).isFalse();
    }

    @Test
    void statusNotifiesWithoutData() throws Exception {
        int[] types = {Ike.NOTIFY_INITIAL_CONTACT, Ike.NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED, Ike.NOTIFY_USE_TRANSPORT_MODE,
                Ike.NOTIFY_ESP_TFC_PADDING_NOT_SUPPORTED, Ike.NOTIFY_MOBIKE_SUPPORTED};
        String[] hex = {"4000", "402e", "4007", "400a", "400c"};
        for (int i = 0; i < types.length; i++) {
            assertRoundTrip(NotifyPayload.of(types[i]), "00 00 " + hex[i]);
        }
    }

    @Test
    void errorNotifiesWithoutData() throws Exception {
        assertRoundTrip(NotifyPayload.of(Ike.NOTIFY_NO_PROPOSAL_CHOSEN), "00 00 000e");
        assertRoundTrip(NotifyPayload.of(Ike.NOTIFY_AUTHENTICATION_FAILED), "00 00 0018");
        assertRoundTrip(NotifyPayload.of(Ike.NOTIFY_TS_UNACCEPTABLE), "00 00 0026");
        assertThat(NotifyPayload.of(Ike.NOTIFY_AUTHENTICATION_FAILED).isError()).isTrue();
    }

    @Test
    void natDetectionRoundTrips() throws Exception {
        byte[] hash = Hex.bytes("9cdaf8713cea81e287d3c0bacb7db468691dfe58");
        assertRoundTrip(NotifyPayload.of(Ike.NOTIFY_NAT_DETECTION_SOURCE_IP, hash), "00 00 4004 " + Hex.of(hash));
        assertRoundTrip(NotifyPayload.of(Ike.NOTIFY_NAT_DETECTION_DESTINATION_IP, hash), "00 00 4005 " + Hex.of(hash));
    }

    @Test
    void signatureHashAlgorithms() throws Exception {
        NotifyPayload n = NotifyPayload.signatureHashAlgorithms(Ike.HASH_SHA2_256, Ike.HASH_SHA2_384, Ike.HASH_SHA2_512);
        assertRoundTrip(n, "00 00 402f 0002 0003 0004");
        assertThat(n.hashAlgorithms()).containsExactly(2, 3, 4);
        NotifyPayload odd = NotifyPayload.of(Ike.NOTIFY_SIGNATURE_HASH_ALGORITHMS, new byte[3]);
        assertThatThrownBy(odd::hashAlgorithms).hasMessageContaining("odd length");
    }

    @Test
    void espSpiNotifyRoundTrips() throws Exception {
        NotifyPayload rekey = NotifyPayload.forEsp(Ike.NOTIFY_REKEY_SA, 0xc0ffee01, new byte[0]);
        assertRoundTrip(rekey, "03 04 4009 c0ffee01");
        assertThat(rekey.protocolId()).isEqualTo(Ike.PROTOCOL_ESP);
        assertThat(rekey.toString()).isEqualTo("N(REKEY_SA, spi c0ffee01)");
    }

    @Test
    void unknownTypesParseGenerically() throws Exception {
        NotifyPayload n = (NotifyPayload) parseBody(Ike.PAYLOAD_NOTIFY, "01 08 9999 0102030405060708 ab");
        assertThat(n.notifyType()).isEqualTo(0x9999);
        assertThat(n.spi()).hasSize(8);
        assertThat(n.data()).containsExactly(0xab);
        assertThat(n.toString()).contains("STATUS_39321");
        assertThat(NotifyPayload.of(99).toString()).contains("ERROR_99");
    }

    @Test
    void truncatedNotifyIsInvalidSyntax() {
        assertThat(failure(Ike.PAYLOAD_NOTIFY, "00 00 40")).hasMessageContaining("notify type");
        assertThat(failure(Ike.PAYLOAD_NOTIFY, "00 04 4009 c0ff")).hasMessageContaining("notify SPI: needs 4");
        assertThat(failure(Ike.PAYLOAD_NOTIFY, "")).hasMessageContaining("notify protocol ID");
    }

    @Test
    void constructorChecksRanges() {
        assertThatThrownBy(() -> NotifyPayload.of(0x10000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NotifyPayload(0, new byte[256], 1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
