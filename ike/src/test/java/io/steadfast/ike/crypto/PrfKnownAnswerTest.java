package io.steadfast.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Hex;
import io.steadfast.ike.Ike;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 4231 HMAC-SHA-2 test cases 1, 2, 3, 4, 6 and 7 through {@link PrfAlgorithm}. */
class PrfKnownAnswerTest {
    static byte[] repeat(int value, int count) {
        byte[] b = new byte[count];
        Arrays.fill(b, (byte) value);
        return b;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static final byte[] KEY_6_7 = repeat(0xaa, 131);

    static Stream<Arguments> rfc4231() {
        byte[] key1 = repeat(0x0b, 20);
        byte[] data1 = ascii("Hi There");
        byte[] key2 = ascii("Jefe");
        byte[] data2 = ascii("what do ya want for nothing?");
        byte[] key3 = repeat(0xaa, 20);
        byte[] data3 = repeat(0xdd, 50);
        byte[] key4 = Hex.bytes("0102030405060708090a0b0c0d0e0f10111213141516171819");
        byte[] data4 = repeat(0xcd, 50);
        byte[] data6 = ascii("Test Using Larger Than Block-Size Key - Hash Key First");
        byte[] data7 = ascii("This is a test using a larger than block-size key and a larger than block-size data."
                + " The key needs to be hashed before being used by the HMAC algorithm.");
        return Stream.of(
                Arguments.of("1", PrfAlgorithm.HMAC_SHA2_256, key1, data1,
                        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
                Arguments.of("1", PrfAlgorithm.HMAC_SHA2_384, key1, data1,
                        "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"),
                Arguments.of("1", PrfAlgorithm.HMAC_SHA2_512, key1, data1,
                        "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                                + "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
                Arguments.of("2", PrfAlgorithm.HMAC_SHA2_256, key2, data2,
                        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                Arguments.of("2", PrfAlgorithm.HMAC_SHA2_384, key2, data2,
                        "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"),
                Arguments.of("2", PrfAlgorithm.HMAC_SHA2_512, key2, data2,
                        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                                + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
                Arguments.of("3", PrfAlgorithm.HMAC_SHA2_256, key3, data3,
                        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
                Arguments.of("3", PrfAlgorithm.HMAC_SHA2_384, key3, data3,
                        "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27"),
                Arguments.of("3", PrfAlgorithm.HMAC_SHA2_512, key3, data3,
                        "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
                                + "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"),
                Arguments.of("4", PrfAlgorithm.HMAC_SHA2_256, key4, data4,
                        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
                Arguments.of("6", PrfAlgorithm.HMAC_SHA2_256, KEY_6_7, data6,
                        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
                Arguments.of("6", PrfAlgorithm.HMAC_SHA2_384, KEY_6_7, data6,
                        "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952"),
                Arguments.of("6", PrfAlgorithm.HMAC_SHA2_512, KEY_6_7, data6,
                        "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
                                + "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
                Arguments.of("7", PrfAlgorithm.HMAC_SHA2_256, KEY_6_7, data7,
                        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
                Arguments.of("7", PrfAlgorithm.HMAC_SHA2_384, KEY_6_7, data7,
                        "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e"),
                Arguments.of("7", PrfAlgorithm.HMAC_SHA2_512, KEY_6_7, data7,
                        "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
                                + "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"));
    }

    @ParameterizedTest(name = "test case {0}, {1}")
    @MethodSource("rfc4231")
    void rfc4231(String testCase, PrfAlgorithm prf, byte[] key, byte[] data, String expected) {
        assertThat(Hex.of(prf.compute(key, data))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "test case {0}, {1}")
    @MethodSource("rfc4231")
    void dataMayComeInPieces(String testCase, PrfAlgorithm prf, byte[] key, byte[] data, String expected) {
        byte[] head = Arrays.copyOf(data, data.length / 2);
        byte[] tail = Arrays.copyOfRange(data, data.length / 2, data.length);
        assertThat(Hex.of(prf.compute(key, head, new byte[0], tail))).isEqualTo(expected);
    }

    @Test
    void propertiesOfTheAlgorithms() {
        assertThat(PrfAlgorithm.HMAC_SHA2_256.outputLength()).isEqualTo(32);
        assertThat(PrfAlgorithm.HMAC_SHA2_384.outputLength()).isEqualTo(48);
        assertThat(PrfAlgorithm.HMAC_SHA2_512.outputLength()).isEqualTo(64);
        assertThat(PrfAlgorithm.byId(Ike.PRF_HMAC_SHA2_384)).isEqualTo(PrfAlgorithm.HMAC_SHA2_384);
        assertThat(PrfAlgorithm.byId(Ike.PRF_HMAC_SHA1)).isNull();
        assertThat(PrfAlgorithm.HMAC_SHA2_512.transform().id()).isEqualTo(Ike.PRF_HMAC_SHA2_512);
        assertThat(PrfAlgorithm.HMAC_SHA2_256.keyword()).isEqualTo("prfsha256");
    }

    @Test
    void emptyKeyIsRefused() {
        assertThatThrownBy(() -> PrfAlgorithm.HMAC_SHA2_256.compute(new byte[0], new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
