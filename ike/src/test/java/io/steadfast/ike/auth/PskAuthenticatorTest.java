package io.steadfast.ike.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Fixtures;
import io.steadfast.ike.Hex;
import io.steadfast.ike.crypto.PrfAlgorithm;
import io.steadfast.ike.payload.IdPayload;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** PSK AUTH (RFC 7296 2.15) against an independent computation with Bouncy Castle's HMAC. */
class PskAuthenticatorTest {
    static final byte[] PSK = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    static final byte[] SK_PI = Hex.bytes("5a".repeat(32));
    static final byte[] NR = Hex.bytes("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");

    static byte[] hmac(Digest digest, byte[] key, byte[]... data) {
        HMac mac = new HMac(digest);
        mac.init(new KeyParameter(key));
        for (byte[] d : data) {
            mac.update(d, 0, d.length);
        }
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    static byte[] initiatorOctets(IdPayload idi) {
        byte[] realMessage1 = Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(realMessage1);
        out.writeBytes(NR);
        // RestOfInitIDPayload: ID type, three reserved bytes, identification data.
        byte[] rest = new byte[4 + idi.data().length];
        rest[0] = (byte) idi.idType();
        System.arraycopy(idi.data(), 0, rest, 4, idi.data().length);
        out.writeBytes(hmac(new SHA256Digest(), SK_PI, rest));
        return out.toByteArray();
    }

    @Test
    void signedOctetsAreMessageNonceAndMacedId() {
        IdPayload idi = IdPayload.fqdn(true, "client.example");
        byte[] octets = SignedOctets.of(Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST), NR, PrfAlgorithm.HMAC_SHA2_256, SK_PI, idi);
        assertThat(Hex.of(octets)).isEqualTo(Hex.of(initiatorOctets(idi)));
        assertThat(octets).hasSize(222 + 32 + 32);
    }

    @Test
    void authIsPrfOfPaddedKeyOverTheOctets() {
        IdPayload idi = IdPayload.fqdn(true, "client.example");
        byte[] octets = initiatorOctets(idi);
        byte[] padded = hmac(new SHA256Digest(), PSK, "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII));
        byte[] expected = hmac(new SHA256Digest(), padded, octets);
        assertThat(PskAuthenticator.compute(PrfAlgorithm.HMAC_SHA2_256, PSK, octets)).isEqualTo(expected);
    }

    @Test
    void keyPadHasNoTerminator() {
        assertThat(PskAuthenticator.KEY_PAD).hasSize(17);
    }

    @Test
    void otherPrfsGiveTheirLength() {
        byte[] octets = Hex.bytes("0102");
        byte[] padded = hmac(new SHA384Digest(), PSK, "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII));
        assertThat(PskAuthenticator.compute(PrfAlgorithm.HMAC_SHA2_384, PSK, octets))
                .hasSize(48).isEqualTo(hmac(new SHA384Digest(), padded, octets));
        assertThat(PskAuthenticator.compute(PrfAlgorithm.HMAC_SHA2_512, PSK, octets)).hasSize(64);
    }

    @Test
    void verifyAcceptsOnlyTheRightValue() {
        byte[] octets = initiatorOctets(IdPayload.rfc822(true, "a@b.c"));
        byte[] auth = PskAuthenticator.compute(PrfAlgorithm.HMAC_SHA2_256, PSK, octets);
        assertThat(PskAuthenticator.verify(PrfAlgorithm.HMAC_SHA2_256, PSK, octets, auth)).isTrue();
        for (int i = 0; i < auth.length; i++) {
            byte[] wrong = auth.clone();
            wrong[i] ^= 0x01;
            assertThat(PskAuthenticator.verify(PrfAlgorithm.HMAC_SHA2_256, PSK, octets, wrong)).isFalse();
        }
        assertThat(PskAuthenticator.verify(PrfAlgorithm.HMAC_SHA2_256, PSK, octets, Arrays.copyOf(auth, 31))).isFalse();
        assertThat(PskAuthenticator.verify(PrfAlgorithm.HMAC_SHA2_256, PSK, octets, new byte[0])).isFalse();
        assertThat(PskAuthenticator.verify(PrfAlgorithm.HMAC_SHA2_256, "other".getBytes(StandardCharsets.UTF_8), octets, auth))
                .isFalse();
    }

    @Test
    void everyPartOfTheOctetsCounts() {
        IdPayload idi = IdPayload.fqdn(true, "client.example");
        byte[] message = Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST);
        byte[] base = PskAuthenticator.compute(PrfAlgorithm.HMAC_SHA2_256, PSK,
                SignedOctets.of(message, NR, PrfAlgorithm.HMAC_SHA2_256, SK_PI, idi));
        byte[] otherMessage = message.clone();
        otherMessage[100] ^= 1;
        byte[] otherNonce = NR.clone();
        otherNonce[0] ^= 1;
        byte[] otherKey = SK_PI.clone();
        otherKey[0] ^= 1;
        for (byte[] octets : new byte[][] {
                SignedOctets.of(otherMessage, NR, PrfAlgorithm.HMAC_SHA2_256, SK_PI, idi),
                SignedOctets.of(message, otherNonce, PrfAlgorithm.HMAC_SHA2_256, SK_PI, idi),
                SignedOctets.of(message, NR, PrfAlgorithm.HMAC_SHA2_256, otherKey, idi),
                SignedOctets.of(message, NR, PrfAlgorithm.HMAC_SHA2_256, SK_PI, IdPayload.fqdn(true, "client.exampld")),
                SignedOctets.of(message, NR, PrfAlgorithm.HMAC_SHA2_256, SK_PI, IdPayload.rfc822(true, "client.example"))}) {
            assertThat(PskAuthenticator.compute(PrfAlgorithm.HMAC_SHA2_256, PSK, octets)).isNotEqualTo(base);
        }
    }

    @Test
    void theDirectionOfTheIdPayloadDoesNotChangeItsBody() {
        // IDi and IDr differ only in the payload type, which is not part of RestOfIDPayload.
        byte[] message = Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST);
        assertThat(SignedOctets.of(message, NR, PrfAlgorithm.HMAC_SHA2_256, SK_PI, IdPayload.fqdn(true, "x")))
                .isEqualTo(SignedOctets.of(message, NR, PrfAlgorithm.HMAC_SHA2_256, SK_PI, IdPayload.fqdn(false, "x")));
    }

    @Test
    void emptyPreSharedKeyIsRefused() {
        assertThatThrownBy(() -> PskAuthenticator.compute(PrfAlgorithm.HMAC_SHA2_256, new byte[0], new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
