package sophon.bridge.logic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.logic.outbox.Outbox;

class OutboxTest {
    @TempDir
    Path dir;

    private static byte[] body(int i) {
        return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<Outbox.Entry> entries) {
        return entries.stream()
                .map(e -> new String(e.body(), StandardCharsets.UTF_8))
                .toList();
    }

    /**
     * A write reaches the database file itself (not only the WAL) about 0.5 s later; then the
     * checkpoint thread sleeps until the next write or the 5 s probe. It used to wake every
     * 500 ms to find nothing, and on a box of 16 processes each such wake-up costs CPU.
     */
    @Test
    void theCheckpointerCopiesAWriteThenSleepsUntilTheNext() throws Exception {
        Path file = dir.resolve("outbox.db");
        try (Outbox box = new Outbox(file, 100, Long.MAX_VALUE, n -> {})) {
            box.add(body(1), 0);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (rowsInDatabaseFileAlone(file) == 0) {
                assertTrue(System.nanoTime() < deadline, "the write was not checkpointed within 5 s");
                Thread.sleep(50);
            }
            Thread.sleep(700); // past the checkpoint; the probe is due only 5 s after the write
            long before = checkpointerWakeUps();
            Thread.sleep(2000);
            long woke = checkpointerWakeUps() - before;
            assertTrue(woke <= 1, "the idle checkpoint thread woke " + woke + " times in 2 s");
        }
    }

    /** Rows of a copy of the database file without its WAL: what checkpoints have copied there. */
    private int rowsInDatabaseFileAlone(Path file) throws Exception {
        Path copy = dir.resolve("copy-" + System.nanoTime() + ".db");
        Files.copy(file, copy);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            return 0; // no table there yet, or copied mid-write: look again
        }
    }

    /** Voluntary context switches of this JVM's outbox checkpoint threads (Linux names them by 15 chars). */
    private static long checkpointerWakeUps() throws Exception {
        long sum = 0;
        int threads = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (!Files.readString(task.resolve("comm")).strip().equals("outbox-checkpoi")) {
                    continue;
                }
                threads++;
                for (String line : Files.readAllLines(task.resolve("status"))) {
                    if (line.startsWith("voluntary_ctxt_switches:")) {
                        sum += Long.parseLong(
                                line.substring(line.indexOf(':') + 1).strip());
                    }
                }
            }
        }
        assertEquals(1, threads, "outbox checkpoint threads in this JVM");
        return sum;
    }

    @Test
    void overTheCountBoundTheOldestAreDroppedAndCounted() throws Exception {
        AtomicInteger dropped = new AtomicInteger();
        try (Outbox box = new Outbox(dir.resolve("outbox.db"), 5, Long.MAX_VALUE, dropped::addAndGet)) {
            for (int i = 0; i < 8; i++) {
                box.add(body(i), 0);
            }
            assertEquals(5, box.size());
            assertEquals(3, dropped.get());
            assertEquals(
                    List.of("{\"n\":3}", "{\"n\":4}", "{\"n\":5}", "{\"n\":6}", "{\"n\":7}"),
                    texts(box.take(10, 1 << 20, 10)));
        }
    }

    /**
     * Bodies being sent stay within the sending budget whatever the batch limits: a sender
     * waits until another's batch is delivered or released, and one alarm always goes.
     */
    @Test
    void claimedBodiesStayWithinTheSendingBudget() throws Exception {
        byte[] big = new byte[600];
        try (Outbox box = new Outbox(dir.resolve("outbox.db"), 100, Long.MAX_VALUE, n -> {}, 1000)) {
            box.add(new byte[1500], 0); // larger than the whole budget
            for (int i = 0; i < 3; i++) {
                box.add(big, 0);
            }
            List<Outbox.Entry> first = box.take(20, 1 << 20, 10);
            assertEquals(1, first.size(), "one alarm always goes, even over the budget");
            assertEquals(1500, first.get(0).body().length);
            assertEquals(List.of(), box.take(20, 1 << 20, 50), "no room while it is claimed");
            box.delivered(first);
            List<Outbox.Entry> second = box.take(20, 1 << 20, 10);
            assertEquals(1, second.size(), "600 + 600 is over 1000");
            assertEquals(List.of(), box.take(20, 1 << 20, 50));
            box.release(second);
            assertEquals(1, box.take(20, 1 << 20, 10).size(), "released: room again");
            assertEquals(3, box.size());
        }
    }

    @Test
    void overTheByteBoundTheOldestAreDropped() throws Exception {
        AtomicInteger dropped = new AtomicInteger();
        byte[] big = new byte[600];
        try (Outbox box = new Outbox(dir.resolve("outbox.db"), 100, 1500, dropped::addAndGet)) {
            for (int i = 0; i < 4; i++) {
                box.add(big, 0);
            }
            assertEquals(2, box.size());
            assertEquals(1200, box.bytes());
            assertEquals(2, dropped.get());
        }
    }

    @Test
    void undeliveredAlarmsSurviveAReopenInOrderAndDeliveredOnesDoNot() throws Exception {
        Path file = dir.resolve("outbox.db");
        try (Outbox box = new Outbox(file, 100, Long.MAX_VALUE, n -> {})) {
            for (int i = 0; i < 4; i++) {
                box.add(body(i), 0);
            }
            List<Outbox.Entry> first = box.take(2, 1 << 20, 10);
            assertEquals(List.of("{\"n\":0}", "{\"n\":1}"), texts(first));
            box.delivered(first);
            List<Outbox.Entry> second = box.take(1, 1 << 20, 10);
            box.release(second);
        }
        try (Outbox box = new Outbox(file, 100, Long.MAX_VALUE, n -> {})) {
            assertEquals(2, box.size());
            assertEquals(List.of("{\"n\":2}", "{\"n\":3}"), texts(box.take(10, 1 << 20, 10)));
        }
    }

    @Test
    void batchesRespectTheByteLimitButAlwaysTakeOne() throws Exception {
        try (Outbox box = new Outbox(dir.resolve("outbox.db"), 100, Long.MAX_VALUE, n -> {})) {
            box.add(new byte[1000], 0);
            box.add(new byte[1000], 0);
            assertEquals(1, box.take(10, 500, 10).size());
            assertEquals(1, box.take(10, 1500, 10).size());
            assertEquals(0, box.take(10, 1500, 10).size());
        }
    }

    @Test
    void bodiesBeyondTheMemoryBudgetAreReadBackFromTheFile() throws Exception {
        int size = 1024 * 1024;
        int count = (int) (Outbox.MEMORY_BUDGET / size) + 3; // the last three are on disk only
        List<byte[]> bodies = new java.util.ArrayList<>();
        try (Outbox box = new Outbox(dir.resolve("outbox.db"), 100, Long.MAX_VALUE, n -> {})) {
            for (int i = 0; i < count; i++) {
                byte[] b = new byte[size];
                java.util.Arrays.fill(b, (byte) ('a' + i));
                bodies.add(b);
                box.add(b, 0);
            }
            List<Outbox.Entry> all = new java.util.ArrayList<>();
            List<Outbox.Entry> batch;
            while (!(batch = box.take(4, Long.MAX_VALUE, 10)).isEmpty()) {
                all.addAll(batch);
                box.delivered(batch);
            }
            assertEquals(count, all.size());
            for (int i = 0; i < count; i++) {
                assertArrayEquals(bodies.get(i), all.get(i).body(), "alarm " + i);
            }
            assertEquals(0, box.size());
        }
    }

    @Test
    void theWalIsCopiedIntoTheDatabaseFileInTheBackground() throws Exception {
        Path file = dir.resolve("outbox.db");
        try (Outbox box = new Outbox(file, 100, Long.MAX_VALUE, n -> {})) {
            long before = Files.size(file);
            for (int i = 0; i < 8; i++) {
                box.add(new byte[256 * 1024], 0);
            }
            // inserts only write the WAL; the database file grows when the checkpointer ran
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (Files.size(file) < before + 2 * 1024 * 1024 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(
                    Files.size(file) >= before + 2 * 1024 * 1024,
                    "database file " + Files.size(file) + " bytes, WAL " + Files.size(dir.resolve("outbox.db-wal")));
        }
    }

    /** A second connection to the same file, as another process would have. */
    private static Connection other(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
        }
        return c;
    }

    private static int rows(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aBatchDeleteThatFailsHalfwayKeepsEveryRowOfTheBatch() throws Exception {
        Path file = dir.resolve("outbox.db");
        try (Outbox box = new Outbox(file, 100, Long.MAX_VALUE, n -> {});
                Connection other = other(file)) {
            for (int i = 0; i < 5; i++) {
                box.add(body(i), 0);
            }
            List<Outbox.Entry> batch = box.take(5, 1 << 20, 10);
            assertEquals(5, batch.size());
            // a real SQLite failure on the third row, after two rows of the batch were deleted
            try (Statement s = other.createStatement()) {
                s.execute("CREATE TRIGGER refuse BEFORE DELETE ON outbox WHEN OLD.id = "
                        + batch.get(2).id() + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
            }
            SQLException failure = assertThrows(SQLException.class, () -> box.delivered(batch));
            assertTrue(failure.getMessage().contains("refused by the test"), failure.getMessage());
            assertEquals(5, rows(other), "no row of the batch is gone");
            assertEquals(5, box.size(), "the batch is still the outbox's");
            box.add(body(5), 0);
            assertEquals(6, rows(other), "the connection is left in auto-commit, nothing half-open");
            try (Statement s = other.createStatement()) {
                s.execute("DROP TRIGGER refuse");
            }
            box.delivered(batch);
            assertEquals(1, rows(other));
            assertEquals(1, box.size());
            assertEquals(List.of("{\"n\":5}"), texts(box.take(10, 1 << 20, 10)));
        }
        try (Outbox box = new Outbox(file, 100, Long.MAX_VALUE, n -> {})) {
            assertEquals(1, box.size(), "after a reopen too");
        }
    }

    @Test
    void aDeleteBlockedByAnotherWriterFailsAfterTheBusyTimeoutAndKeepsTheBatch() throws Exception {
        Path file = dir.resolve("outbox.db");
        try (Outbox box = new Outbox(file, 100, Long.MAX_VALUE, n -> {});
                Connection other = other(file)) {
            for (int i = 0; i < 3; i++) {
                box.add(body(i), 0);
            }
            List<Outbox.Entry> batch = box.take(3, 1 << 20, 10);
            try (Statement s = other.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
            }
            long t0 = System.nanoTime();
            assertThrows(SQLException.class, () -> box.delivered(batch));
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(waitedMs >= 4000 && waitedMs < 15_000, "waited " + waitedMs + " ms for the lock");
            try (Statement s = other.createStatement()) {
                s.execute("ROLLBACK");
            }
            assertEquals(3, rows(other));
            assertEquals(3, box.size());
            box.delivered(batch);
            assertEquals(0, rows(other));
            assertEquals(0, box.size());
        }
    }
}
