package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The constants against IANA's IKEv2 registries, written out again here, and the names for log lines. */
class IkeConstantsTest {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            // exchange types
            "EXCHANGE_IKE_SA_INIT, 34", "EXCHANGE_IKE_AUTH, 35", "EXCHANGE_CREATE_CHILD_SA, 36", "EXCHANGE_INFORMATIONAL, 37",
            "EXCHANGE_IKE_INTERMEDIATE, 43",
            // payload types
            "PAYLOAD_SA, 33", "PAYLOAD_KE, 34", "PAYLOAD_IDI, 35", "PAYLOAD_IDR, 36", "PAYLOAD_CERT, 37", "PAYLOAD_CERTREQ, 38",
            "PAYLOAD_AUTH, 39", "PAYLOAD_NONCE, 40", "PAYLOAD_NOTIFY, 41", "PAYLOAD_DELETE, 42", "PAYLOAD_VENDOR_ID, 43",
            "PAYLOAD_TSI, 44", "PAYLOAD_TSR, 45", "PAYLOAD_SK, 46", "PAYLOAD_CP, 47", "PAYLOAD_EAP, 48", "PAYLOAD_SKF, 53",
            // transform types and IDs
            "TRANSFORM_ENCR, 1", "TRANSFORM_PRF, 2", "TRANSFORM_INTEG, 3", "TRANSFORM_DH, 4", "TRANSFORM_ESN, 5",
            "ENCR_NULL, 11", "ENCR_AES_CBC, 12", "ENCR_AES_GCM_16, 20", "ENCR_CHACHA20_POLY1305, 28",
            "PRF_HMAC_SHA1, 2", "PRF_HMAC_SHA2_256, 5", "PRF_HMAC_SHA2_384, 6", "PRF_HMAC_SHA2_512, 7",
            "INTEG_HMAC_SHA1_96, 2", "INTEG_HMAC_SHA2_256_128, 12", "INTEG_HMAC_SHA2_384_192, 13", "INTEG_HMAC_SHA2_512_256, 14",
            "DH_MODP_2048, 14", "DH_MODP_3072, 15", "DH_ECP_256, 19", "DH_ECP_384, 20", "DH_CURVE25519, 31", "DH_CURVE448, 32",
            "ATTRIBUTE_KEY_LENGTH, 14",
            // notify types
            "NOTIFY_UNSUPPORTED_CRITICAL_PAYLOAD, 1", "NOTIFY_INVALID_IKE_SPI, 4", "NOTIFY_INVALID_MAJOR_VERSION, 5",
            "NOTIFY_INVALID_SYNTAX, 7", "NOTIFY_INVALID_MESSAGE_ID, 9", "NOTIFY_INVALID_SPI, 11", "NOTIFY_NO_PROPOSAL_CHOSEN, 14",
            "NOTIFY_INVALID_KE_PAYLOAD, 17", "NOTIFY_AUTHENTICATION_FAILED, 24", "NOTIFY_SINGLE_PAIR_REQUIRED, 34",
            "NOTIFY_NO_ADDITIONAL_SAS, 35", "NOTIFY_INTERNAL_ADDRESS_FAILURE, 36", "NOTIFY_FAILED_CP_REQUIRED, 37",
            "NOTIFY_TS_UNACCEPTABLE, 38", "NOTIFY_INVALID_SELECTORS, 39", "NOTIFY_TEMPORARY_FAILURE, 43",
            "NOTIFY_CHILD_SA_NOT_FOUND, 44", "NOTIFY_INITIAL_CONTACT, 16384", "NOTIFY_SET_WINDOW_SIZE, 16385",
            "NOTIFY_ADDITIONAL_TS_POSSIBLE, 16386", "NOTIFY_IPCOMP_SUPPORTED, 16387", "NOTIFY_NAT_DETECTION_SOURCE_IP, 16388",
            "NOTIFY_NAT_DETECTION_DESTINATION_IP, 16389", "NOTIFY_COOKIE, 16390", "NOTIFY_USE_TRANSPORT_MODE, 16391",
            "NOTIFY_HTTP_CERT_LOOKUP_SUPPORTED, 16392", "NOTIFY_REKEY_SA, 16393", "NOTIFY_ESP_TFC_PADDING_NOT_SUPPORTED, 16394",
            "NOTIFY_NON_FIRST_FRAGMENTS_ALSO, 16395", "NOTIFY_MOBIKE_SUPPORTED, 16396", "NOTIFY_ADDITIONAL_IP4_ADDRESS, 16397",
            "NOTIFY_NO_ADDITIONAL_ADDRESSES, 16399", "NOTIFY_UPDATE_SA_ADDRESSES, 16400", "NOTIFY_COOKIE2, 16401",
            "NOTIFY_MULTIPLE_AUTH_SUPPORTED, 16404", "NOTIFY_REDIRECT_SUPPORTED, 16406", "NOTIFY_EAP_ONLY_AUTHENTICATION, 16417",
            "NOTIFY_CHILDLESS_IKEV2_SUPPORTED, 16418", "NOTIFY_IKEV2_MESSAGE_ID_SYNC_SUPPORTED, 16420",
            "NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED, 16430", "NOTIFY_SIGNATURE_HASH_ALGORITHMS, 16431",
            "NOTIFY_INTERMEDIATE_EXCHANGE_SUPPORTED, 16438",
            // identification, certificates, authentication, selectors, configuration
            "ID_IPV4_ADDR, 1", "ID_FQDN, 2", "ID_RFC822_ADDR, 3", "ID_IPV6_ADDR, 5", "ID_DER_ASN1_DN, 9", "ID_DER_ASN1_GN, 10",
            "ID_KEY_ID, 11", "CERT_X509_SIGNATURE, 4", "CERT_CRL, 7", "CERT_HASH_AND_URL_X509, 12",
            "AUTH_RSA_SIGNATURE, 1", "AUTH_SHARED_KEY_MIC, 2", "AUTH_DSS_SIGNATURE, 3", "AUTH_ECDSA_SHA256_P256, 9",
            "AUTH_DIGITAL_SIGNATURE, 14", "HASH_SHA1, 1", "HASH_SHA2_256, 2", "HASH_SHA2_384, 3", "HASH_SHA2_512, 4",
            "HASH_IDENTITY, 5", "TS_IPV4_ADDR_RANGE, 7", "TS_IPV6_ADDR_RANGE, 8", "CFG_REQUEST, 1", "CFG_REPLY, 2",
            "CFG_SET, 3", "CFG_ACK, 4", "ATTR_INTERNAL_IP4_ADDRESS, 1", "ATTR_INTERNAL_IP4_NETMASK, 2",
            "ATTR_INTERNAL_IP4_DNS, 3", "ATTR_INTERNAL_IP6_ADDRESS, 8", "ATTR_INTERNAL_IP4_SUBNET, 13",
            "PROTOCOL_IKE, 1", "PROTOCOL_AH, 2", "PROTOCOL_ESP, 3",
            // header
            "HEADER_LENGTH, 28", "GENERIC_HEADER_LENGTH, 4", "FLAG_INITIATOR, 8", "FLAG_VERSION, 16", "FLAG_RESPONSE, 32",
            "CRITICAL_BIT, 128"})
    void matchesIana(String name, int value) throws Exception {
        assertThat(Ike.class.getField(name).getInt(null)).isEqualTo(value);
    }

    @Test
    void namesWithinAGroupAreUnique() throws Exception {
        for (String prefix : new String[] {"EXCHANGE_", "PAYLOAD_", "NOTIFY_", "TRANSFORM_", "ENCR_", "PRF_", "INTEG_", "DH_", "ID_",
                "AUTH_", "HASH_", "CFG_", "ATTR_"}) {
            Map<Integer, String> seen = new HashMap<>();
            for (Field f : Ike.class.getFields()) {
                if (f.getName().startsWith(prefix) && Modifier.isStatic(f.getModifiers()) && !f.getName().equals("NOTIFY_FIRST_STATUS")) {
                    String previous = seen.put(f.getInt(null), f.getName());
                    assertThat(previous).as("%s and %s", previous, f.getName()).isNull();
                }
            }
        }
    }

    @Test
    void logNames() {
        assertThat(Ike.exchangeName(Ike.EXCHANGE_IKE_SA_INIT)).isEqualTo("IKE_SA_INIT");
        assertThat(Ike.exchangeName(99)).isEqualTo("EXCHANGE_99");
        assertThat(Ike.payloadName(Ike.PAYLOAD_SKF)).isEqualTo("SKF");
        assertThat(Ike.payloadName(Ike.PAYLOAD_NONE)).isEqualTo("NONE");
        assertThat(Ike.payloadName(4)).isEqualTo("PAYLOAD_4");
        assertThat(Ike.notifyName(Ike.NOTIFY_INVALID_KE_PAYLOAD)).isEqualTo("INVALID_KE_PAYLOAD");
        assertThat(Ike.notifyName(Ike.NOTIFY_INITIAL_CONTACT)).isEqualTo("INITIAL_CONTACT");
        assertThat(Ike.notifyName(12345)).isEqualTo("ERROR_12345");
        assertThat(Ike.notifyName(40000)).isEqualTo("STATUS_40000");
        assertThat(Ike.transformTypeName(Ike.TRANSFORM_DH)).isEqualTo("DH");
        assertThat(Ike.transformName(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16)).isEqualTo("AES_GCM_16");
        assertThat(Ike.transformName(Ike.TRANSFORM_DH, Ike.DH_CURVE25519)).isEqualTo("CURVE25519");
        assertThat(Ike.transformName(Ike.TRANSFORM_DH, Ike.DH_NONE)).isEqualTo("NONE");
        assertThat(Ike.transformName(Ike.TRANSFORM_INTEG, Ike.INTEG_NONE)).isEqualTo("NONE");
        assertThat(Ike.transformName(Ike.TRANSFORM_ESN, Ike.ESN_YES)).isEqualTo("YES");
        assertThat(Ike.transformName(Ike.TRANSFORM_PRF, 99)).isEqualTo("PRF_99");
        assertThat(Ike.transformName(9, 1)).isEqualTo("TRANSFORM_9_1");
    }

    @Test
    void errorsAreBelowTheFirstStatus() {
        assertThat(Ike.isError(Ike.NOTIFY_AUTHENTICATION_FAILED)).isTrue();
        assertThat(Ike.isError(16383)).isTrue();
        assertThat(Ike.isError(Ike.NOTIFY_INITIAL_CONTACT)).isFalse();
        assertThat(Ike.isError(0)).isFalse();
    }

    @Test
    void parseExceptionCarriesItsAnswer() {
        IkeParseException e = new IkeParseException(Ike.NOTIFY_UNSUPPORTED_CRITICAL_PAYLOAD, new byte[] {60}, "type 60");
        assertThat(e.notifyType()).isEqualTo(1);
        assertThat(e.notifyData()).containsExactly(60);
        assertThat(e.shouldAnswer()).isTrue();
        assertThat(e.getMessage()).isEqualTo("UNSUPPORTED_CRITICAL_PAYLOAD: type 60");
        byte[] data = e.notifyData();
        data[0] = 0;
        assertThat(e.notifyData()).containsExactly(60);
        IkeParseException drop = IkeParseException.silent("bad ICV");
        assertThat(drop.shouldAnswer()).isFalse();
        assertThat(drop.getMessage()).isEqualTo("drop: bad ICV");
        assertThat(IkeParseException.syntax("x").notifyType()).isEqualTo(Ike.NOTIFY_INVALID_SYNTAX);
        assertThat(IkeParseException.syntax("x").notifyData()).isEmpty();
    }
}
