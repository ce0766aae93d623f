package sophon.bridge.task;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class MaskingPatternLayoutTest {
    @Test
    void theMessageAndTheStackTraceAreMasked() {
        LoggerContext context = new LoggerContext();
        MaskingPatternLayout layout = new MaskingPatternLayout();
        layout.setContext(context);
        layout.setPattern("%-5level %logger{0} - %msg%n");
        layout.start();
        IOException cause = new IOException("Failed to connect to http://rep:Up%40ld@10.0.0.2:8089/api/upload");
        LoggingEvent event = new LoggingEvent(
                "x",
                context.getLogger("Reporter"),
                Level.WARN,
                "posting to {} failed",
                new IllegalStateException("wrapped admin:12345@10.0.0.5:554/h264", cause),
                new Object[] {"rtsp://admin:P@ss@cam/live"});
        String line = layout.doLayout(event);
        assertTrue(line.contains("posting to rtsp://admin:***@cam/live failed"), line);
        assertTrue(line.contains("wrapped admin:***@10.0.0.5:554/h264"), line);
        assertTrue(line.contains("http://rep:***@10.0.0.2:8089/api/upload"), line);
        assertTrue(line.contains("at sophon.bridge.task.MaskingPatternLayoutTest"), "the stack trace is kept: " + line);
        assertFalse(line.contains("P@ss") || line.contains("12345") || line.contains("Up%40ld"), line);
    }
}
