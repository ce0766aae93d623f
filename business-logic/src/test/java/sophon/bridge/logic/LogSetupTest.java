package sophon.bridge.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.WarnStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogSetupTest {
    static final String ISO = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}([+-]\\d\\d:\\d\\d|Z) ";

    @Test
    void everyEventIsOneMaskedLineWithTimeLevelTaskThreadLoggerAndMessage() {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // A TaskID with the pattern's own special characters stays literal text.
        System.setProperty("sophon.task", "cam%1(a)");
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what slf4j's binding gives the real one
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(
                    ch.qos.logback.classic.spi.Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY,
                    new LogSetup().configure(context));
            context.getLogger("sophon.bridge.logic.Outbox").info("pulling rtsp://admin:secret@10.0.0.5/s");
            context.getLogger("sophon.bridge.logic.Outbox").debug("not at INFO");
        } finally {
            context.stop();
            System.setOut(saved);
            System.clearProperty("sophon.task");
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(
                lines.get(0)
                        .matches(ISO + "INFO  task=cam%1\\(a\\) \\["
                                + Thread.currentThread().getName()
                                + "\\] Outbox - pulling rtsp://admin:\\*+@10\\.0\\.0\\.5/s"),
                lines.get(0));
    }

    @Test
    void logbacksOwnWarningsGoToStderrWithoutItsStatusPrinter() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            new LogSetup().configure(context);
            // logback prints through StatusPrinter (and loads java.time) only when no listener is set
            assertTrue(ch.qos.logback.core.status.StatusUtil.contextHasStatusListener(context));
            context.getStatusManager().add(new WarnStatus("appender OUT failed for rtsp://u:pw@cam/1", this));
            context.getStatusManager().add(new InfoStatus("just news", this));
        } finally {
            context.stop();
            System.setErr(saved);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(
                List.of("logback WARN LogSetupTest - appender OUT failed for rtsp://u:***@cam/1"),
                lines,
                lines.toString());
    }

    @Test
    void anExplicitConfigurationFileStillWins() {
        System.setProperty("logback.configurationFile", "elsewhere.xml");
        try {
            assertEquals(
                    ch.qos.logback.classic.spi.Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY,
                    new LogSetup().configure(new LoggerContext()));
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }
}
