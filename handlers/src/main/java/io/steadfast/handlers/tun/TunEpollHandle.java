package io.steadfast.handlers.tun;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;

/**
 * A {@link TunChannel} on an epoll event loop: the fd sits in the loop's epoll set, level-triggered, with
 * EPOLLIN while reading is wanted. Packets left unread after a batch wake the loop again.
 */
final class TunEpollHandle implements EpollIoHandle, TunIo {
    /** Interest that reports nothing but errors (epoll always reports EPOLLERR): "not reading". */
    private static final EpollIoOps NOT_READING = EpollIoOps.EPOLLERR;

    private final TunChannel channel;
    private IoRegistration registration;
    private boolean reading;

    TunEpollHandle(TunChannel channel) {
        Epoll.ensureAvailability(); // loads the native library behind FileDescriptor's read/write
        this.channel = channel;
    }

    @Override
    public FileDescriptor fd() {
        return channel.fd();
    }

    @Override
    public void attach(IoRegistration registration) {
        this.registration = registration;
    }

    @Override
    public void wantRead(boolean want) {
        if (want == reading || registration == null || !registration.isValid()) return;
        registration.submit(want ? EpollIoOps.EPOLLIN : NOT_READING);
        reading = want;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        if (ops.contains(EpollIoOps.EPOLLERR)) {
            channel.deviceFailed("epoll reported EPOLLERR");
        } else if (ops.contains(EpollIoOps.EPOLLIN)) {
            channel.readReady();
        }
    }

    @Override
    public void detach() {
        reading = false;
        if (registration != null) registration.cancel(); // on the loop: removes the fd from epoll at once
    }

    /** The event loop is shutting down: close the channel. */
    @Override
    public void close() {
        channel.unsafe().close(channel.unsafe().voidPromise());
    }
}
