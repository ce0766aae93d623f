package sophon.bridge.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import sophon.bridge.server.disk.DiskSpace;
import sophon.bridge.server.disk.OutboxBudget;
import sophon.bridge.server.store.WriteProbe;
import sophon.bridge.server.supervise.RunState;
import sophon.bridge.server.task.TaskManager;
import sophon.bridge.server.task.TaskView;

/**
 * What {@code GET /health} tells: healthy only while a task could be stored, which takes a database
 * that takes a write and a data dir with at least the minimum free space. Either missing makes the
 * answer HTTP 503 (with the same body and why in {@code Msg}), so a load balancer or systemd
 * watchdog sees it without parsing JSON.
 */
public final class ServerHealth {
    public static final String VERSION = readVersion();

    private final TaskManager manager;
    private final WriteProbe probe;
    private final Path dataDir;
    private final long minFreeBytes;
    private final String engine;
    private final OutboxBudget budget;
    private final Instant started = Instant.now();

    public ServerHealth(
            TaskManager manager,
            WriteProbe probe,
            Path dataDir,
            long minFreeDiskMb,
            String engine,
            OutboxBudget budget) {
        this.manager = manager;
        this.probe = probe;
        this.dataDir = dataDir;
        this.minFreeBytes = minFreeDiskMb * 1024 * 1024;
        this.engine = engine;
        this.budget = budget;
    }

    /** The answer and whether it is a healthy one. */
    public record Report(boolean healthy, String problem, Map<String, Object> result) {}

    public Report check() {
        Map<String, Object> byState = new LinkedHashMap<>();
        for (RunState s : RunState.values()) {
            byState.put(s.label(), 0);
        }
        int tasks = 0;
        for (TaskView v : manager.list()) {
            byState.merge(v.state(), 1, (a, b) -> (Integer) a + (Integer) b);
            tasks++;
        }
        long free = DiskSpace.usableBytes(dataDir);
        String problem = probe.problem();
        if (problem == null && free >= 0 && free < minFreeBytes) {
            problem = "the data dir " + dataDir + " has " + (free >> 20) + " MB free, under the minimum of "
                    + (minFreeBytes >> 20) + " MB (--min-free-disk-mb)";
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("Status", problem == null ? "ok" : "unhealthy");
        result.put("Version", VERSION);
        result.put("UptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
        result.put("Engine", engine);
        result.put("Tasks", tasks);
        result.put("TasksByState", byState);
        result.put("ActiveEntries", manager.slots().inUse());
        result.put("MaxTasks", manager.slots().max());
        result.put("DataDirFreeMB", free < 0 ? null : free >> 20);
        result.put("MinFreeDiskMB", minFreeBytes >> 20);
        result.put("OutboxBudgetMB", budget.budgetMb());
        result.put("OutboxShareMB", budget.shareMb());
        result.put("ClassArchive", manager.classArchiveReady());
        return new Report(problem == null, problem, result);
    }

    private static String readVersion() {
        try (InputStream in = ServerHealth.class.getResourceAsStream("/sophon-bridge/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
