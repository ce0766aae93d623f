package sophon.bridge.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void theServersCommandLineParsesWithDefaultsForTheRest() {
        Options o = Options.parse(
                "--host=127.0.0.1",
                "--port=10001",
                "--task=/d/tasks/1001/task.json",
                "--algorithm-index=1",
                "--work-dir=/d/tasks/1001/1-yolov5");
        assertEquals(10001, o.port());
        assertEquals(Path.of("/d/tasks/1001/task.json"), o.task());
        assertEquals(1, o.algorithmIndex());
        assertEquals(10_000, o.outboxMaxAlarms());
        assertEquals(2L * 1024 * 1024 * 1024, o.outboxMaxBytes());
        assertNull(o.alarmDir());
        assertEquals(16, o.httpThreads());
        assertFalse(o.training());
        assertTrue(Options.parse("--port=1", "--task=t", "--training=true").training());
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertEquals(
                "--port and --task are required",
                assertThrows(IllegalArgumentException.class, () -> Options.parse("--port=1"))
                        .getMessage());
        assertEquals(
                "unknown option --colour",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Options.parse("--port=1", "--task=t", "--colour=red"))
                        .getMessage());
        assertEquals(
                "--port must be a whole number, got 'x'",
                assertThrows(IllegalArgumentException.class, () -> Options.parse("--port=x", "--task=t"))
                        .getMessage());
        assertEquals(
                "--outbox-max-alarms must be between 1 and 9223372036854775807, got 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Options.parse("--port=1", "--task=t", "--outbox-max-alarms=0"))
                        .getMessage());
        assertEquals(
                "--training must be true or false, got 'yes'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Options.parse("--port=1", "--task=t", "--training=yes"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Options.parse("port=1"));
    }
}
