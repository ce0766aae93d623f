package sophon.bridge.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.AppHome;
import sophon.bridge.server.BridgeServer;
import sophon.bridge.server.ServerOptions;
import sophon.bridge.server.process.ProcInfo;

/**
 * Issue 10: {@code GET /health} tells the truth (503 while the task database cannot be written or
 * the data dir is short of space, 200 with the box's numbers otherwise), and each business-logic
 * child is given its fixed share of the box's outbox budget.
 */
class HealthTest {
    private static final Path HOME = AppHome.find();

    @TempDir
    static Path tmp;

    static BridgeServer server;
    static ApiClient api;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        Path root = FakeStreamRoot.create(tmp.resolve("sophon-stream"), HOME, "frames=0\npause_ms=100\n");
        data = tmp.resolve("data");
        server = BridgeServer.start(
                ServerOptions.parse(
                        new String[] {
                            "--port=0",
                            "--data-dir=" + data,
                            "--stream-path=" + root,
                            "--restart-backoff-ms=200",
                            "--stop-grace-ms=3000",
                            "--max-tasks=4",
                            "--outbox-budget-mb=64"
                        },
                        Map.of()),
                HOME);
        api = new ApiClient(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthyAnswerCarriesTheBoxNumbersAndChildrenGetTheirOutboxShare() throws Exception {
        ApiClient.Answer health = api.get("/health");
        assertEquals(200, health.status());
        assertEquals(0, health.code());
        JsonNode r = health.result();
        assertEquals("ok", r.path("Status").asText());
        assertFalse(r.path("Version").asText().isBlank());
        assertTrue(r.path("UptimeSeconds").asLong() >= 0);
        assertTrue(r.path("Engine").asText().startsWith("sophon-stream"), r.toString());
        assertTrue(r.path("DataDirFreeMB").asLong() > 0, r.toString());
        assertEquals(256, r.path("MinFreeDiskMB").asLong());
        assertEquals(64, r.path("OutboxBudgetMB").asLong());
        assertEquals(16, r.path("OutboxShareMB").asLong());
        for (String state : List.of("starting", "running", "restarting", "retrying", "finished", "error")) {
            assertTrue(r.path("TasksByState").has(state), r.toString());
        }

        assertEquals(
                0,
                api.post("/task/create", ApiClient.task("h1", "rtsp://10.0.0.5/s", 3, "http://127.0.0.1:9/api/upload"))
                        .code());
        Children.await("h1 running", Duration.ofSeconds(60), () -> running() == 1);
        Path dir = data.resolve("tasks/h1/0-yolov5").toAbsolutePath();
        List<ProcInfo> logic = Children.businessLogic(dir);
        assertEquals(1, logic.size());
        assertTrue(
                logic.get(0).hasArg("--outbox-disk-bytes=" + 16L * 1024 * 1024),
                logic.get(0).args().toString());
        // Its outbox maps the one sqlite library of the data dir, not a private copy in /tmp.
        String maps = Files.readString(Path.of("/proc/" + logic.get(0).pid() + "/maps"));
        assertTrue(maps.contains(data.toAbsolutePath().resolve("native").toString()), "sqlite library not shared");
        assertFalse(maps.contains("/tmp/sqlite-"), "a private sqlite copy is mapped");
        assertEquals(1, api.get("/health").result().path("Tasks").asInt());
        assertEquals(0, api.delete("h1").code());

        // Its children's logs outlive the task folder, for a post-mortem; business logic's lines
        // carry an ISO-8601 time with offset and the task as a field.
        assertFalse(Files.exists(data.resolve("tasks/h1")));
        List<Path> kept;
        try (Stream<Path> s = Files.list(data.resolve("deleted"))) {
            kept = s.filter(p -> p.getFileName().toString().startsWith("h1-")).toList();
        }
        assertEquals(1, kept.size());
        assertTrue(Files.exists(kept.get(0).resolve("0-yolov5/stream.log")));
        List<String> lines = Files.readAllLines(kept.get(0).resolve("0-yolov5/business-logic.log")).stream()
                .filter(l -> l.contains(" INFO "))
                .toList();
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertTrue(
                    line.matches(
                            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d INFO  task=h1 .*"),
                    line);
        }
    }

    @Test
    void aDatabaseThatCannotBeWrittenMakesHealth503AndTheTaskApiStays200() throws Exception {
        // Tests run as root, which chmod does not stop: another connection holding the write lock does.
        try (Connection other = DriverManager.getConnection(
                        "jdbc:sqlite:" + data.resolve("tasks.db").toAbsolutePath());
                Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            Children.await("/health 503", Duration.ofSeconds(10), () -> status() == 503);
            long t0 = System.nanoTime();
            ApiClient.Answer health = api.get("/health");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(503, health.status());
            assertTrue(ms < 3000, "bounded in time: " + ms + " ms");
            assertEquals(1005, health.code());
            assertTrue(health.msg().contains("task database cannot be written"), health.msg());
            assertEquals("unhealthy", health.result().path("Status").asText());
            assertEquals(200, api.list().status());
            s.execute("ROLLBACK");
        }
        Children.await("/health 200 again", Duration.ofSeconds(10), () -> status() == 200);
    }

    @Test
    void lessFreeDiskThanTheMinimumMakesHealth503(@TempDir Path other) throws Exception {
        Path root = FakeStreamRoot.create(other.resolve("sophon-stream"), HOME, "frames=0\n");
        try (BridgeServer tight = BridgeServer.start(
                ServerOptions.parse(
                        new String[] {
                            "--port=0", "--data-dir=" + other.resolve("data"), "--stream-path=" + root, "--max-tasks=2"
                        },
                        Map.of("SOPHON_BRIDGE_MIN_FREE_DISK_MB", "1073741824")),
                HOME)) {
            ApiClient.Answer health = new ApiClient(tight.port()).get("/health");
            assertEquals(503, health.status());
            assertEquals(1005, health.code());
            assertTrue(health.msg().contains("--min-free-disk-mb"), health.msg());
        }
    }

    private static int running() {
        try {
            return api.get("/health")
                    .result()
                    .path("TasksByState")
                    .path("running")
                    .asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int status() {
        try {
            return api.get("/health").status();
        } catch (Exception e) {
            return -1;
        }
    }
}
