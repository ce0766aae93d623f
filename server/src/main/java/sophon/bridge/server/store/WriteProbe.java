package sophon.bridge.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether the task database can be written right now: a real write (one row of the {@code health}
 * table, committed with the same {@code synchronous=FULL} as a task), on a connection of its own so
 * that it never waits for the store's single pooled connection. Bounded in time: a lock held by
 * another writer fails it after {@link #BUSY_TIMEOUT_MS}; a write stuck in the kernel (a dying
 * disk) makes the next callers give up after {@link #WAIT_MS} instead of queueing behind it.
 * Results are reused for {@link #REUSE_MS}, so a monitor polling hard costs one write a second.
 */
public final class WriteProbe implements AutoCloseable {
    static final int BUSY_TIMEOUT_MS = 1000;
    private static final long WAIT_MS = 2000;
    private static final long REUSE_MS = 1000;

    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private Connection db;
    private long checkedAtNanos;
    private String lastProblem;
    private boolean checked;

    public WriteProbe(Path file) {
        this.file = file;
    }

    /** Null when a write just succeeded, else why it did not (fit for {@code /health}). */
    public String problem() {
        try {
            if (!lock.tryLock(WAIT_MS, TimeUnit.MILLISECONDS)) {
                return "the task database did not take a write within " + WAIT_MS + " ms";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        try {
            if (checked && System.nanoTime() - checkedAtNanos < TimeUnit.MILLISECONDS.toNanos(REUSE_MS)) {
                return lastProblem;
            }
            lastProblem = write();
            checked = true;
            checkedAtNanos = System.nanoTime();
            return lastProblem;
        } finally {
            lock.unlock();
        }
    }

    private String write() {
        try {
            if (db == null) {
                db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                try (Statement s = db.createStatement()) {
                    s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
                    s.execute("PRAGMA synchronous=FULL");
                }
            }
            try (PreparedStatement up = db.prepareStatement("INSERT INTO health (id, checked_at) VALUES (1, ?)"
                    + " ON CONFLICT(id) DO UPDATE SET checked_at = excluded.checked_at")) {
                up.setLong(1, System.currentTimeMillis());
                up.executeUpdate();
            }
            return null;
        } catch (SQLException e) {
            closeQuietly(); // a fresh connection next time: this one may be in any state
            return "the task database cannot be written: " + e.getMessage();
        }
    }

    private void closeQuietly() {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // already broken
            }
            db = null;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeQuietly();
        } finally {
            lock.unlock();
        }
    }
}
