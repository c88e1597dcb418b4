package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay's client configuration: lookups, duplicates refused, keys copied and never printed. */
class ClientKeysTest {
    @Test
    void findsClientsById() {
        ClientKeys keys = ClientKeys.of(Clients.all());
        for (int c = 1; c <= Clients.COUNT; c++) {
            assertThat(keys.find(c).stableAddress()).isEqualTo(Clients.stable(c));
            assertThat(keys.find(c).key()).isEqualTo(Clients.key(c));
        }
        assertThat(keys.find(0)).isNull();
        assertThat(keys.find(Clients.COUNT + 1)).isNull();
        assertThat(keys.find(-1)).isNull();
        assertThat(ClientKeys.of(List.of()).find(1)).isNull();
    }

    @Test
    void refusesTwoClientsWithOneIdOrOneS() {
        RelayClientConfig a = new RelayClientConfig(1, Clients.stable(1), Clients.key(1));
        assertThatThrownBy(() -> ClientKeys.of(List.of(a, new RelayClientConfig(1, Clients.stable(2), Clients.key(2)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two clients have id 1");
        assertThatThrownBy(() -> ClientKeys.of(List.of(a, new RelayClientConfig(2, Clients.stable(1), Clients.key(2)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share 10.1.0.1");
    }

    @Test
    void theKeyIsCopiedCheckedAndNeverPrinted() {
        byte[] key = Clients.key(3);
        RelayClientConfig config = new RelayClientConfig(-2, Clients.stable(3), key);
        key[0] ^= 1;
        assertThat(config.key()[0]).isEqualTo((byte) (key[0] ^ 1));
        assertThat(config).hasToString("RelayClientConfig[client 4294967294, S 10.1.0.3, key 32 bytes]");
        assertThat(config.toString()).doesNotContain(Hex.of(config.key()).substring(0, 8));
        assertThatThrownBy(() -> new RelayClientConfig(1, 1, new byte[15])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayClientConfig(1, 1, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMillionClientsAreFoundQuickly() {
        byte[] key = Clients.key(1);
        List<RelayClientConfig> many = new java.util.ArrayList<>();
        for (int c = 0; c < 1_000_000; c++) {
            many.add(new RelayClientConfig(c, 0x0A000000 + c, key));
        }
        ClientKeys keys = ClientKeys.of(many);
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 1_000_000; i++) {
            int c = random.nextInt(1_000_000);
            assertThat(keys.find(c).stableAddress()).isEqualTo(0x0A000000 + c);
        }
    }

    @Test
    void resultsAndUpdatesDescribeThemselves() {
        UpdateResult refused = UpdateResult.refused(RelayDropReason.BAD_MAC);
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.ack()).isNull();
        assertThat(new UpdateResult(null, new byte[48], null).accepted()).isTrue();
        assertThat(new UpdateToSend(new byte[76], 1, 2, 0).isRetransmission()).isFalse();
        assertThat(new UpdateToSend(new byte[76], 1, 2, 3).isRetransmission()).isTrue();
        assertThat(BindingMessage.Type.UPDATE.code()).isEqualTo(Relay.TYPE_UPDATE);
        assertThat(BindingMessage.Type.ACK.code()).isEqualTo(Relay.TYPE_ACK);
        assertThat(AckStatus.ACCEPTED.code()).isZero();
    }
}
