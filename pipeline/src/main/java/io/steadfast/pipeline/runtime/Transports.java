package io.steadfast.pipeline.runtime;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.steadfast.pipeline.profile.Transport;

/** Picks Netty's native transport: io_uring or epoll, as asked, or the faster one the kernel allows (epoll). */
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
            // epoll first: with UDP GRO (which Netty's io_uring datagram channel cannot do) it measured 1.5-2x the
            // throughput of io_uring in the system benchmark (rows b and b-uring).
            case AUTO -> Epoll.isAvailable() ? Transport.EPOLL : resolve(Transport.IO_URING);
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

    /** Largest read with UDP GRO: one coalesced run of datagrams is at most a 64 KB UDP payload. */
    static final int GRO_READ_BYTES = 65_536;
    /** Datagrams read per batch without GRO (recvmmsg on epoll, as many recvmsg requests on io_uring). */
    static final int DATAGRAMS_PER_READ = 16;

    /**
     * Sets how a UDP channel reads: with {@code gro} on epoll, UDP GRO (the kernel hands over a run of datagrams
     * from one peer as one read of up to 64 KB, which Netty cuts apart again); otherwise batches of
     * {@value #DATAGRAMS_PER_READ} datagrams of at most {@code maxDatagram} bytes per read, so that the pipeline
     * sees a whole batch before channelReadComplete (and the TUN can coalesce it). Returns whether GRO is on.
     */
    public static boolean configureReads(io.netty.channel.socket.DatagramChannel udp, boolean gro, int maxDatagram) {
        if (gro && udp instanceof io.netty.channel.epoll.EpollDatagramChannel epoll) {
            epoll.config().setUdpGro(true).setMaxDatagramPayloadSize(0)
                    .setRecvByteBufAllocator(new io.netty.channel.FixedRecvByteBufAllocator(GRO_READ_BYTES));
            return true;
        }
        var batch = new io.netty.channel.FixedRecvByteBufAllocator(maxDatagram * DATAGRAMS_PER_READ);
        if (udp instanceof io.netty.channel.epoll.EpollDatagramChannel epoll) {
            epoll.config().setMaxDatagramPayloadSize(maxDatagram).setRecvByteBufAllocator(batch);
        } else if (udp instanceof io.netty.channel.uring.IoUringDatagramChannel uring) {
            uring.config().setOption(io.netty.channel.uring.IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagram);
            uring.config().setRecvByteBufAllocator(batch);
        }
        return false;
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
