package io.steadfast.handlers.tun;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;
import java.io.IOException;

/**
 * A {@link TunChannel} on an io_uring event loop: a one-shot IORING_OP_POLL_ADD for POLLIN, re-armed after
 * each completion while reading is wanted (a one-shot poll on a fd that is already readable completes at
 * once, so packets left after a batch are not forgotten). The reads themselves are plain non-blocking read(2).
 * Closing must cancel the armed poll: io_uring holds a reference to the file, which keeps the device alive.
 */
final class TunUringHandle implements IoUringIoHandle, TunIo {
    private static final byte IORING_OP_POLL_ADD = 6;      // io_uring.h: poll; the mask goes in sqe.poll32_events (union3)
    private static final byte IORING_OP_ASYNC_CANCEL = 14; // io_uring.h: cancel the request whose user_data is sqe.addr (union2)
    private static final int IORING_CQE_F_MORE = 1 << 1;   // cqe.flags: this request will complete again (multishot)
    private static final int POLLIN = 0x1;                 // poll.h: data to read
    private static final int POLLERR = 0x8;                // poll.h: error (a TUN reports it once its device is gone)
    private static final int POLLHUP = 0x10;               // poll.h: hang up
    private static final int ECANCELED = 125;              // errno: cqe.res is -ECANCELED for a cancelled request
    private static final long POLL_DATA = 1;               // our user data for the poll (small: Netty's packed fast path)
    private static final long CANCEL_DATA = 2;             // our user data for the cancel

    private final TunChannel channel;
    private IoRegistration registration;
    private long pollId; // the user_data Netty gave the armed poll; 0 if none is armed
    private boolean want;

    TunUringHandle(TunChannel channel) {
        IoUring.ensureAvailability(); // loads the native library behind FileDescriptor's read/write
        this.channel = channel;
    }

    @Override
    public void attach(IoRegistration registration) {
        this.registration = registration;
    }

    @Override
    public void wantRead(boolean want) {
        this.want = want; // an armed poll stays armed: when it fires, readReady() finds no read pending
        if (want) arm();
    }

    private void arm() {
        if (pollId != 0 || registration == null || !registration.isValid() || !channel.isOpen()) return;
        pollId = registration.submit(new IoUringIoOps(IORING_OP_POLL_ADD, (byte) 0, (short) 0, channel.fd().intValue(),
                0L, 0L, 0, POLLIN, POLL_DATA, (short) 0, (short) 0, 0, 0L));
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        IoUringIoEvent completion = (IoUringIoEvent) event;
        if (completion.opcode() != IORING_OP_POLL_ADD) return; // the cancel's own completion
        if ((completion.flags() & IORING_CQE_F_MORE) == 0) pollId = 0;
        int res = completion.res();
        if (res == -ECANCELED) return;
        if (res < 0) {
            channel.ioFailed(new IOException("io_uring poll on TUN device " + channel.device().name() + " failed: "
                    + LinuxTun.strerror(-res)));
        } else if ((res & (POLLERR | POLLHUP)) != 0) {
            channel.deviceFailed("io_uring poll reported " + ((res & POLLERR) != 0 ? "POLLERR" : "POLLHUP"));
        } else {
            if ((res & POLLIN) != 0) channel.readReady();
            if (want) arm();
        }
    }

    @Override
    public void detach() {
        want = false;
        if (registration == null) return;
        if (pollId != 0 && registration.isValid()) {
            registration.submit(new IoUringIoOps(IORING_OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1,
                    0L, pollId, 0, 0, CANCEL_DATA, (short) 0, (short) 0, 0, 0L));
            pollId = 0;
        }
        registration.cancel(); // Netty drops the registration once the outstanding completions arrived
    }

    /** The event loop is shutting down: close the channel. */
    @Override
    public void close() {
        channel.unsafe().close(channel.unsafe().voidPromise());
    }
}
