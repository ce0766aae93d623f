package sophon.bridge.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped logback.xml: ISO-8601 time with offset, task= and entry= as fields only when set. */
class LogFormatTest {
    static final String ISO = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d ";

    @Test
    void serverLogLinesCarryAnOffsetAndTheTaskAsAField(@TempDir Path logs) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter()); // the one TaskLog writes to
        context.putProperty("sophon.bridge.logdir", logs.toString());
        System.setProperty("sophon.bridge.logdir", logs.toString());
        try {
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(context);
            joran.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
            org.slf4j.Logger log = context.getLogger("sophon.bridge.server.task.TaskManager");
            TaskLog.of(log, "cam1", 2).info("stable");
            TaskLog.of(log, "cam1").info("deleted");
            log.info("no task");
        } finally {
            context.stop();
            System.clearProperty("sophon.bridge.logdir");
        }
        List<String> lines = Files.readAllLines(logs.resolve("server.log"));
        assertTrue(lines.get(0).matches(ISO + "INFO  task=cam1 entry=2 \\[.*\\] TaskManager - stable"), lines.get(0));
        assertTrue(lines.get(1).matches(ISO + "INFO  task=cam1 \\[.*\\] TaskManager - deleted"), lines.get(1));
        assertTrue(lines.get(2).matches(ISO + "INFO  \\[.*\\] TaskManager - no task"), lines.get(2));
    }
}
