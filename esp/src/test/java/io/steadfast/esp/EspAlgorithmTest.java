package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Keywords and lengths of the transforms. */
class EspAlgorithmTest {

    @ParameterizedTest
    @CsvSource({
        "AES128GCM16, aes128gcm16, 16, 4, 8, 16, 20",
        "AES256GCM16, aes256gcm16, 32, 4, 8, 16, 36",
        "CHACHA20POLY1305, chacha20poly1305, 32, 4, 8, 16, 36",
        "NULL, null, 0, 0, 0, 0, 0"
    })
    void lengths(EspAlgorithm alg, String keyword, int key, int salt, int iv, int icv, int material) {
        assertThat(alg.keyword()).isEqualTo(keyword);
        assertThat(alg.keyLength()).isEqualTo(key);
        assertThat(alg.saltLength()).isEqualTo(salt);
        assertThat(alg.ivLength()).isEqualTo(iv);
        assertThat(alg.icvLength()).isEqualTo(icv);
        assertThat(alg.keyMaterialLength()).isEqualTo(material);
        assertThat(alg.isAuthenticated()).isEqualTo(icv > 0);
        assertThat(alg.headerLength()).isEqualTo(8 + iv);
        assertThat(alg.maxTrailerLength()).isEqualTo(3 + 2 + icv);
    }

    @ParameterizedTest
    @EnumSource(EspAlgorithm.class)
    void fromKeywordRoundTrips(EspAlgorithm alg) {
        assertThat(EspAlgorithm.fromKeyword(alg.keyword())).isEqualTo(alg);
        assertThat(EspAlgorithm.fromKeyword(" " + alg.keyword().toUpperCase() + " ")).isEqualTo(alg);
    }

    @Test
    void strongSwansBitLengthSpellingOfTheIcvIsAnAlias() {
        assertThat(EspAlgorithm.fromKeyword("aes128gcm128")).isEqualTo(EspAlgorithm.AES128GCM16);
        assertThat(EspAlgorithm.fromKeyword("aes256gcm128")).isEqualTo(EspAlgorithm.AES256GCM16);
    }

    @Test
    void unknownKeywordsListTheKnownOnes() {
        assertThatThrownBy(() -> EspAlgorithm.fromKeyword("aes128-sha256"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aes128-sha256")
                .hasMessageContaining("aes128gcm16, aes256gcm16, chacha20poly1305, null");
        assertThatThrownBy(() -> EspAlgorithm.fromKeyword(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EspAlgorithm.fromKeyword("")).isInstanceOf(IllegalArgumentException.class);
    }
}
