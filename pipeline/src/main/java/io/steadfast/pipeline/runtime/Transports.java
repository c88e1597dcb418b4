package io.steadfast.pipeline.runtime;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.steadfast.pipeline.profile.Transport;

/** Picks Netty's native transport: io_uring or epoll, as asked, or the best one the kernel allows. */
public final class Transports {
    private Transports() {}

    /** The transport {@code asked} resolves to here; throws with the reason if it is not available. */
    public static Transport resolve(Transport asked) {
        return switch (asked) {
            case IO_URING -> {
                if (!IoUring.isAvailable()) throw new IllegalStateException("transport io_uring is not available: " + IoUring.unavailabilityCause());
                yield Transport.IO_URING;
            }
            case EPOLL -> {
                if (!Epoll.isAvailable()) throw new IllegalStateException("transport epoll is not available: " + Epoll.unavailabilityCause());
                yield Transport.EPOLL;
            }
            case AUTO -> IoUring.isAvailable() ? Transport.IO_URING : resolve(Transport.EPOLL);
        };
    }

    /** A new, unregistered UDP channel of a resolved transport. */
    public static io.netty.channel.socket.DatagramChannel datagramChannel(Transport resolved) {
        return switch (resolved) {
            case IO_URING -> new io.netty.channel.uring.IoUringDatagramChannel();
            case EPOLL -> new io.netty.channel.epoll.EpollDatagramChannel();
            case AUTO -> throw new IllegalArgumentException("resolve the transport first");
        };
    }

    /** The I/O handler factory of a resolved transport. */
    public static IoHandlerFactory factory(Transport resolved) {
        return switch (resolved) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case AUTO -> throw new IllegalArgumentException("resolve the transport first");
        };
    }
}
