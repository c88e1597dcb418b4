package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a tracked buffer unreleased (and releases it, so the leak detector stays quiet).
 * Register with {@code @RegisterExtension final BufferTracker buffers = new BufferTracker();}.
 */
final class BufferTracker implements AfterEachCallback {
    private final List<ByteBuf> tracked = new ArrayList<>();

    /** Tracks {@code buf} and returns it. */
    ByteBuf track(ByteBuf buf) {
        tracked.add(buf);
        return buf;
    }

    /** A tracked pooled direct buffer holding {@code packet} at readerIndex {@code headroom}, with {@code tailroom} after it. */
    ByteBuf packet(int headroom, byte[] packet, int tailroom) {
        return track(BufferKind.POOLED_DIRECT.withPacket(headroom, packet, tailroom));
    }

    /** A tracked buffer of {@code kind} holding {@code packet} with the TUN's 64 bytes of room on each side. */
    ByteBuf fromTun(BufferKind kind, byte[] packet) {
        return track(kind.withPacket(TestPackets.TUN_ROOM, packet, TestPackets.TUN_ROOM));
    }

    /** A tracked pooled direct buffer holding {@code packet} with the TUN's 64 bytes of room on each side. */
    ByteBuf fromTun(byte[] packet) {
        return fromTun(BufferKind.POOLED_DIRECT, packet);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<ByteBuf> unreleased = new ArrayList<>();
        for (ByteBuf buf : tracked) {
            if (buf.refCnt() > 0) {
                unreleased.add(buf);
                buf.release(buf.refCnt());
            }
        }
        tracked.clear();
        assertThat(unreleased).as("buffers the test did not release").isEmpty();
    }
}
