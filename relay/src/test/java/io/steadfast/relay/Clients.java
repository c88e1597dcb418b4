package io.steadfast.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Ten test clients: client i (1..10) has S = 10.1.0.i, key {@code TestPackets.key(i)}, and a care-of
 * address from gateway g's pool: 10.(1+g).0.i. The relay is R = 10.0.0.1 serving 10.1.0.0/16.
 */
final class Clients {
    private Clients() {}

    static final int R = TestPackets.address("10.0.0.1");
    static final int SERVER = TestPackets.address("10.9.0.1");
    static final AddressPrefix SERVED = AddressPrefix.parse("10.1.0.0/16");
    static final int COUNT = 10;

    static int stable(int client) {
        return TestPackets.address("10.1.0." + client);
    }

    static int careOf(int client, int gateway) {
        return TestPackets.address("10." + (1 + gateway) + ".0." + client);
    }

    static byte[] key(int client) {
        return TestPackets.key(client);
    }

    static RelayClientConfig config(int client) {
        return new RelayClientConfig(client, stable(client), key(client));
    }

    static List<RelayClientConfig> all() {
        List<RelayClientConfig> all = new ArrayList<>();
        for (int i = 1; i <= COUNT; i++) {
            all.add(config(i));
        }
        return all;
    }

    static RelayServer server(FakeClock clock) {
        return new RelayServer(R, List.of(SERVED), ClientKeys.of(all()), clock);
    }

    /** An update of {@code client}, signed with its own key. */
    static byte[] update(int client, long sequence, int careOf) {
        return new BindingCodec().encodeUpdate(key(client), client, sequence, stable(client), careOf, 300);
    }

    /** Hands {@code payload} to the server as a UDP payload from {@code ipSource}; the buffer is released. */
    static UpdateResult send(RelayServer server, byte[] payload, int ipSource, long now) {
        ByteBuf buf = Unpooled.wrappedBuffer(payload);
        try {
            return server.handleUpdate(buf, ipSource, now);
        } finally {
            buf.release();
        }
    }

    /** Parses an ack with the client's key. */
    static BindingMessage ack(int client, byte[] ack) {
        ByteBuf buf = Unpooled.wrappedBuffer(ack);
        try {
            BindingCodec.Parsed parsed = new BindingCodec().parse(buf, key(client));
            if (!parsed.ok()) {
                throw new AssertionError("ack refused: " + parsed.reason());
            }
            return parsed.message();
        } finally {
            buf.release();
        }
    }

    /** An IP-in-IP packet outerSource -> R around an ICMP echo from {@code innerSource}. */
    static byte[] ipip(int outerSource, int innerSource, int seq) {
        return TestPackets.ipip(outerSource, R, seq, TestPackets.icmpEcho(innerSource, SERVER, 1, seq, 32));
    }
}
