package io.meshlive.server.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Keeps what one server class logs while a test runs, so a test can check the operator's view:
 * how many lines an event produced, and whether they carry a stack trace.
 */
final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(Class<?> source) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
        appender.start();
        logger.addAppender(appender);
    }

    static LogCapture of(Class<?> source) {
        return new LogCapture(source);
    }

    /** The events so far whose message contains {@code text}. */
    List<ILoggingEvent> mentioning(String text) {
        synchronized (appender) { // the appender adds under its own lock
            return appender.list.stream().filter(e -> e.getFormattedMessage().contains(text)).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
