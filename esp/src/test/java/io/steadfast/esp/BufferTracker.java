package io.steadfast.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.EmptyByteBuf;
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
        if (!(buf instanceof EmptyByteBuf)) { // Netty's shared empty buffer is never freed
            tracked.add(buf);
        }
        return buf;
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
