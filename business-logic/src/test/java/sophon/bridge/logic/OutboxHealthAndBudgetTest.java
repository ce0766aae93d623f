package sophon.bridge.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.task.TaskRequest;

/**
 * Issue 10: business logic's {@code /health} is 503 (with its pid) while its outbox cannot be
 * written, and an outbox given a disk share ({@code --outbox-disk-bytes}) drops its oldest alarms
 * rather than outgrow it, on disk (database, WAL and shared-memory file together).
 */
class OutboxHealthAndBudgetTest {
    /** Nobody listens on port 9 of loopback: every delivery fails and alarms stay in the outbox. */
    private static final String DEAD_RECEIVER = "http://127.0.0.1:9/api/upload";

    private static LogicProcess start(Path dir, String... extra) throws Exception {
        TaskRequest task = Fixtures.task("1001", Fixtures.everyFrame(), List.of(DEAD_RECEIVER));
        Path taskJson = Fixtures.writeTask(dir, task);
        List<String> args = new java.util.ArrayList<>(List.of(
                "--port=" + Fixtures.freePort(), "--task=" + taskJson, "--work-dir=" + dir, "--report-timeout-ms=200"));
        args.addAll(List.of(extra));
        return LogicProcess.start(
                Options.parse(args.toArray(String[]::new)),
                task,
                AlgorithmRegistry.load().plugin(3).orElseThrow());
    }

    @Test
    void healthIs503WithThePidWhileTheOutboxCannotBeWrittenAnd200Again(@TempDir Path dir) throws Exception {
        LogicProcess process = start(dir);
        try {
            HttpResponse<String> ok = Fixtures.get(process.port(), "/health");
            assertEquals(200, ok.statusCode());
            long pid = ProcessHandle.current().pid();
            assertEquals(pid, Fixtures.json(ok).path("pid").asLong());
            assertEquals(0, Fixtures.json(ok).path("code").asInt(-99));
            // Root ignores chmod; another connection holding the write lock blocks every writer.
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("outbox.db"));
                    Statement s = other.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
                Fixtures.await("/health 503", 20_000, () -> status(process) == 503);
                JsonNode answer = Fixtures.json(Fixtures.get(process.port(), "/health"));
                assertEquals(pid, answer.path("pid").asLong(), answer.toString());
                assertEquals("unhealthy", answer.path("status").asText());
                assertTrue(answer.path("msg").asText().contains("outbox cannot be written"), answer.toString());
                assertEquals(200, Fixtures.get(process.port(), "/counters").statusCode());
                s.execute("ROLLBACK");
            }
            Fixtures.await("/health 200 again", 20_000, () -> status(process) == 200);
        } finally {
            process.close();
        }
    }

    private static int status(LogicProcess process) {
        try {
            return Fixtures.get(process.port(), "/health").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void anOutboxAtItsDiskShareDropsTheOldestAndStaysWithinItOnDisk(@TempDir Path dir) throws Exception {
        long share = 4L * 1024 * 1024;
        LogicProcess process = start(dir, "--outbox-disk-bytes=" + share);
        long maxOnDisk = 0;
        try {
            for (long id = 1; process.counters().alarmsDropped.sum() < 20 && id < 2000; id++) {
                assertEquals(
                        200,
                        Fixtures.post(process.port(), "/frames", Fixtures.alarmingFrame(id))
                                .statusCode());
                maxOnDisk = Math.max(maxOnDisk, onDisk(dir));
            }
            Thread.sleep(1500); // a checkpoint or two
            maxOnDisk = Math.max(maxOnDisk, onDisk(dir));
            long dropped = process.counters().alarmsDropped.sum();
            assertTrue(dropped >= 20, "dropped " + dropped);
            JsonNode counters = Fixtures.counters(process.port());
            assertEquals(dropped, counters.path("alarmsDropped").asLong());
            assertTrue(maxOnDisk <= share, "outbox files took " + maxOnDisk + " bytes, share " + share);
            assertTrue(
                    Files.size(dir.resolve("outbox.db")) > share / 2,
                    "the share was used: " + Files.size(dir.resolve("outbox.db")));
        } finally {
            process.close();
        }
        assertTrue(onDisk(dir) <= share, "after close: " + onDisk(dir));
    }

    private static long onDisk(Path dir) throws java.io.IOException {
        long total = 0;
        for (String name : List.of("outbox.db", "outbox.db-wal", "outbox.db-shm")) {
            Path f = dir.resolve(name);
            total += Files.exists(f) ? Files.size(f) : 0;
        }
        return total;
    }

    @Test
    void theBodyBoundLeavesRoomForSqliteAndTheWal() {
        assertEquals(
                Options.bodyBytesWithin(100L * 1024 * 1024),
                Options.parse("--port=1", "--task=t.json", "--outbox-disk-bytes=" + 100L * 1024 * 1024)
                        .outboxMaxBytes());
        assertEquals(
                1L << 20,
                Options.parse(
                                "--port=1",
                                "--task=t.json",
                                "--outbox-max-bytes=1048576",
                                "--outbox-disk-bytes=" + 100L * 1024 * 1024)
                        .outboxMaxBytes());
    }
}
