package io.steadfast.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Ike;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.agreement.DHBasicAgreement;
import org.bouncycastle.crypto.params.DHParameters;
import org.bouncycastle.crypto.params.DHPrivateKeyParameters;
import org.bouncycastle.crypto.params.DHPublicKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyExchangeTest {
    static final SecureRandom RANDOM = new SecureRandom();

    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void bothSidesAgree(DhGroup group) throws Exception {
        try (KeyExchange a = group.generate(RANDOM); KeyExchange b = group.generate(RANDOM)) {
            assertThat(a.publicValue()).hasSize(group.publicValueLength()).isNotEqualTo(b.publicValue());
            byte[] ab = a.sharedSecret(b.publicValue());
            assertThat(ab).isEqualTo(b.sharedSecret(a.publicValue()));
            assertThat(ab).hasSize(group == DhGroup.ECP_256 ? 32 : group.publicValueLength());
            assertThat(a.group()).isEqualTo(group);
        }
    }

    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void closedExchangesRefuse(DhGroup group) {
        KeyExchange a = group.generate(RANDOM);
        KeyExchange b = group.generate(RANDOM);
        a.close();
        a.close();
        assertThatThrownBy(() -> a.sharedSecret(b.publicValue())).isInstanceOf(IllegalStateException.class);
        b.close();
    }

    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void publicValueIsACopy(DhGroup group) {
        try (KeyExchange a = group.generate(RANDOM)) {
            byte[] first = a.publicValue();
            first[0] ^= 1;
            assertThat(a.publicValue()).isNotEqualTo(first);
        }
    }

    @Test
    void modpAgreesWithBouncyCastle() throws Exception {
        DHParameters params = new DHParameters(ModpKeyExchange.P, BigInteger.TWO);
        BigInteger y = new BigInteger(256, RANDOM).setBit(255);
        BigInteger peerPublic = BigInteger.TWO.modPow(y, ModpKeyExchange.P);
        try (KeyExchange ours = DhGroup.MODP_2048.generate(RANDOM)) {
            byte[] secret = ours.sharedSecret(ModpKeyExchange.leftPad(peerPublic));
            DHBasicAgreement agreement = new DHBasicAgreement();
            agreement.init(new DHPrivateKeyParameters(y, params));
            BigInteger expected = agreement.calculateAgreement(new DHPublicKeyParameters(
                    new BigInteger(1, ours.publicValue()), params));
            assertThat(new BigInteger(1, secret)).isEqualTo(expected);
        }
    }

    @Test
    void groupsByIdAndKeyword() {
        assertThat(DhGroup.byId(Ike.DH_CURVE25519)).isEqualTo(DhGroup.CURVE25519);
        assertThat(DhGroup.byId(Ike.DH_ECP_256)).isEqualTo(DhGroup.ECP_256);
        assertThat(DhGroup.byId(Ike.DH_MODP_2048)).isEqualTo(DhGroup.MODP_2048);
        assertThat(DhGroup.byId(Ike.DH_ECP_384)).isNull();
        assertThat(DhGroup.CURVE25519.keyword()).isEqualTo("x25519");
        assertThat(DhGroup.ECP_256.transform().id()).isEqualTo(19);
    }

    @Test
    void x25519ScalarIsWipedOnClose() throws Exception {
        X25519KeyExchange dh = X25519KeyExchange.generate(RANDOM);
        java.lang.reflect.Field field = X25519KeyExchange.class.getDeclaredField("scalar");
        field.setAccessible(true);
        byte[] scalar = (byte[]) field.get(dh);
        assertThat(scalar).isNotEqualTo(new byte[32]);
        dh.close();
        assertThat(scalar).isEqualTo(new byte[32]);
    }
}
