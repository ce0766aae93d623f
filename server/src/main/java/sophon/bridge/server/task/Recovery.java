package sophon.bridge.server.task;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.files.FileTrees;
import sophon.bridge.server.TaskLog;
import sophon.bridge.server.process.ChildSignature;
import sophon.bridge.server.process.ProcInfo;
import sophon.bridge.server.process.Stopper;
import sophon.bridge.server.store.StoredEntry;
import sophon.bridge.server.store.StoredTask;
import sophon.bridge.server.supervise.SupervisionPolicy;

/**
 * Start-up after a crash, a power cut or a clean stop. Runs once, under the data-dir lock, before
 * the API serves: stops every child a previous server left (a recorded pid whose command line and
 * working directory still match the entry, then a sweep of {@code /proc} for any process with our
 * marker arguments working under the tasks folder, for children whose pid was not recorded yet),
 * removes half-made task folders, and hands every stored task back to the task manager.
 */
public final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    /**
     * Orphans of a dead server get a shorter grace than our own children: every task waits for
     * them, and what they hold is crash-safe anyway (business logic's outbox is SQLite; a stream
     * restarts from its source).
     */
    private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(2);

    private final TaskManager manager;

    public Recovery(TaskManager manager) {
        this.manager = manager;
    }

    public void run() {
        long t0 = System.nanoTime();
        List<StoredTask> stored = manager.context().store().all();
        // Without UTF-8 file names a CJK task's folder cannot be named (and would look unknown):
        // such a task is held, its row and folder kept, until a start under a UTF-8 locale.
        List<StoredTask> waiting =
                stored.stream().filter(t -> !manager.canRun(t)).toList();
        List<StoredTask> runnable = stored.stream().filter(manager::canRun).toList();
        int stopped = stopLeftovers(runnable); // a waiting task's leftovers are found by the /proc sweep
        if (waiting.isEmpty()) {
            removeUnknownFolders(stored);
        }
        int started = 0;
        waiting.forEach(manager::hold);
        for (StoredTask task : runnable) {
            try {
                started += manager.restore(task);
            } catch (RuntimeException e) {
                // One task that cannot be taken back must not keep the others (or the API) down.
                TaskLog.of(log, task.taskId()).error("cannot be restored", e);
            }
        }
        log.info(
                "recovery: {} task(s) restored, {} entr(ies) started, {} leftover process(es) stopped in {} ms",
                stored.size(),
                started,
                stopped,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private int stopLeftovers(List<StoredTask> stored) {
        Path tasksDir = manager.tasksDir();
        Map<Long, String> victims = new LinkedHashMap<>();
        for (StoredTask task : stored) {
            for (StoredEntry e : task.entries()) {
                Path dir = Path.of(e.algorithmDir());
                matchRecorded(e.businessLogicPid(), new ChildSignature("--work-dir=" + dir, dir))
                        .ifPresent(p -> victims.put(p, "task=" + e.taskId() + " business-logic"));
                matchRecorded(e.streamPid(), new ChildSignature("--demo_config_path=" + e.demoConfig(), dir))
                        .ifPresent(p -> victims.put(p, "task=" + e.taskId() + " stream"));
            }
        }
        long self = ProcessHandle.current().pid();
        Path trainingDir = ChildSignature.realPath(
                manager.context().commands().classArchive().trainingDir());
        for (ProcInfo p : ProcInfo.all()) {
            Path cwd = p.cwd().normalize();
            boolean ours = cwd.startsWith(tasksDir) || cwd.equals(trainingDir);
            if (p.pid() != self
                    && !victims.containsKey(p.pid())
                    && ours
                    && (p.hasArgStartingWith("--work-dir=") || p.hasArgStartingWith("--demo_config_path="))) {
                victims.put(p.pid(), "unrecorded child in " + p.cwd());
            }
        }
        SupervisionPolicy policy = manager.context().policy();
        Duration grace = LEFTOVER_GRACE.compareTo(policy.stopGrace()) < 0 ? LEFTOVER_GRACE : policy.stopGrace();
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        victims.forEach((pid, what) -> ProcessHandle.of(pid).ifPresent(h -> {
            log.info("recovery: stopping leftover {} pid={}", what, pid);
            stops.add(CompletableFuture.runAsync(
                    () -> Stopper.stop(h, grace), manager.context().workers()));
        }));
        stops.forEach(CompletableFuture::join);
        return stops.size();
    }

    private static Optional<Long> matchRecorded(long pid, ChildSignature signature) {
        return ProcInfo.of(pid).filter(signature::matches).map(ProcInfo::pid);
    }

    private void removeUnknownFolders(List<StoredTask> stored) {
        Path tasksDir = manager.tasksDir();
        Set<String> known = new HashSet<>();
        stored.forEach(t -> known.add(t.taskId()));
        if (!Files.isDirectory(tasksDir)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasksDir)) {
            for (Path dir : dirs) {
                if (!known.contains(dir.getFileName().toString())) {
                    log.info("recovery: removing {} (no task of that id in the database)", dir);
                    manager.deletedLogs().keep(dir.getFileName().toString(), dir);
                    FileTrees.delete(dir);
                }
            }
        } catch (IOException e) {
            log.warn("recovery: cannot clean {}: {}", tasksDir, e.getMessage());
        }
    }
}
