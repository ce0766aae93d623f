package sophon.bridge.logic;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import sophon.bridge.task.Credentials;
import sophon.bridge.task.IsoTimeConverter;
import sophon.bridge.task.MaskingPatternLayout;

/**
 * This process's logging, set up in code instead of a logback.xml: reading the XML loaded Joran and
 * Xerces, ~300 classes, into every per-task process (business-logic/README.md, Box benchmark).
 * One line per event to stdout, which the server redirects into the task folder: ISO-8601 time with
 * the offset ({@link IsoTimeConverter}: logback's {@code %d} would load java.time's formatter),
 * level, task= (the {@code sophon.task} property, set by Main before the first logger), thread,
 * logger, message; every line masked. A configuration file still wins, as logback's own
 * order has it: {@code -Dlogback.configurationFile}, or a {@code logback-test.xml} / {@code logback.xml}
 * on the class path (the server's tests have this jar and their own logback-test.xml).
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%isotime %-5level task=%property{sophon.task} [%thread] %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = LogSetup.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // With a listener of its own, logback does not print its status through StatusPrinter,
        // whose date formatter would load the java.time classes that IsoTimeConverter avoids.
        context.getStatusManager().add(LogSetup::printProblem);
        MaskingPatternLayout layout = new MaskingPatternLayout();
        layout.setContext(context);
        IsoTimeConverter.register(layout);
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

    /** Logback's own warnings and errors (a failing appender, say), to stderr as StatusPrinter would. */
    static void printProblem(Status status) {
        if (status.getLevel() >= Status.WARN) {
            System.err.println(Credentials.mask("logback " + (status.getLevel() == Status.ERROR ? "ERROR" : "WARN")
                    + (status.getOrigin() == null
                            ? ""
                            : " " + status.getOrigin().getClass().getSimpleName())
                    + " - " + status.getMessage()
                    + (status.getThrowable() == null ? "" : ": " + status.getThrowable())));
        }
    }
}
