package io.steadfast.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.esp.EspAlgorithm;
import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.Transform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Key, IV and ICV sizes of the transforms (RFC 3602, 4868, 5282, 7634) and their mapping to transforms. */
class AlgorithmsTest {
    @Test
    void encryptionSizes() {
        assertThat(EncryptionAlgorithm.AES128_CBC.keyMaterialLength()).isEqualTo(16);
        assertThat(EncryptionAlgorithm.AES256_CBC.keyMaterialLength()).isEqualTo(32);
        assertThat(EncryptionAlgorithm.AES128_GCM16.keyMaterialLength()).isEqualTo(20);
        assertThat(EncryptionAlgorithm.AES256_GCM16.keyMaterialLength()).isEqualTo(36);
        assertThat(EncryptionAlgorithm.CHACHA20_POLY1305.keyMaterialLength()).isEqualTo(36);
        assertThat(EncryptionAlgorithm.AES128_GCM16.ivLength()).isEqualTo(8);
        assertThat(EncryptionAlgorithm.AES128_CBC.ivLength()).isEqualTo(16);
        assertThat(EncryptionAlgorithm.AES128_GCM16.icvLength()).isEqualTo(16);
        assertThat(EncryptionAlgorithm.AES128_CBC.isAead()).isFalse();
        assertThat(EncryptionAlgorithm.CHACHA20_POLY1305.isAead()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    void transformsMapBack(EncryptionAlgorithm encr) {
        assertThat(EncryptionAlgorithm.fromTransform(encr.transform())).isEqualTo(encr);
    }

    @Test
    void keyLengthAttributes() {
        assertThat(EncryptionAlgorithm.AES128_GCM16.transform()).isEqualTo(Transform.of(Ike.TRANSFORM_ENCR, 20, 128));
        assertThat(EncryptionAlgorithm.AES256_CBC.transform()).isEqualTo(Transform.of(Ike.TRANSFORM_ENCR, 12, 256));
        assertThat(EncryptionAlgorithm.CHACHA20_POLY1305.transform()).isEqualTo(Transform.of(Ike.TRANSFORM_ENCR, 28));
        assertThat(EncryptionAlgorithm.fromTransform(Transform.of(Ike.TRANSFORM_ENCR, 20, 192))).isNull();
        assertThat(EncryptionAlgorithm.fromTransform(Transform.of(Ike.TRANSFORM_ENCR, 12))).isNull();
        assertThat(EncryptionAlgorithm.fromTransform(Transform.of(Ike.TRANSFORM_PRF, 20, 128))).isNull();
        assertThat(EncryptionAlgorithm.fromTransform(new Transform(Ike.TRANSFORM_ENCR, 20, 128, true))).isNull();
        assertThat(EncryptionAlgorithm.fromTransform(null)).isNull();
    }

    @Test
    void espMapping() {
        assertThat(EncryptionAlgorithm.AES128_GCM16.espAlgorithm()).isEqualTo(EspAlgorithm.AES128GCM16);
        assertThat(EncryptionAlgorithm.AES256_GCM16.espAlgorithm()).isEqualTo(EspAlgorithm.AES256GCM16);
        assertThat(EncryptionAlgorithm.CHACHA20_POLY1305.espAlgorithm()).isEqualTo(EspAlgorithm.CHACHA20POLY1305);
        assertThat(EncryptionAlgorithm.AES128_CBC.espAlgorithm()).isNull();
        for (EncryptionAlgorithm encr : EncryptionAlgorithm.values()) {
            if (encr.espAlgorithm() != null) {
                assertThat(encr.espAlgorithm().keyMaterialLength()).isEqualTo(encr.keyMaterialLength());
                assertThat(encr.espAlgorithm().keyword()).isEqualTo(encr.keyword());
            }
        }
    }

    @Test
    void integritySizes() {
        assertThat(IntegrityAlgorithm.HMAC_SHA2_256_128.keyLength()).isEqualTo(32);
        assertThat(IntegrityAlgorithm.HMAC_SHA2_256_128.icvLength()).isEqualTo(16);
        assertThat(IntegrityAlgorithm.HMAC_SHA2_384_192.keyLength()).isEqualTo(48);
        assertThat(IntegrityAlgorithm.HMAC_SHA2_384_192.icvLength()).isEqualTo(24);
        assertThat(IntegrityAlgorithm.HMAC_SHA2_512_256.keyLength()).isEqualTo(64);
        assertThat(IntegrityAlgorithm.HMAC_SHA2_512_256.icvLength()).isEqualTo(32);
        assertThat(IntegrityAlgorithm.byId(Ike.INTEG_HMAC_SHA1_96)).isNull();
        assertThat(IntegrityAlgorithm.byId(Ike.INTEG_HMAC_SHA2_384_192)).isEqualTo(IntegrityAlgorithm.HMAC_SHA2_384_192);
        assertThat(IntegrityAlgorithm.HMAC_SHA2_512_256.matchingPrf()).isEqualTo(PrfAlgorithm.HMAC_SHA2_512);
        assertThat(IntegrityAlgorithm.HMAC_SHA2_256_128.transform()).isEqualTo(Transform.of(Ike.TRANSFORM_INTEG, 12));
    }

    @Test
    void childSuiteNeedsAnEspTransform() {
        assertThatThrownBy(() -> new ChildSuite(EncryptionAlgorithm.AES128_CBC, false, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChildSuite(null, false, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
