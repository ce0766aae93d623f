package sophon.bridge.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sophon.bridge.task.Credentials;

/**
 * The task database: one SQLite file through HikariCP. WAL with {@code synchronous=FULL}, so a
 * committed task survives a power cut, and a create is one transaction, so a crash never leaves
 * half a task in it.
 */
public final class TaskStore implements AutoCloseable {
    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS tasks (
          task_id    TEXT PRIMARY KEY,
          request    TEXT NOT NULL,
          created_at INTEGER NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS entries (
          task_id        TEXT NOT NULL REFERENCES tasks(task_id) ON DELETE CASCADE,
          idx            INTEGER NOT NULL,
          type           INTEGER NOT NULL,
          algorithm      TEXT NOT NULL,
          algorithm_dir  TEXT NOT NULL,
          demo_config    TEXT NOT NULL,
          bl_port        INTEGER NOT NULL,
          stream_port    INTEGER NOT NULL,
          bl_pid         INTEGER NOT NULL DEFAULT 0,
          stream_pid     INTEGER NOT NULL DEFAULT 0,
          state          TEXT NOT NULL,
          restarts       INTEGER NOT NULL DEFAULT 0,
          last_error     TEXT,
          PRIMARY KEY (task_id, idx))""",
        // One row, rewritten by each /health (WriteProbe): a real write tells whether tasks can be stored.
        """
        CREATE TABLE IF NOT EXISTS health (
          id         INTEGER PRIMARY KEY CHECK (id = 1),
          checked_at INTEGER NOT NULL)"""
    };

    static final long JOURNAL_SIZE_LIMIT = 1024 * 1024;

    private final HikariDataSource pool;

    public TaskStore(Path databaseFile) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + databaseFile.toAbsolutePath());
        config.setPoolName("task-store");
        config.setMaximumPoolSize(1); // SQLite has one writer; one connection avoids SQLITE_BUSY
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "FULL");
        config.addDataSourceProperty("foreign_keys", "true");
        config.addDataSourceProperty("busy_timeout", "5000");
        // After a checkpoint the WAL shrinks back to this (it never would, otherwise, from its largest).
        config.addDataSourceProperty("journal_size_limit", Long.toString(JOURNAL_SIZE_LIMIT));
        this.pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
        } catch (SQLException e) {
            pool.close();
            throw new StoreException("cannot open the task database " + databaseFile, e);
        }
    }

    /** Inserts (or replaces) a task with all its entries in one transaction. */
    public void insert(StoredTask task) {
        inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM tasks WHERE task_id = ?")) {
                del.setString(1, task.taskId());
                del.executeUpdate();
            }
            try (PreparedStatement ins =
                    c.prepareStatement("INSERT INTO tasks (task_id, request, created_at) VALUES (?, ?, ?)")) {
                ins.setString(1, task.taskId());
                ins.setString(2, task.request());
                ins.setLong(3, task.createdAt());
                ins.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("""
                    INSERT INTO entries (task_id, idx, type, algorithm, algorithm_dir, demo_config, bl_port,
                      stream_port, bl_pid, stream_pid, state, restarts, last_error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (StoredEntry e : task.entries()) {
                    ins.setString(1, e.taskId());
                    ins.setInt(2, e.index());
                    ins.setInt(3, e.type());
                    ins.setString(4, e.algorithm());
                    ins.setString(5, e.algorithmDir());
                    ins.setString(6, e.demoConfig());
                    ins.setInt(7, e.businessLogicPort());
                    ins.setInt(8, e.streamPort());
                    ins.setLong(9, e.businessLogicPid());
                    ins.setLong(10, e.streamPid());
                    ins.setString(11, e.state());
                    ins.setInt(12, e.restarts());
                    ins.setString(13, Credentials.mask(e.lastError()));
                    ins.addBatch();
                }
                ins.executeBatch();
            }
        });
    }

    public void delete(String taskId) {
        inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM tasks WHERE task_id = ?")) {
                del.setString(1, taskId);
                del.executeUpdate();
            }
        });
    }

    public void updatePids(String taskId, int index, long businessLogicPid, long streamPid) {
        inTransaction(c -> {
            try (PreparedStatement up =
                    c.prepareStatement("UPDATE entries SET bl_pid = ?, stream_pid = ? WHERE task_id = ? AND idx = ?")) {
                up.setLong(1, businessLogicPid);
                up.setLong(2, streamPid);
                up.setString(3, taskId);
                up.setInt(4, index);
                up.executeUpdate();
            }
        });
    }

    /** An entry that moved off a port another process took: the next start takes these again. */
    public void updatePorts(String taskId, int index, int businessLogicPort, int streamPort) {
        inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE entries SET bl_port = ?, stream_port = ? WHERE task_id = ? AND idx = ?")) {
                up.setInt(1, businessLogicPort);
                up.setInt(2, streamPort);
                up.setString(3, taskId);
                up.setInt(4, index);
                up.executeUpdate();
            }
        });
    }

    public void updateState(String taskId, int index, String state, int restarts, String lastError) {
        inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE entries SET state = ?, restarts = ?, last_error = ? WHERE task_id = ? AND idx = ?")) {
                up.setString(1, state);
                up.setInt(2, restarts);
                // the request holds the password by design (the stream needs it); an error text need not
                up.setString(3, Credentials.mask(lastError));
                up.setString(4, taskId);
                up.setInt(5, index);
                up.executeUpdate();
            }
        });
    }

    /** Every stored task with its entries, in creation order. */
    public List<StoredTask> all() {
        Map<String, String[]> tasks = new LinkedHashMap<>();
        Map<String, List<StoredEntry>> entries = new LinkedHashMap<>();
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet rs =
                    s.executeQuery("SELECT task_id, request, created_at FROM tasks ORDER BY created_at, task_id")) {
                while (rs.next()) {
                    tasks.put(rs.getString(1), new String[] {rs.getString(2), Long.toString(rs.getLong(3))});
                    entries.put(rs.getString(1), new ArrayList<>());
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT task_id, idx, type, algorithm, algorithm_dir, demo_config, bl_port, stream_port, bl_pid,
                      stream_pid, state, restarts, last_error FROM entries ORDER BY task_id, idx""")) {
                while (rs.next()) {
                    List<StoredEntry> list = entries.get(rs.getString(1));
                    if (list != null) {
                        list.add(new StoredEntry(
                                rs.getString(1),
                                rs.getInt(2),
                                rs.getInt(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getInt(7),
                                rs.getInt(8),
                                rs.getLong(9),
                                rs.getLong(10),
                                rs.getString(11),
                                rs.getInt(12),
                                rs.getString(13)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the task database", e);
        }
        List<StoredTask> result = new ArrayList<>();
        tasks.forEach((id, t) -> result.add(new StoredTask(id, t[0], Long.parseLong(t[1]), entries.get(id))));
        return result;
    }

    private void inTransaction(SqlWork work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("task database write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    @FunctionalInterface
    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    /** The database failed; the message is fit for a log line. */
    public static final class StoreException extends RuntimeException {
        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
