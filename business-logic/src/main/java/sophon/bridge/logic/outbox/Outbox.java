package sophon.bridge.logic.outbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox: every alarm is a row of a SQLite file until a receiver accepts it, so a
 * receiver outage, a restart or a kill -9 loses none. WAL with synchronous=NORMAL survives the
 * process dying (what the OS has is kept); only a power cut can cost the last transactions.
 * Bounded by count and bytes: over the bound, the oldest alarms not being sent are dropped.
 * Ids, sizes and claims are mirrored in memory so that choosing a batch costs no query.
 *
 * <p>On the alarm path (frame → alarm POST started) the outbox costs one insert: bodies of
 * waiting alarms are also kept in memory, up to {@value #MEMORY_BUDGET} bytes, so the sender
 * does not read back what was just written; and the WAL is checkpointed by a background
 * thread on its own connection, so that copying pages into the database file and its fsyncs
 * never run inside an insert (SQLite's automatic checkpoint would, every ~10 alarms), except when
 * alarms arrive so fast that the WAL outgrows its limit ({@link #truncateIfOver}; an insert that
 * finds twice the limit written since the checkpointer last looked truncates it itself).
 *
 * <p>Claimed alarms (being sent) are held in memory too, and are bounded by bytes as well: at
 * most {@link #SENDING_BUDGET} bytes at once (an eighth of the heap), and always at least one
 * alarm. A 4K alarm is ~3-5 MB, and a sender's batch may hold several, so without it the senders
 * could take 20 MB of a 56 MB heap; with it a sender waits until another's batch is delivered or
 * released.
 *
 * <p>On disk: the bytes bound is on the alarms' bodies; {@code Options.bodyBytesWithin} turns a disk share
 * into one (SQLite pages and the WAL take the rest). After each checkpoint the WAL shrinks back to
 * {@code journal_size_limit}, an eighth of the bound (at most 4 MB), instead of staying at its
 * largest size ever.
 *
 * <p>Health: {@link #writeProblem()} is why the last write failed, or null. Every insert and delete
 * sets it; with no alarm for {@value #PROBE_IDLE_MS} ms the checkpoint thread writes one row of a
 * {@code probe} table instead, so an idle process also finds out (a locked database, a full disk).
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /** A claimed alarm; receivedNanos is 0 unless this is its first claim in this process. */
    public record Entry(long id, byte[] body, long receivedNanos) {}

    /** Told how many alarms a bound dropped. */
    public interface DropListener {
        void dropped(int count);
    }

    public static final long MEMORY_BUDGET = 4L * 1024 * 1024;
    public static final long SENDING_BUDGET =
            Math.max(3L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 8);
    private static final long CHECKPOINT_EVERY_MS = 500;
    static final long PROBE_IDLE_MS = 5000;
    private static final long MAX_WAL_BYTES = 4L * 1024 * 1024;

    private final Path file;
    private final Connection db;
    private final long maxAlarms;
    private final long maxBytes;
    private final DropListener dropListener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final TreeMap<Long, Integer> pending = new TreeMap<>();
    private final Map<Long, Integer> claimed = new HashMap<>();
    private final Map<Long, Long> receivedNanos = new HashMap<>();
    private final Map<Long, byte[]> bodies = new HashMap<>();
    private long bytes;
    private long bytesInMemory;
    private final long sendingBudget;
    private long claimedBytes;
    /**
     * pending + claimed, readable without the lock: a delete or insert waiting out another
     * writer's lock holds it for up to the busy timeout, and /counters must not wait with it.
     */
    private volatile int count;
    /** Their bytes, for the same reason. */
    private volatile long byteCount;

    private boolean closed;
    private long writes;
    private final Thread checkpointer;
    private final long walLimit;
    /** Body bytes written since the checkpointer last looked; past {@link #walLimit} it looks at once. */
    private long walBytes;

    private final Condition checkpointDue = lock.newCondition();
    private volatile String writeProblem;
    private volatile long lastWriteNanos = System.nanoTime();

    private final PreparedStatement insert;
    private final PreparedStatement select;
    private final PreparedStatement delete;
    private final PreparedStatement deleteBatch;

    public Outbox(Path file, long maxAlarms, long maxBytes, DropListener dropListener) throws SQLException {
        this(file, maxAlarms, maxBytes, dropListener, SENDING_BUDGET);
    }

    public Outbox(Path file, long maxAlarms, long maxBytes, DropListener dropListener, long sendingBudget)
            throws SQLException {
        this.sendingBudget = sendingBudget;
        this.maxAlarms = maxAlarms;
        this.maxBytes = maxBytes;
        this.dropListener = dropListener;
        this.file = file;
        this.walLimit = Math.max(0, Math.min(MAX_WAL_BYTES, maxBytes / 8));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the folder of " + file + ": " + e.getMessage(), e);
        }
        this.db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("PRAGMA journal_size_limit=" + walLimit);
            s.execute("CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " created_ms INTEGER NOT NULL, bytes INTEGER NOT NULL, body BLOB NOT NULL)");
            s.execute(
                    "CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY CHECK (id = 1), at_ms INTEGER NOT NULL)");
            try (ResultSet rs = s.executeQuery("SELECT id, bytes FROM outbox ORDER BY id")) {
                while (rs.next()) {
                    pending.put(rs.getLong(1), rs.getInt(2));
                    bytes += rs.getInt(2);
                }
            }
        }
        this.insert = db.prepareStatement(
                "INSERT INTO outbox (created_ms, bytes, body) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
        this.select = db.prepareStatement("SELECT body FROM outbox WHERE id = ?");
        this.delete = db.prepareStatement("DELETE FROM outbox WHERE id = ?");
        this.deleteBatch = db.prepareStatement("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))");
        if (!pending.isEmpty()) {
            LOG.info("outbox {} holds {} undelivered alarms ({} bytes) from before", file, pending.size(), bytes);
        }
        enforceBound();
        recount();
        this.checkpointer = new Thread(this::checkpointLoop, "outbox-checkpoint");
        checkpointer.setDaemon(true);
        checkpointer.start();
    }

    /** Why the last write to the outbox failed (it cannot store alarms now), or null when it worked. */
    public String writeProblem() {
        return writeProblem;
    }

    private void wrote(SQLException failure) {
        if (failure == null) {
            writeProblem = null;
            lastWriteNanos = System.nanoTime();
        } else if (!closed) {
            if (writeProblem == null) {
                LOG.error("the outbox {} cannot be written: {}", file, failure.getMessage());
            }
            writeProblem = "outbox cannot be written: " + failure.getMessage();
        }
    }

    /** Stores an alarm's JSON; returns its id once it is on disk. */
    public long add(byte[] body, long receivedNanos) throws SQLException {
        lock.lock();
        try {
            long id = insert(body, receivedNanos);
            wrote(null);
            return id;
        } catch (SQLException e) {
            wrote(e);
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock. */
    private long insert(byte[] body, long receivedNanos) throws SQLException {
        if (closed) {
            throw new SQLException("outbox closed");
        }
        insert.setLong(1, System.currentTimeMillis());
        insert.setInt(2, body.length);
        insert.setBytes(3, body);
        insert.executeUpdate();
        long id;
        try (ResultSet keys = insert.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong(1);
        }
        pending.put(id, body.length);
        bytes += body.length;
        if (bytesInMemory + body.length <= MEMORY_BUDGET) {
            bodies.put(id, body);
            bytesInMemory += body.length;
        }
        walBytes += body.length;
        if (walBytes > 2 * walLimit) {
            truncateNow(); // the checkpointer lags (a busy box): the WAL must not outgrow the disk share
        }
        written();
        this.receivedNanos.put(id, receivedNanos);
        enforceBound();
        recount();
        available.signalAll();
        return id;
    }

    private void enforceBound() throws SQLException {
        int dropped = 0;
        while ((pending.size() + claimed.size() > maxAlarms || bytes > maxBytes) && !pending.isEmpty()) {
            Map.Entry<Long, Integer> oldest = pending.pollFirstEntry();
            delete.setLong(1, oldest.getKey());
            delete.executeUpdate();
            forget(oldest.getKey());
            bytes -= oldest.getValue();
            receivedNanos.remove(oldest.getKey());
            dropped++;
        }
        if (dropped > 0) {
            LOG.warn(
                    "outbox full ({} alarms, {} bytes; bound {} alarms, {} bytes): dropped the {} oldest",
                    pending.size() + claimed.size(),
                    bytes,
                    maxAlarms,
                    maxBytes,
                    dropped);
            dropListener.dropped(dropped);
        }
    }

    /**
     * Claims up to maxCount of the oldest waiting alarms, within maxBatchBytes (always at least
     * one) and within the sending budget (at least one alarm claimed in all), waiting up to
     * timeoutMs for one to arrive or for room in the budget. Claimed alarms are not claimed again until
     * {@link #release} or removed by {@link #delivered}.
     */
    public List<Entry> take(int maxCount, long maxBatchBytes, long timeoutMs)
            throws SQLException, InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while ((pending.isEmpty() || !roomToSend()) && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                available.awaitNanos(left);
            }
            if (closed) {
                return List.of();
            }
            List<Entry> batch = new ArrayList<>();
            long batchBytes = 0;
            Iterator<Map.Entry<Long, Integer>> it = pending.entrySet().iterator();
            while (it.hasNext() && batch.size() < maxCount) {
                Map.Entry<Long, Integer> e = it.next();
                if (!batch.isEmpty()
                        && (batchBytes + e.getValue() > maxBatchBytes || claimedBytes + e.getValue() > sendingBudget)) {
                    break;
                }
                byte[] body = bodies.get(e.getKey());
                if (body == null) {
                    select.setLong(1, e.getKey());
                    try (ResultSet rs = select.executeQuery()) {
                        body = rs.next() ? rs.getBytes(1) : null;
                    }
                }
                it.remove();
                if (body == null) {
                    bytes -= e.getValue();
                    continue;
                }
                claimed.put(e.getKey(), e.getValue());
                claimedBytes += e.getValue();
                Long nanos = receivedNanos.remove(e.getKey());
                batch.add(new Entry(e.getKey(), body, nanos == null ? 0 : nanos));
                batchBytes += e.getValue();
            }
            recount();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The receiver accepted these: forget them for good. All or nothing: when the delete fails
     * (database locked past the busy timeout, disk full) every row of the batch stays, the
     * alarms stay claimed, and the caller may call this again.
     */
    public void delivered(List<Entry> batch) throws SQLException {
        lock.lock();
        try {
            // One statement, so SQLite makes it atomic by itself: a transaction of one DELETE per
            // row needs a rollback on every failure path, and the driver commits whatever is
            // open when auto-commit is switched back on.
            StringBuilder ids = new StringBuilder(batch.size() * 8).append('[');
            for (Entry e : batch) {
                ids.append(ids.length() > 1 ? "," : "").append(e.id());
            }
            deleteBatch.setString(1, ids.append(']').toString());
            try {
                deleteBatch.executeUpdate();
                wrote(null);
            } catch (SQLException e) {
                wrote(e);
                throw e;
            }
            written();
            for (Entry e : batch) {
                forget(e.id());
                Integer size = claimed.remove(e.id());
                if (size != null) {
                    bytes -= size;
                    claimedBytes -= size;
                }
            }
            recount();
            available.signalAll(); // room in the sending budget
        } finally {
            lock.unlock();
        }
    }

    /** Drops the in-memory copy of an alarm's body, if there is one; under the lock. */
    private void forget(long id) {
        byte[] body = bodies.remove(id);
        if (body != null) {
            bytesInMemory -= body.length;
        }
    }

    /** Under the lock, after a committed insert or delete: wakes the checkpointer if it sleeps idle. */
    private void written() {
        writes++;
        checkpointDue.signal();
    }

    /**
     * Copies the WAL into the database file at most {@value #CHECKPOINT_EVERY_MS} ms after a write
     * (sooner when the WAL is over its limit). PASSIVE: never waits for, nor blocks, the inserts
     * and deletes on the main connection. The connection is opened at the first write, so an idle
     * process holds no second one. With nothing written the thread sleeps until a write or the
     * next probe is due, instead of waking every {@value #CHECKPOINT_EVERY_MS} ms to find nothing:
     * on a box of 16 such processes every wake-up costs CPU (business-logic/README.md).
     */
    private void checkpointLoop() {
        Connection own = null;
        long done = 0;
        try {
            while (true) {
                long seen;
                lock.lock();
                try {
                    awaitCheckpointDue(done);
                    if (closed) {
                        break;
                    }
                    seen = writes;
                    walBytes = 0;
                } finally {
                    lock.unlock();
                }
                boolean probe = System.nanoTime() - lastWriteNanos > TimeUnit.MILLISECONDS.toNanos(PROBE_IDLE_MS);
                if (seen == done && !probe) {
                    continue;
                }
                try {
                    if (own == null) {
                        own = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                        try (Statement s = own.createStatement()) {
                            s.execute("PRAGMA busy_timeout=5000");
                            s.execute("PRAGMA journal_size_limit=" + walLimit);
                        }
                    }
                    if (probe) {
                        probe(own);
                    }
                    try (Statement s = own.createStatement()) {
                        s.execute("PRAGMA wal_checkpoint(PASSIVE)");
                    }
                    truncateIfOver(own);
                    done = seen;
                } catch (SQLException e) {
                    LOG.warn("outbox checkpoint failed (retried): {}", e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (own != null) {
                try {
                    own.close();
                } catch (SQLException e) {
                    LOG.debug("closing the checkpoint connection: {}", e.getMessage());
                }
            }
        }
    }

    /**
     * Under the lock: returns once closed, once the WAL is over its limit, {@value #CHECKPOINT_EVERY_MS}
     * ms after finding writes beyond the count done (what the last checkpoint saw), or, with none,
     * once the probe is due. Writes signal checkpointDue; the deadlines make their extra signals harmless.
     */
    private void awaitCheckpointDue(long done) throws InterruptedException {
        while (!closed && walBytes <= walLimit && writes == done) {
            long untilProbe = lastWriteNanos + TimeUnit.MILLISECONDS.toNanos(PROBE_IDLE_MS) - System.nanoTime();
            if (untilProbe <= 0) {
                return;
            }
            checkpointDue.awaitNanos(untilProbe);
        }
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_EVERY_MS);
        long left;
        while (!closed && walBytes <= walLimit && (left = due - System.nanoTime()) > 0) {
            checkpointDue.awaitNanos(left);
        }
    }

    /**
     * A passive checkpoint never completes while alarms keep arriving faster than it copies, and
     * the WAL only restarts (and shrinks to {@code journal_size_limit}) after a complete one: under
     * sustained load it would grow without end. Past the limit, writes wait for one truncating
     * checkpoint (it copies what the passive ones left, a few MB at most).
     */
    private void truncateIfOver(Connection own) throws SQLException {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        long size;
        try {
            size = Files.exists(wal) ? Files.size(wal) : 0;
        } catch (java.io.IOException e) {
            return;
        }
        if (size <= walLimit) {
            return;
        }
        lock.lock();
        try (Statement s = own.createStatement()) {
            if (!closed) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock, after a committed insert: a failure here costs nothing but a larger WAL for now. */
    private void truncateNow() {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            walBytes = 0;
        } catch (SQLException e) {
            LOG.debug("inline checkpoint failed: {}", e.getMessage());
        }
    }

    /** One small write when no alarm was written for a while, so that {@link #writeProblem()} stays true. */
    private void probe(Connection own) {
        try (PreparedStatement up = own.prepareStatement(
                "INSERT INTO probe (id, at_ms) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET at_ms = excluded.at_ms")) {
            up.setLong(1, System.currentTimeMillis());
            up.executeUpdate();
            wrote(null);
        } catch (SQLException e) {
            wrote(e);
            lastWriteNanos = System.nanoTime(); // the next try after another idle period, not in 0.5 s
        }
    }

    /** Not delivered: back in line, in their original order. */
    public void release(List<Entry> batch) {
        lock.lock();
        try {
            for (Entry e : batch) {
                Integer size = claimed.remove(e.id());
                if (size != null) {
                    pending.put(e.id(), size);
                    claimedBytes -= size;
                }
            }
            recount();
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the oldest waiting alarm may be claimed now; under the lock, pending not empty. */
    private boolean roomToSend() {
        return claimedBytes == 0 || claimedBytes + pending.firstEntry().getValue() <= sendingBudget;
    }

    /** Under the lock. */
    private void recount() {
        count = pending.size() + claimed.size();
        byteCount = bytes;
    }

    /** Alarms not yet delivered (waiting or being sent). */
    public int size() {
        return count;
    }

    /** Bytes of the alarms not yet delivered (waiting or being sent). */
    public long bytes() {
        return byteCount;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            available.signalAll();
            checkpointDue.signal();
            checkpointer.interrupt();
            try {
                insert.close();
                select.close();
                delete.close();
                deleteBatch.close();
                db.close();
            } catch (SQLException e) {
                LOG.warn("closing the outbox: {}", e.getMessage());
            }
        } finally {
            lock.unlock();
        }
        try {
            checkpointer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
