package sophon.bridge.server.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.algorithm.AlgorithmType;
import sophon.bridge.files.FileTrees;
import sophon.bridge.server.process.ChildSignature;
import sophon.bridge.server.process.PortAllocator;
import sophon.bridge.server.process.ProcInfo;
import sophon.bridge.server.process.Stopper;
import sophon.bridge.server.store.StoredEntry;
import sophon.bridge.server.store.StoredTask;
import sophon.bridge.streamconfig.BuiltConfig;
import sophon.bridge.streamconfig.ConfigException;
import sophon.bridge.streamconfig.ConfigRequest;
import sophon.bridge.streamconfig.ConfigSetBuilder;
import sophon.bridge.streamconfig.Endpoint;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.Credentials;
import sophon.bridge.task.TaskRequest;

/**
 * The tasks of this box: create (folder, config sets, database row, children), delete, query,
 * list, recovery after a restart, and shutdown. Operations on one TaskID never overlap; a second
 * one arriving meanwhile is refused rather than queued.
 */
public final class TaskManager {
    private static final Logger log = LoggerFactory.getLogger(TaskManager.class);
    public static final String TASK_JSON = "task.json";
    /**
     * Orphans of a dead server get a shorter grace than our own children: every task waits for
     * them, and what they hold is crash-safe anyway (business logic's outbox is SQLite; a stream
     * restarts from its source).
     */
    private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(2);

    private final Path tasksDir;
    private final AlgorithmRegistry registry;
    private final ConfigSetBuilder configs;
    private final RunnerContext ctx;
    private final PortAllocator businessLogicPorts;
    private final PortAllocator streamPorts;
    private final ObjectMapper json;
    private final Map<String, TaskRuntime> tasks = new ConcurrentHashMap<>();
    private final Map<String, Instant> createdAt = new ConcurrentHashMap<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> countersPoll;

    public TaskManager(Path tasksDir, AlgorithmRegistry registry, ConfigSetBuilder configs, RunnerContext ctx,
                       PortAllocator businessLogicPorts, PortAllocator streamPorts, ObjectMapper json) {
        this.tasksDir = tasksDir.toAbsolutePath().normalize();
        this.registry = registry;
        this.configs = configs;
        this.ctx = ctx;
        this.businessLogicPorts = businessLogicPorts;
        this.streamPorts = streamPorts;
        this.json = json;
        this.countersPoll = ctx.scheduler().scheduleWithFixedDelay(this::pollCounters, 1, 2, TimeUnit.SECONDS);
    }

    public void create(TaskRequest request, byte[] rawRequest) throws TaskException {
        String id = request.taskId();
        acquire(id);
        try {
            TaskRuntime existing = tasks.get(id);
            if (existing != null) {
                if (existing.state().active()) {
                    throw new TaskException(Failure.CONFLICT,
                            "Task " + id + " is already running; delete it before creating it again.");
                }
                log.info("task={} replacing the stopped task ({})", id, existing.state().label());
                discard(existing);
            }
            checkPrograms();
            Instant now = Instant.now();
            List<EntryPlan> plans = prepare(request, rawRequest, now);
            List<EntryRunner> runners = new ArrayList<>();
            for (EntryPlan plan : plans) {
                runners.add(new EntryRunner(plan, ctx, RunState.STARTING, 0, null));
            }
            TaskRuntime runtime = new TaskRuntime(request, now, runners);
            tasks.put(id, runtime);
            createdAt.put(id, now);
            log.info("task={} created: {} algorithm(s), source {}", id, plans.size(), Credentials.mask(request.address()));
            runners.forEach(EntryRunner::start);
        } finally {
            busy.remove(id);
        }
    }

    /** Makes the folder, task.json, every config set and the database row — all of it, or none. */
    private List<EntryPlan> prepare(TaskRequest request, byte[] rawRequest, Instant now) throws TaskException {
        String id = request.taskId();
        Path taskDir = tasksDir.resolve(id);
        List<EntryPlan> plans = new ArrayList<>();
        List<Integer> blPorts = new ArrayList<>();
        List<Integer> streamPortsTaken = new ArrayList<>();
        try {
            FileTrees.delete(taskDir);
            Files.createDirectories(taskDir);
            Path taskJson = taskDir.resolve(TASK_JSON);
            FileTrees.writeAtomically(taskJson, rawRequest);
            List<AlgorithmSpec> specs = request.algorithms();
            for (int i = 0; i < specs.size(); i++) {
                int type = specs.get(i).type();
                AlgorithmType t = registry.type(type).orElseThrow(() -> new TaskException(Failure.BAD_REQUEST,
                        "Algorithm type " + type + " is not configured."));
                int bl = businessLogicPorts.allocate();
                blPorts.add(bl);
                int sp = streamPorts.allocate();
                streamPortsTaken.add(sp);
                plans.add(plan(request, i, t, taskJson, bl, sp));
            }
            ctx.store().insert(new StoredTask(id, new String(rawRequest, StandardCharsets.UTF_8), now.toEpochMilli(),
                    plans.stream().map(p -> stored(p, RunState.STARTING, 0, null)).toList()));
            return plans;
        } catch (TaskException e) {
            undo(taskDir, blPorts, streamPortsTaken);
            throw e;
        } catch (IOException | RuntimeException e) {
            undo(taskDir, blPorts, streamPortsTaken);
            log.error("task={} create failed", id, e);
            throw new TaskException(Failure.INTERNAL, "Task " + id + " could not be created: " + e.getMessage() + ".");
        }
    }

    private EntryPlan plan(TaskRequest request, int index, AlgorithmType t, Path taskJson, int blPort, int streamPort)
            throws TaskException {
        Path algorithmDir = taskJson.getParent().resolve(index + "-" + t.name());
        try {
            BuiltConfig built = configs.build(new ConfigRequest(request, index, algorithmDir, ctx.commands().engine().root(),
                    new Endpoint("127.0.0.1", blPort, "/frames"), new Endpoint("127.0.0.1", streamPort, "/stream")));
            return new EntryPlan(request.taskId(), index, t.type(), t.name(), built.algorithmDir().toAbsolutePath(),
                    taskJson, built.demoConfigArgument(), blPort, streamPort);
        } catch (ConfigException e) {
            throw new TaskException(Failure.CONFIG, e.getMessage());
        }
    }

    private void undo(Path taskDir, List<Integer> blPorts, List<Integer> streamPortsTaken) {
        blPorts.forEach(businessLogicPorts::release);
        streamPortsTaken.forEach(streamPorts::release);
        try {
            FileTrees.delete(taskDir);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", taskDir, e.getMessage());
        }
    }

    private void checkPrograms() throws TaskException {
        String reason = ctx.commands().engine().unavailableReason();
        if (reason != null) {
            throw new TaskException(Failure.UNAVAILABLE, reason);
        }
        if (!Files.isRegularFile(ctx.commands().businessLogicJar())) {
            throw new TaskException(Failure.UNAVAILABLE, "The business-logic program is not built: "
                    + ctx.commands().businessLogicJar() + " does not exist.");
        }
    }

    public void delete(String id) throws TaskException {
        acquire(id);
        try {
            TaskRuntime runtime = tasks.get(id);
            if (runtime == null) {
                throw new TaskException(Failure.NOT_FOUND, "Task " + id + " does not exist.");
            }
            discard(runtime);
            log.info("task={} deleted", id);
        } finally {
            busy.remove(id);
        }
    }

    /** Stops a task's children, then forgets it: database row, ports, folder. */
    private void discard(TaskRuntime runtime) throws TaskException {
        stopAll(List.of(runtime));
        String id = runtime.taskId();
        try {
            ctx.store().delete(id);
        } catch (RuntimeException e) {
            log.error("task={} cannot delete from the database", id, e);
            throw new TaskException(Failure.INTERNAL, "Task " + id + " could not be removed from the database.");
        }
        tasks.remove(id);
        createdAt.remove(id);
        for (EntryRunner e : runtime.entries()) {
            businessLogicPorts.release(e.plan().businessLogicPort());
            streamPorts.release(e.plan().streamPort());
        }
        try {
            FileTrees.delete(tasksDir.resolve(id));
        } catch (IOException | java.nio.file.InvalidPathException e) { // locale guard: the next UTF-8 start removes it
            log.warn("task={} folder not fully removed: {}", id, e.getMessage());
        }
    }

    public TaskView query(String id) throws TaskException {
        TaskRuntime runtime = tasks.get(id);
        if (runtime == null) {
            throw new TaskException(Failure.NOT_FOUND, "Task " + id + " does not exist.");
        }
        return runtime.view();
    }

    public List<TaskView> list() {
        List<TaskRuntime> all = new ArrayList<>(tasks.values());
        all.sort(Comparator.comparing((TaskRuntime t) -> createdAt.getOrDefault(t.taskId(), Instant.EPOCH))
                .thenComparing(TaskRuntime::taskId));
        return all.stream().map(TaskRuntime::view).toList();
    }

    private void acquire(String id) throws TaskException {
        if (!busy.add(id)) {
            throw new TaskException(Failure.CONFLICT,
                    "Task " + id + " is being created or deleted by another request; try again.");
        }
    }

    private void pollCounters() {
        for (TaskRuntime t : tasks.values()) {
            t.entries().forEach(EntryRunner::pollCounters);
        }
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Start-up: stops every child a previous server instance left (recorded pid whose command
     * line and working directory match, then a sweep of {@code /proc} for any child of ours whose
     * pid was not recorded yet), removes half-made task folders, and starts every task that
     * should run from its stored request, with its config sets regenerated.
     */
    public void recover() {
        long t0 = System.nanoTime();
        List<StoredTask> stored = ctx.store().all();
        // Locale guard (see Utf8Wait): without UTF-8 file names a CJK task's folder cannot be named, and looks unknown.
        List<StoredTask> waiting = stored.stream().filter(t -> !Utf8Wait.canName(t)).toList();
        stored = stored.stream().filter(Utf8Wait::canName).toList();
        int stopped = stopLeftovers(stored);
        if (waiting.isEmpty()) {
            removeUnknownFolders(stored);
        }
        int started = 0;
        for (StoredTask task : stored) {
            started += restore(task);
        }
        waiting.forEach(t -> Utf8Wait.runtime(t, ctx, json).ifPresent(r -> {
            tasks.put(t.taskId(), r);
            createdAt.put(t.taskId(), Instant.ofEpochMilli(t.createdAt()));
        }));
        log.info("recovery: {} task(s) restored, {} entr(ies) started, {} leftover process(es) stopped in {} ms",
                stored.size(), started, stopped, (System.nanoTime() - t0) / 1_000_000);
    }

    private int stopLeftovers(List<StoredTask> stored) {
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
        for (ProcInfo p : ProcInfo.all()) {
            Path cwd = p.cwd().normalize();
            boolean ours = cwd.startsWith(tasksDir) || cwd.equals(ctx.commands().classArchive().trainingDir());
            if (p.pid() != self && !victims.containsKey(p.pid()) && ours
                    && (p.hasArgStartingWith("--work-dir=") || p.hasArgStartingWith("--demo_config_path="))) {
                victims.put(p.pid(), "unrecorded child in " + p.cwd());
            }
        }
        Duration grace = LEFTOVER_GRACE.compareTo(ctx.policy().stopGrace()) < 0 ? LEFTOVER_GRACE : ctx.policy().stopGrace();
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        victims.forEach((pid, what) -> ProcessHandle.of(pid).ifPresent(h -> {
            log.info("recovery: stopping leftover {} pid={}", what, pid);
            stops.add(CompletableFuture.runAsync(() -> Stopper.stop(h, grace), ctx.workers()));
        }));
        stops.forEach(CompletableFuture::join);
        return stops.size();
    }

    /** Makes the business-logic class archive in the background if this jar version has none yet. */
    public void prepareClassArchive() {
        int type = registry.types().iterator().next().type();
        ctx.workers().execute(() -> ctx.commands().classArchive().trainIfMissing(ctx.commands(), businessLogicPorts,
                ctx.probe(), type));
    }

    public boolean classArchiveReady() {
        return ctx.commands().classArchive().ready();
    }

    private static Optional<Long> matchRecorded(long pid, ChildSignature signature) {
        return ProcInfo.of(pid).filter(signature::matches).map(ProcInfo::pid);
    }

    private void removeUnknownFolders(List<StoredTask> stored) {
        Set<String> known = new HashSet<>();
        stored.forEach(t -> known.add(t.taskId()));
        if (!Files.isDirectory(tasksDir)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasksDir)) {
            for (Path dir : dirs) {
                if (!known.contains(dir.getFileName().toString())) {
                    log.info("recovery: removing {} (no task of that id in the database)", dir);
                    FileTrees.delete(dir);
                }
            }
        } catch (IOException e) {
            log.warn("recovery: cannot clean {}: {}", tasksDir, e.getMessage());
        }
    }

    /** Rebuilds one stored task; returns how many entries were started. */
    private int restore(StoredTask task) {
        String id = task.taskId();
        TaskRequest request;
        byte[] raw = task.request().getBytes(StandardCharsets.UTF_8);
        try {
            request = json.readValue(raw, TaskRequest.class);
        } catch (IOException e) {
            log.error("task={} stored request unreadable; dropping the task", id, e);
            ctx.store().delete(id);
            return 0;
        }
        Path taskJson = tasksDir.resolve(id).resolve(TASK_JSON);
        List<EntryRunner> runners = new ArrayList<>();
        List<StoredEntry> entries = new ArrayList<>();
        try {
            Files.createDirectories(taskJson.getParent());
            FileTrees.writeAtomically(taskJson, raw);
        } catch (IOException e) {
            log.error("task={} cannot rewrite {}", id, taskJson, e);
        }
        for (StoredEntry e : task.entries()) {
            int bl = businessLogicPorts.reserve(e.businessLogicPort()) ? e.businessLogicPort() : businessLogicPorts.allocate();
            int sp = streamPorts.reserve(e.streamPort()) ? e.streamPort() : streamPorts.allocate();
            RunState state = RunState.fromLabel(e.state());
            String lastError = e.lastError();
            EntryPlan plan = new EntryPlan(id, e.index(), e.type(), e.algorithm(), Path.of(e.algorithmDir()), taskJson,
                    e.demoConfig(), bl, sp);
            if (state.active()) {
                try {
                    AlgorithmType t = registry.type(e.type()).orElseThrow(() -> new TaskException(Failure.CONFIG,
                            "Algorithm type " + e.type() + " is no longer configured."));
                    plan = plan(request, e.index(), t, taskJson, bl, sp);
                } catch (TaskException ex) {
                    log.error("task={} entry={} cannot be restarted: {}", id, e.index(), ex.getMessage());
                    state = RunState.ERROR;
                    lastError = ex.getMessage();
                } catch (RuntimeException ex) {
                    log.error("task={} entry={} cannot be restarted", id, e.index(), ex);
                    state = RunState.ERROR;
                    lastError = "Config generation failed: " + ex.getMessage();
                }
            }
            runners.add(new EntryRunner(plan, ctx, state, e.restarts(), lastError));
            entries.add(stored(plan, state, e.restarts(), lastError));
        }
        ctx.store().insert(new StoredTask(id, task.request(), task.createdAt(), entries));
        Instant created = Instant.ofEpochMilli(task.createdAt());
        tasks.put(id, new TaskRuntime(request, created, runners));
        createdAt.put(id, created);
        int started = 0;
        for (EntryRunner r : runners) {
            if (r.state().active()) {
                r.start();
                started++;
            }
        }
        log.info("task={} restored ({} of {} entr(ies) started)", id, started, runners.size());
        return started;
    }

    private static StoredEntry stored(EntryPlan p, RunState state, int restarts, String lastError) {
        return new StoredEntry(p.taskId(), p.index(), p.type(), p.algorithm(), p.algorithmDir().toString(),
                p.demoConfig(), p.businessLogicPort(), p.streamPort(), 0, 0, state.label(), restarts, lastError);
    }

    // ---------------------------------------------------------------- shutdown

    /** SIGTERM path: stops every child, keeps every task (and its state) for the next start. */
    public void shutdown() {
        countersPoll.cancel(false);
        ctx.commands().classArchive().cancel();
        stopAll(new ArrayList<>(tasks.values()));
        log.info("all children stopped; {} task(s) kept for the next start", tasks.size());
    }

    private void stopAll(List<TaskRuntime> runtimes) {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (TaskRuntime t : runtimes) {
            for (EntryRunner e : t.entries()) {
                stops.add(CompletableFuture.runAsync(e::stop, ctx.workers()));
            }
        }
        stops.forEach(CompletableFuture::join);
    }
}
