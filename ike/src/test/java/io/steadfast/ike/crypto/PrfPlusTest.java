package io.steadfast.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Hex;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** prf+ against the RFC 7296 2.13 definition computed independently (Bouncy Castle HMAC). */
class PrfPlusTest {
    @ParameterizedTest
    @EnumSource(PrfAlgorithm.class)
    void matchesTheDefinitionAtManyLengths(PrfAlgorithm prf) {
        Random random = new Random(7296);
        for (int length : new int[] {0, 1, 31, 32, 33, 64, 65, 136, 224, 500, 1000}) {
            byte[] key = new byte[1 + random.nextInt(80)];
            byte[] seed = new byte[random.nextInt(100)];
            random.nextBytes(key);
            random.nextBytes(seed);
            assertThat(PrfPlus.expand(prf, key, seed, length)).as("length %d", length)
                    .isEqualTo(Reference.prfPlus(prf, key, seed, length));
        }
    }

    @Test
    void firstBlockIsPrfOfSeedAndOne() {
        byte[] key = Hex.bytes("0102");
        byte[] seed = Hex.bytes("aabb");
        byte[] t1 = PrfAlgorithm.HMAC_SHA2_256.compute(key, Hex.bytes("aabb01"));
        byte[] t2 = PrfAlgorithm.HMAC_SHA2_256.compute(key, t1, Hex.bytes("aabb02"));
        byte[] out = PrfPlus.expand(PrfAlgorithm.HMAC_SHA2_256, key, seed, 64);
        assertThat(Arrays.copyOf(out, 32)).isEqualTo(t1);
        assertThat(Arrays.copyOfRange(out, 32, 64)).isEqualTo(t2);
    }

    @Test
    void shorterOutputsArePrefixes() {
        byte[] key = Hex.bytes("00112233");
        byte[] seed = Hex.bytes("44556677");
        byte[] longer = PrfPlus.expand(PrfAlgorithm.HMAC_SHA2_384, key, seed, 200);
        for (int length = 0; length <= 200; length += 17) {
            assertThat(PrfPlus.expand(PrfAlgorithm.HMAC_SHA2_384, key, seed, length)).isEqualTo(Arrays.copyOf(longer, length));
        }
    }

    @Test
    void atMost255Blocks() {
        byte[] key = {1};
        assertThat(PrfPlus.expand(PrfAlgorithm.HMAC_SHA2_256, key, new byte[0], 255 * 32)).hasSize(255 * 32);
        assertThatThrownBy(() -> PrfPlus.expand(PrfAlgorithm.HMAC_SHA2_256, key, new byte[0], 255 * 32 + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8160");
        assertThatThrownBy(() -> PrfPlus.expand(PrfAlgorithm.HMAC_SHA2_256, key, new byte[0], -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lastBlockOf255UsesCounter255() {
        byte[] key = {9};
        byte[] seed = {7};
        byte[] out = PrfPlus.expand(PrfAlgorithm.HMAC_SHA2_256, key, seed, 255 * 32);
        byte[] t254 = Arrays.copyOfRange(out, 253 * 32, 254 * 32);
        byte[] t255 = PrfAlgorithm.HMAC_SHA2_256.compute(key, t254, seed, new byte[] {(byte) 255});
        assertThat(Arrays.copyOfRange(out, 254 * 32, 255 * 32)).isEqualTo(t255);
    }
}
