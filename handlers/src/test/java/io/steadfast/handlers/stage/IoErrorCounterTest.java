package io.steadfast.handlers.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class IoErrorCounterTest {

    @Test
    void sendErrorsAreCountedByMessageAndTheChannelStaysOpen() {
        IoErrorCounter counter = new IoErrorCounter("udp");
        EmbeddedChannel ch = new EmbeddedChannel(counter);
        for (int i = 0; i < 3; i++) {
            ch.pipeline().fireExceptionCaught(new IOException("io_uring sendmsg(..) failed with error(-101): Network is unreachable"));
        }
        ch.pipeline().fireExceptionCaught(new IOException("sendmsg(..) failed with error(-1): Operation not permitted"));
        ch.pipeline().fireExceptionCaught(new IllegalStateException());
        ch.checkException(); // nothing reached the tail
        assertThat(ch.isOpen()).isTrue();
        assertThat(counter.errors()).isEqualTo(5);
        assertThat(counter.counters()).containsExactly(
                java.util.Map.entry("errors", 5L),
                java.util.Map.entry("error.network-is-unreachable", 3L),
                java.util.Map.entry("error.operation-not-permitted", 1L),
                java.util.Map.entry("error.illegalstateexception", 1L));
    }

    @Test
    void writesRacingTheCloseAreCountedQuietly() {
        IoErrorCounter counter = new IoErrorCounter("udp");
        EmbeddedChannel ch = new EmbeddedChannel(counter);
        ch.pipeline().fireExceptionCaught(new java.nio.channels.ClosedChannelException());
        ch.checkException();
        assertThat(counter.counters()).containsEntry("errors", 1L).containsEntry("error.channel-closed", 1L);
    }

    @Test
    void atMostEightKindsAreKeptTheRestCountAsOther() {
        IoErrorCounter counter = new IoErrorCounter("tun sf0");
        EmbeddedChannel ch = new EmbeddedChannel(counter);
        for (int i = 0; i < 12; i++) ch.pipeline().fireExceptionCaught(new IOException("failed: kind " + i));
        assertThat(counter.counters()).hasSize(1 + 8 + 1).containsEntry("error.other", 4L).containsEntry("errors", 12L);
    }

    @Test
    void theSummaryDropsNettysSyscallPrefix() {
        assertThat(IoErrorCounter.summary(new IOException("io_uring sendmsg(..) failed with error(-101): Network is unreachable")))
                .isEqualTo("Network is unreachable");
        assertThat(IoErrorCounter.summary(new IOException("plain"))).isEqualTo("plain");
        assertThat(IoErrorCounter.summary(new RuntimeException())).isEqualTo("RuntimeException");
    }
}
