package io.steadfast.ike.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Hex;
import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.AuthPayload;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7427 and the classic signature methods: each key kind signs, verifies, and refuses what it should. */
class SignatureAuthenticatorTest {
    static final byte[] OCTETS = "RealMessage1 | NonceRData | prf(SK_pi, IDi')".getBytes(StandardCharsets.US_ASCII);
    static final KeyPair RSA = TestPki.keys("RSA", 2048);
    static final KeyPair P256 = TestPki.keys("EC", 256);
    static final KeyPair P384 = TestPki.keys("EC", 384);

    @ParameterizedTest
    @CsvSource({"RSA, true, 14, 300d06092a864886f70d01010b0500", "P256, true, 14, 300a06082a8648ce3d040302",
            "P384, true, 14, 300a06082a8648ce3d040303", "RSA, false, 1, ", "P256, false, 9, ", "P384, false, 10, "})
    void signsAndVerifies(String kind, boolean rfc7427, int method, String algorithmIdentifier) throws Exception {
        KeyPair keys = switch (kind) {
            case "RSA" -> RSA;
            case "P256" -> P256;
            default -> P384;
        };
        AuthPayload auth = SignatureAuthenticator.sign(keys.getPrivate(), OCTETS, rfc7427);
        assertThat(auth.method()).isEqualTo(method);
        if (algorithmIdentifier != null) {
            byte[] id = Hex.bytes(algorithmIdentifier);
            assertThat(auth.data()[0] & 0xFF).isEqualTo(id.length);
            assertThat(Arrays.copyOfRange(auth.data(), 1, 1 + id.length)).isEqualTo(id);
        }
        if (method == Ike.AUTH_ECDSA_SHA256_P256) assertThat(auth.data()).hasSize(64);
        if (method == Ike.AUTH_ECDSA_SHA384_P384) assertThat(auth.data()).hasSize(96);
        SignatureAuthenticator.verify(keys.getPublic(), auth, OCTETS);

        byte[] other = OCTETS.clone();
        other[3] ^= 1;
        assertThatThrownBy(() -> SignatureAuthenticator.verify(keys.getPublic(), auth, other))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("does not verify");
    }

    @Test
    void aSignatureFromAnotherKeyFails() {
        AuthPayload auth = SignatureAuthenticator.sign(TestPki.keys("RSA", 2048).getPrivate(), OCTETS, true);
        assertThatThrownBy(() -> SignatureAuthenticator.verify(RSA.getPublic(), auth, OCTETS))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("its SHA256withRSA AUTH signature does not verify with its certificate's key");
    }

    @Test
    void anRsaSignatureClaimedByAnEcKeyFails() {
        AuthPayload auth = SignatureAuthenticator.sign(RSA.getPrivate(), OCTETS, true);
        assertThatThrownBy(() -> SignatureAuthenticator.verify(P256.getPublic(), auth, OCTETS))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("from a EC key");
    }

    @Test
    void malformedAndUnknownAuthDataFailCleanly() {
        assertThatThrownBy(() -> SignatureAuthenticator.verify(RSA.getPublic(),
                new AuthPayload(Ike.AUTH_DIGITAL_SIGNATURE, new byte[] {40, 1, 2}), OCTETS))
                .isInstanceOf(AuthenticationException.class).hasMessage("malformed RFC 7427 AUTH data");
        // RSASSA-PSS: an algorithm we do not verify
        byte[] pss = Hex.bytes("0b 300906052b0e03021a0500 0102");
        assertThatThrownBy(() -> SignatureAuthenticator.verify(RSA.getPublic(),
                new AuthPayload(Ike.AUTH_DIGITAL_SIGNATURE, pss), OCTETS))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("is not one we verify");
        assertThatThrownBy(() -> SignatureAuthenticator.verify(RSA.getPublic(),
                new AuthPayload(Ike.AUTH_DSS_SIGNATURE, new byte[8]), OCTETS))
                .isInstanceOf(AuthenticationException.class).hasMessage("auth method 3 is not a signature we verify");
        assertThatThrownBy(() -> SignatureAuthenticator.verify(P256.getPublic(),
                new AuthPayload(Ike.AUTH_ECDSA_SHA256_P256, new byte[7]), OCTETS))
                .isInstanceOf(AuthenticationException.class).hasMessage("malformed ECDSA signature");
        assertThatThrownBy(() -> SignatureAuthenticator.verify(RSA.getPublic(),
                new AuthPayload(Ike.AUTH_RSA_SIGNATURE, new byte[3]), OCTETS)).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void rawAndDerEcdsaEncodingsRoundTrip() throws Exception {
        byte[] raw = new byte[64];
        raw[0] = 0; // a leading zero in r must survive
        raw[1] = 5;
        raw[32] = (byte) 0x80; // s with the top bit set needs a DER sign byte
        byte[] der = SignatureAuthenticator.derFromRaw(raw);
        assertThat(SignatureAuthenticator.rawFromDer(der, 32)).isEqualTo(raw);
    }
}
