package io.steadfast.handlers.stage;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

    @Test
    void logsOncePerIntervalAndCountsWhatItSuppressed() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("rate-limit-test");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        RateLimitedLog log = new RateLimitedLog(logger, 200, TimeUnit.MILLISECONDS);
        for (int i = 0; i < 1000; i++) log.warn("bad packet {}", i);
        assertThat(appender.list).hasSize(1);
        assertThat(appender.list.get(0).getFormattedMessage()).isEqualTo("bad packet 0");
        assertThat(log.suppressed()).isEqualTo(999);
        Thread.sleep(250);
        log.warn("bad packet {}", 1000);
        assertThat(appender.list).hasSize(2);
        assertThat(appender.list.get(1).getFormattedMessage()).isEqualTo("bad packet 1000 (and 999 more like it suppressed)");
        assertThat(log.suppressed()).isZero();
        logger.detachAppender(appender);
    }
}
