package io.runnerfleet.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log event while a test runs, from every logger, with ours ({@code io.runnerfleet}) at TRACE: what a test that
 * greps the product's log for a secret reads. {@link #close} puts the loggers back as they were.
 */
public final class CapturedLog implements AutoCloseable {
    /** The test's stand-ins (GitLab, kubelet, mock API server) log too; their lines are not the product's. */
    private static final List<String> TEST_FIXTURE_LOGGERS =
            List.of("io.runnerfleet.testing", "io.fabric8.mockwebserver", "io.fabric8.kubernetes.client.server.mock");

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger ours = (Logger) LoggerFactory.getLogger("io.runnerfleet");
    private final Level oursBefore = ours.getLevel();

    private CapturedLog() {
        ours.setLevel(Level.TRACE);
        events.start();
        root.addAppender(events);
    }

    public static CapturedLog start() {
        return new CapturedLog();
    }

    /** The product's lines so far: each message, its MDC, and every cause's message and stack frames. */
    public List<String> productLines() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(events.list)) {
            if (TEST_FIXTURE_LOGGERS.stream().anyMatch(event.getLoggerName()::startsWith)) {
                continue;
            }
            lines.add(event.getFormattedMessage());
            lines.add(String.valueOf(event.getMDCPropertyMap()));
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                lines.add(t.getClassName() + ": " + t.getMessage());
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    lines.add(frame.getSTEAsString());
                }
            }
        }
        return lines;
    }

    @Override
    public void close() {
        root.detachAppender(events);
        ours.setLevel(oursBefore);
    }
}
