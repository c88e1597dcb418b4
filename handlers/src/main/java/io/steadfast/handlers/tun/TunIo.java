package io.steadfast.handlers.tun;

import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;

/**
 * How a {@link TunChannel} waits for its fd to become readable on one kind of Netty IoEventLoop (epoll or
 * io_uring). Every method runs on the channel's event loop.
 */
sealed interface TunIo extends IoHandle permits TunEpollHandle, TunUringHandle {

    /** Called once the event loop accepted the handle, before any other method. */
    void attach(IoRegistration registration);

    /** Asks to be woken (TunChannel.readReady) when a packet can be read, or stops asking. */
    void wantRead(boolean want);

    /** Withdraws everything submitted and cancels the registration; the fd is still open when this runs. */
    void detach();
}
