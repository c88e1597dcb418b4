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
        @Override
        public void close() {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
