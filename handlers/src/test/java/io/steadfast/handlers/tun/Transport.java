package io.steadfast.handlers.tun;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUringIoHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The two Netty transports a {@link TunChannel} runs on, for parameterized tests. */
enum Transport {
    EPOLL(EpollIoHandler::newFactory),
    IO_URING(IoUringIoHandler::newFactory);

    private final Supplier<IoHandlerFactory> factory;

    Transport(Supplier<IoHandlerFactory> factory) {
        this.factory = factory;
    }

    /** A one-thread event loop group of this transport; closing shuts it down and waits. */
    Loop newLoop() {
        return new Loop(new MultiThreadIoEventLoopGroup(1, factory.get()));
    }

    record Loop(MultiThreadIoEventLoopGroup group) implements AutoCloseable {
        /**
         * Shuts down with a (short) quiet period: with a quiet period of 0, Netty 4.2.18's loop can exit
         * without IoHandler.prepareToDestroy(), so registered handles (and their channels) are never closed.
         */
        @Override
        public void close() {
            group.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }
}
