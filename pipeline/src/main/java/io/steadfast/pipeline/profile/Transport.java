package io.steadfast.pipeline.profile;

import java.util.Locale;

/** Netty's native transport for the event loop: io_uring, epoll, or the best available. */
public enum Transport {
    AUTO, IO_URING, EPOLL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
