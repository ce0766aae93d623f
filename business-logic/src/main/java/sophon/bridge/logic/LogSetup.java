package sophon.bridge.logic;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import sophon.bridge.task.MaskingPatternLayout;

/**
 * This process's logging, set up in code instead of a logback.xml: reading the XML loaded Joran and
 * Xerces, ~300 classes, into every per-task process (business-logic/README.md, Box benchmark).
 * One line per event to stdout, which the server redirects into the task folder: ISO-8601 time with
 * the offset, level, task= (the {@code sophon.task} property, set by Main before the first logger),
 * thread, logger, message; every line masked. A configuration file still wins, as logback's own
 * order has it: {@code -Dlogback.configurationFile}, or a {@code logback-test.xml} / {@code logback.xml}
 * on the class path (the server's tests have this jar and their own logback-test.xml).
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSxxx} %-5level task=%property{sophon.task} [%thread] %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = LogSetup.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        MaskingPatternLayout layout = new MaskingPatternLayout();
        layout.setContext(context);
        layout.setPattern(PATTERN);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(context);
        out.setName("OUT");
        out.setEncoder(encoder);
        out.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(out);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
