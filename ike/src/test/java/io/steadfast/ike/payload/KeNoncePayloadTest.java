package io.steadfast.ike.payload;

import static io.steadfast.ike.payload.Payloads.assertRoundTrip;
import static io.steadfast.ike.payload.Payloads.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Fixtures;
import io.steadfast.ike.Hex;
import io.steadfast.ike.Ike;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class KeNoncePayloadTest {
    @Test
    void keRoundTrips() throws Exception {
        assertRoundTrip(new KePayload(Ike.DH_CURVE25519, Fixtures.KE_DATA), "001f 0000 " + Hex.of(Fixtures.KE_DATA));
    }

    @Test
    void keReservedBytesAreIgnored() throws Exception {
        KePayload ke = (KePayload) Payloads.parseBody(Ike.PAYLOAD_KE, "0013 ffff 0102");
        assertThat(ke.group()).isEqualTo(Ike.DH_ECP_256);
        assertThat(ke.keyData()).containsExactly(1, 2);
        assertThat(Hex.of(ke.body())).isEqualTo("001300000102");
    }

    @Test
    void keWithoutDataIsInvalidSyntax() {
        assertThat(failure(Ike.PAYLOAD_KE, "001f 0000")).hasMessageContaining("without key exchange data");
        assertThat(failure(Ike.PAYLOAD_KE, "001f 00")).hasMessageContaining("KE reserved");
        assertThat(failure(Ike.PAYLOAD_KE, "")).hasMessageContaining("KE group");
    }

    @Test
    void keToString() {
        assertThat(new KePayload(Ike.DH_CURVE25519, new byte[32]).toString()).isEqualTo("KE(CURVE25519, 32 bytes)");
        assertThatThrownBy(() -> new KePayload(0x10000, new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonceRoundTrips() throws Exception {
        assertRoundTrip(new NoncePayload(Fixtures.NONCE), Hex.of(Fixtures.NONCE));
    }

    @Test
    void nonceLengthBoundsAreInclusive() throws Exception {
        assertThat(((NoncePayload) Payloads.parseBody(Ike.PAYLOAD_NONCE, Hex.of(new byte[16]))).nonce()).hasSize(16);
        assertThat(((NoncePayload) Payloads.parseBody(Ike.PAYLOAD_NONCE, Hex.of(new byte[256]))).nonce()).hasSize(256);
        assertThat(failure(Ike.PAYLOAD_NONCE, Hex.of(new byte[15])).notifyType()).isEqualTo(Ike.NOTIFY_INVALID_SYNTAX);
        assertThat(failure(Ike.PAYLOAD_NONCE, Hex.of(new byte[257]))).hasMessageContaining("257");
        assertThat(failure(Ike.PAYLOAD_NONCE, "")).hasMessageContaining("nonce of 0 bytes");
        assertThatThrownBy(() -> new NoncePayload(new byte[15])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NoncePayload(new byte[257])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomNoncesDiffer() {
        SecureRandom random = new SecureRandom();
        NoncePayload a = NoncePayload.random(32, random);
        NoncePayload b = NoncePayload.random(32, random);
        assertThat(a.nonce()).hasSize(32).isNotEqualTo(b.nonce());
        assertThat(a.toString()).isEqualTo("No(32 bytes)");
    }
}
