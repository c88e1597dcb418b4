package io.steadfast.ike.sa;

import io.steadfast.ike.FragmentReassembler;
import java.util.List;

/**
 * The message-ID bookkeeping of one IKE SA (RFC 7296 2.1-2.3), both windows of size 1: our request in flight with
 * its retransmission state and our next message ID; the peer's next expected message ID and our cached answer to
 * its last request; and the reassembly of fragmented messages (RFC 7383). A rekeyed IKE SA starts a fresh one.
 *
 * <pre>{@code
 * MessageWindows w = context.windows;
 * if (header.messageId() == w.cachedResponseId) resend(w.cachedResponse);
 * }</pre>
 */
final class MessageWindows {
    /** A request of ours in flight: its datagrams, how often sent, when to resend. */
    static final class Pending {
        final Exchange exchange;
        final int messageId;
        final List<Datagram> datagrams;
        final long firstSent;
        int sends = 1;
        long deadline;

        Pending(Exchange exchange, int messageId, List<Datagram> datagrams, long now, long deadline) {
            this.exchange = exchange;
            this.messageId = messageId;
            this.datagrams = datagrams;
            this.firstSent = now;
            this.deadline = deadline;
        }
    }

    final FragmentReassembler reassembler;
    Pending pending;
    int nextMessageId;
    int peerNextMessageId;
    int cachedResponseId = -1;
    List<Datagram> cachedResponse = List.of();

    /** Fresh windows: message IDs from 0, nothing cached; fragments time out after {@code fragmentTimeoutNanos}. */
    MessageWindows(long fragmentTimeoutNanos) {
        this.reassembler = new FragmentReassembler(64, 64 * 1024, fragmentTimeoutNanos);
    }

    /** When the pending request wants a resend, or {@link IkeSa#NO_DEADLINE}. */
    long deadline() {
        return pending == null ? IkeSa.NO_DEADLINE : pending.deadline;
    }
}
