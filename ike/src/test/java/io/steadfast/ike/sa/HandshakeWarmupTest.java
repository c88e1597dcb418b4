package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The warm-up's in-memory handshakes complete, clean up after themselves and log nothing; real SAs still log. */
class HandshakeWarmupTest {

    @Test
    void handshakesCompleteQuietlyWithEachProposal() {
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override public void publish(LogRecord r) { records.add(r); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        Logger logger = Logger.getLogger("io.steadfast.ike");
        logger.addHandler(handler);
        try {
            assertThat(new HandshakeWarmup("aes128gcm16-prfsha256-x25519", "aes128gcm16").run(Duration.ofSeconds(30), 3, 1)).isEqualTo(3);
            assertThat(new HandshakeWarmup("aes256-sha256-ecp256", "chacha20poly1305").run(Duration.ofSeconds(30), 2, 0.5)).isEqualTo(2);
            assertThat(records).isEmpty();

            Wire wire = new Wire(Wire.gateway()); // outside the warm-up, SAs say when they come up
            wire.start(Wire.client());
            wire.run();
            assertThat(records).extracting(LogRecord::getMessage).anyMatch(m -> m.contains("established"));
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void theBudgetBoundsTheWorkAndTheShareMustBeAPartOfACore() {
        HandshakeWarmup warmup = new HandshakeWarmup("aes128gcm16-prfsha256-x25519", "aes128gcm16");
        assertThat(warmup.run(Duration.ZERO, 100, 1)).isZero();
        for (double share : new double[] {0, -0.5, 1.5, Double.NaN}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> warmup.run(Duration.ofSeconds(1), 1, share))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
