package io.steadfast.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Hex;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** RFC 5903 section 8.1 (ECP-256) and RFC 7748 sections 5.2 and 6.1 (X25519). */
class DhKnownAnswerTest {
    // RFC 5903 8.1, 256-bit random ECP group.
    static final String I = "C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433";
    static final String GIX = "DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180";
    static final String GIY = "5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3";
    static final String R = "C6EF9C5D 78AE012A 011164AC B397CE20 88685D8F 06BF9BE0 B283AB46 476BEE53";
    static final String GRX = "D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63";
    static final String GRY = "56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB";
    static final String GIRX = "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE";

    // RFC 7748 6.1.
    static final String ALICE_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    static final String ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    static final String BOB_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    static final String BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    @Test
    void ecp256InitiatorPublicValueIsXThenY() {
        try (KeyExchange dh = DhGroup.ECP_256.fromPrivateKey(Hex.bytes(I))) {
            assertThat(Hex.of(dh.publicValue())).isEqualToIgnoringCase((GIX + GIY).replace(" ", ""));
        }
    }

    @Test
    void ecp256ResponderPublicValueIsXThenY() {
        try (KeyExchange dh = DhGroup.ECP_256.fromPrivateKey(Hex.bytes(R))) {
            assertThat(Hex.of(dh.publicValue())).isEqualToIgnoringCase((GRX + GRY).replace(" ", ""));
        }
    }

    @Test
    void ecp256SharedSecretIsTheXCoordinate() throws Exception {
        try (KeyExchange i = DhGroup.ECP_256.fromPrivateKey(Hex.bytes(I));
                KeyExchange r = DhGroup.ECP_256.fromPrivateKey(Hex.bytes(R))) {
            assertThat(Hex.of(i.sharedSecret(Hex.bytes(GRX + GRY)))).isEqualToIgnoringCase(GIRX.replace(" ", ""));
            assertThat(Hex.of(r.sharedSecret(Hex.bytes(GIX + GIY)))).isEqualToIgnoringCase(GIRX.replace(" ", ""));
        }
    }

    @Test
    void x25519Rfc7748DiffieHellman() throws Exception {
        try (KeyExchange alice = DhGroup.CURVE25519.fromPrivateKey(Hex.bytes(ALICE_PRIVATE));
                KeyExchange bob = DhGroup.CURVE25519.fromPrivateKey(Hex.bytes(BOB_PRIVATE))) {
            assertThat(Hex.of(alice.publicValue())).isEqualTo(ALICE_PUBLIC);
            assertThat(Hex.of(bob.publicValue())).isEqualTo(BOB_PUBLIC);
            assertThat(Hex.of(alice.sharedSecret(Hex.bytes(BOB_PUBLIC)))).isEqualTo(SHARED);
            assertThat(Hex.of(bob.sharedSecret(Hex.bytes(ALICE_PUBLIC)))).isEqualTo(SHARED);
        }
    }

    @Test
    void x25519Rfc7748ScalarMultiplicationVector1() throws Exception {
        try (KeyExchange dh = DhGroup.CURVE25519.fromPrivateKey(
                Hex.bytes("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"))) {
            assertThat(Hex.of(dh.sharedSecret(Hex.bytes("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))))
                    .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
        }
    }

    @Test
    void x25519Rfc7748ScalarMultiplicationVector2MasksTheTopBit() throws Exception {
        // The input u-coordinate has its most significant bit set; RFC 7748 5 says to ignore it.
        try (KeyExchange dh = DhGroup.CURVE25519.fromPrivateKey(
                Hex.bytes("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"))) {
            assertThat(Hex.of(dh.sharedSecret(Hex.bytes("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))))
                    .isEqualTo("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
        }
    }

    @Test
    void x25519Rfc7748IteratedOnceAndAThousandTimes() throws Exception {
        byte[] k = Hex.bytes("0900000000000000000000000000000000000000000000000000000000000000");
        byte[] u = k.clone();
        for (int i = 1; i <= 1000; i++) {
            byte[] result = X25519KeyExchange.x25519(k, u);
            u = k;
            k = result;
            if (i == 1) {
                assertThat(Hex.of(k)).isEqualTo("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
            }
        }
        assertThat(Hex.of(k)).isEqualTo("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
    }

    @Test
    void x25519RefusesSmallOrderPoints() {
        try (KeyExchange dh = DhGroup.CURVE25519.fromPrivateKey(Hex.bytes(ALICE_PRIVATE))) {
            for (String u : new String[] {
                    "0000000000000000000000000000000000000000000000000000000000000000",
                    "0100000000000000000000000000000000000000000000000000000000000000",
                    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"}) {
                assertThatThrownBy(() -> dh.sharedSecret(Hex.bytes(u))).isInstanceOf(IkeParseException.class)
                        .satisfies(e -> assertThat(((IkeParseException) e).notifyType()).isEqualTo(Ike.NOTIFY_INVALID_SYNTAX));
            }
        }
    }

    @Test
    void modp2048PrimeIsRfc3526s() {
        // p = 2^2048 - 2^1984 - 1 + 2^64 * ( [2^1918 pi] + 124476 ), with pi from Machin's formula.
        java.math.MathContext mc = new java.math.MathContext(700);
        java.math.BigDecimal pi = atanInverse(5, mc).multiply(java.math.BigDecimal.valueOf(16))
                .subtract(atanInverse(239, mc).multiply(java.math.BigDecimal.valueOf(4)), mc);
        BigInteger floor = pi.multiply(new java.math.BigDecimal(BigInteger.TWO.pow(1918)), mc).toBigInteger();
        BigInteger p = BigInteger.TWO.pow(2048).subtract(BigInteger.TWO.pow(1984)).subtract(BigInteger.ONE)
                .add(BigInteger.TWO.pow(64).multiply(floor.add(BigInteger.valueOf(124476))));
        assertThat(ModpKeyExchange.P).isEqualTo(p);
        assertThat(p.isProbablePrime(40)).isTrue();
        assertThat(p.shiftRight(1).isProbablePrime(40)).as("safe prime").isTrue();
    }

    @Test
    void modp2048PublicValueIsTwoToThePrivateExponent() {
        byte[] x = Hex.bytes("0123456789abcdef0123456789abcdef");
        try (KeyExchange dh = DhGroup.MODP_2048.fromPrivateKey(x)) {
            BigInteger expected = BigInteger.TWO.modPow(new BigInteger(1, x), ModpKeyExchange.P);
            assertThat(new BigInteger(1, dh.publicValue())).isEqualTo(expected);
            assertThat(dh.publicValue()).hasSize(256);
        }
    }

    @Test
    void modp2048SharedSecretIsLeftPaddedTo256Bytes() throws Exception {
        // Find exponents whose g^x has a leading zero byte; g^x is then also the shared secret with peer value 2.
        byte[] peerIsGenerator = new byte[256];
        peerIsGenerator[255] = 2;
        int found = 0;
        for (int seed = 1; found < 2 && seed < 5000; seed++) {
            byte[] x = BigInteger.valueOf(seed).multiply(BigInteger.valueOf(0x9E3779B97F4A7C15L).abs()).toByteArray();
            try (KeyExchange dh = DhGroup.MODP_2048.fromPrivateKey(x)) {
                byte[] pub = dh.publicValue();
                if (pub[0] == 0) {
                    found++;
                    assertThat(pub).hasSize(256);
                    byte[] secret = dh.sharedSecret(peerIsGenerator);
                    assertThat(secret).hasSize(256).isEqualTo(pub);
                    assertThat(secret[0]).isZero();
                }
            }
        }
        assertThat(found).isEqualTo(2);
    }

    @Test
    void modp2048RefusesDegenerateValues() {
        try (KeyExchange dh = DhGroup.MODP_2048.generate(new java.security.SecureRandom())) {
            BigInteger p = ModpKeyExchange.P;
            for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p,
                    BigInteger.TWO.pow(2048).subtract(BigInteger.ONE)}) {
                byte[] value = ModpKeyExchange.leftPad(bad);
                assertThatThrownBy(() -> dh.sharedSecret(value)).isInstanceOf(IkeParseException.class)
                        .hasMessageContaining("out of range");
            }
            assertThatThrownBy(() -> dh.sharedSecret(new byte[255])).hasMessageContaining("255 bytes, not 256");
        }
    }

    @Test
    void ecp256RefusesPointsOffTheCurve() {
        try (KeyExchange dh = DhGroup.ECP_256.fromPrivateKey(Hex.bytes(I))) {
            byte[] offCurve = Hex.bytes(GRX + GRY);
            offCurve[63] ^= 1;
            assertThatThrownBy(() -> dh.sharedSecret(offCurve)).isInstanceOf(IkeParseException.class)
                    .hasMessageContaining("not a point on the curve");
            byte[] zero = new byte[64];
            assertThatThrownBy(() -> dh.sharedSecret(zero)).hasMessageContaining("not a point");
            byte[] huge = new byte[64];
            java.util.Arrays.fill(huge, (byte) 0xff);
            assertThatThrownBy(() -> dh.sharedSecret(huge)).hasMessageContaining("not a point");
            assertThatThrownBy(() -> dh.sharedSecret(new byte[65])).hasMessageContaining("65 bytes, not 64");
            // The SEC1 uncompressed form (04 | x | y) is not the IKE encoding.
            assertThatThrownBy(() -> dh.sharedSecret(Hex.bytes("04" + GRX + GRY))).hasMessageContaining("65 bytes");
        }
    }

    @Test
    void onCurveAcceptsTheGeneratorAndTheVectorPoints() {
        assertThat(EcpKeyExchange.onCurve(new BigInteger(GIX.replace(" ", ""), 16), new BigInteger(GIY.replace(" ", ""), 16)))
                .isTrue();
        assertThat(EcpKeyExchange.onCurve(new BigInteger(GIX.replace(" ", ""), 16), BigInteger.ONE)).isFalse();
    }

    @Test
    void x25519RefusesWrongLengths() {
        try (KeyExchange dh = DhGroup.CURVE25519.fromPrivateKey(Hex.bytes(ALICE_PRIVATE))) {
            assertThatThrownBy(() -> dh.sharedSecret(new byte[31])).hasMessageContaining("31 bytes, not 32");
        }
        assertThatThrownBy(() -> DhGroup.CURVE25519.fromPrivateKey(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DhGroup.ECP_256.fromPrivateKey(new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DhGroup.MODP_2048.fromPrivateKey(new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    private static java.math.BigDecimal atanInverse(int inverse, java.math.MathContext mc) {
        java.math.BigDecimal x = java.math.BigDecimal.ONE.divide(java.math.BigDecimal.valueOf(inverse), mc);
        java.math.BigDecimal x2 = x.multiply(x, mc);
        java.math.BigDecimal term = x;
        java.math.BigDecimal sum = x;
        java.math.BigDecimal epsilon = java.math.BigDecimal.ONE.movePointLeft(690);
        for (int n = 1; ; n++) {
            term = term.multiply(x2, mc);
            java.math.BigDecimal t = term.divide(java.math.BigDecimal.valueOf(2L * n + 1), mc);
            sum = n % 2 == 1 ? sum.subtract(t, mc) : sum.add(t, mc);
            if (t.compareTo(epsilon) < 0) {
                return sum;
            }
        }
    }
}
