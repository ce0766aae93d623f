package sophon.bridge.logic.report;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.logic.Counters;
import sophon.bridge.logic.outbox.Outbox;

/**
 * A reporter whose outbox cannot remove delivered alarms: a real SQLite file that another
 * connection locks or refuses deletes on, a real WireMock receiver over loopback.
 */
class ReporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/api/upload";
    private static final int ALARMS = 30;
    private static final int BATCH = 5;

    @TempDir
    Path dir;

    private WireMockServer receiver;
    private Outbox outbox;
    private Reporter reporter;
    private Connection other;
    private final Counters counters = new Counters("1001");

    @BeforeEach
    void setUp() throws Exception {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));
        Path file = dir.resolve("outbox.db");
        outbox = new Outbox(file, 10_000, Long.MAX_VALUE, n -> {});
        counters.queuedFrom(outbox::size);
        for (int i = 0; i < ALARMS; i++) {
            outbox.add(("{\"TaskID\":\"1001\",\"FrameIndex\":" + i + "}").getBytes(StandardCharsets.UTF_8), 0);
        }
        other = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = other.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        other.close(); // rolls back a lock a failed test left held
        if (reporter != null) {
            reporter.close();
        }
        outbox.close();
        receiver.stop();
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = other.createStatement()) {
            s.execute(sql);
        }
    }

    private void startReporter() {
        reporter = new Reporter(
                outbox, List.of(HttpUrl.get("http://127.0.0.1:" + receiver.port() + PATH)), counters, BATCH, 2000);
        reporter.start();
    }

    /** How many times each alarm (by FrameIndex) reached the receiver. */
    private Map<Long, Integer> postsPerAlarm() throws Exception {
        Map<Long, Integer> seen = new TreeMap<>();
        for (ServeEvent e : receiver.getAllServeEvents()) {
            for (JsonNode alarm : JSON.readTree(e.getRequest().getBodyAsString())) {
                seen.merge(alarm.get("FrameIndex").asLong(), 1, Integer::sum);
            }
        }
        return seen;
    }

    private int rows() throws SQLException {
        try (Statement s = other.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private void assertEveryAlarmDeliveredOnceAndTheOutboxEmpty() throws Exception {
        await("an empty outbox", 30_000, () -> outbox.size() == 0);
        Map<Long, Integer> seen = postsPerAlarm();
        assertEquals(ALARMS, seen.size(), "every alarm reached the receiver: " + seen);
        seen.forEach((frame, times) -> assertEquals(1, times, "alarm " + frame + " posted " + times + " times"));
        assertEquals(ALARMS, counters.alarmsDelivered.sum());
        assertEquals(0, counters.alarmsFailed.sum());
        assertEquals(0, rows(), "no row left in the file");
    }

    @Test
    void anOutboxLockedByAnotherWriterDoesNotMakeTheReceiverSeeAlarmsAgain() throws Exception {
        execute("BEGIN EXCLUSIVE");
        startReporter();
        await("first deliveries", 10_000, () -> receiver.getAllServeEvents().size() >= 1);
        // Each removal waits out the 5 s busy timeout, so 11 s covers two failed rounds.
        Thread.sleep(11_000);
        int postsWhileLocked = receiver.getAllServeEvents().size();
        Map<Long, Integer> seenWhileLocked = postsPerAlarm();
        assertTrue(
                postsWhileLocked <= Reporter.SENDERS,
                postsWhileLocked + " POSTs while the outbox was locked; at most one per sender");
        seenWhileLocked.forEach(
                (frame, times) -> assertEquals(1, times, "alarm " + frame + " posted again while locked"));
        long t0 = System.nanoTime();
        assertEquals((long) ALARMS, counters.snapshot().get("alarmsQueued"), "nothing could be removed");
        long countersMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(countersMs < 500, "the counters answer while a removal waits for the lock: " + countersMs + " ms");
        assertTrue(
                counters.snapshot().get("lastDeliveryError").toString().contains("not removed from the outbox"),
                counters.snapshot().toString());
        execute("ROLLBACK");
        assertEveryAlarmDeliveredOnceAndTheOutboxEmpty();
    }

    @Test
    void aRemovalThatFailsAtOnceIsRetriedWithBackoffNotByPostingAgain() throws Exception {
        // fails at once, as a full disk would: no busy timeout slows a hot loop down here
        execute("CREATE TRIGGER refuse BEFORE DELETE ON outbox BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END");
        startReporter();
        await("first deliveries", 10_000, () -> receiver.getAllServeEvents().size() >= 1);
        Thread.sleep(3000);
        int postsWhileRefused = receiver.getAllServeEvents().size();
        assertTrue(
                postsWhileRefused <= Reporter.SENDERS,
                postsWhileRefused + " POSTs while removals failed; at most one per sender");
        postsPerAlarm().forEach((frame, times) -> assertEquals(1, times, "alarm " + frame + " posted again"));
        assertEquals(ALARMS, rows(), "a failed removal removes nothing");
        assertTrue(
                counters.snapshot().get("lastDeliveryError").toString().contains("disk full (test)"),
                counters.snapshot().toString());
        execute("DROP TRIGGER refuse");
        assertEveryAlarmDeliveredOnceAndTheOutboxEmpty();
    }
}
