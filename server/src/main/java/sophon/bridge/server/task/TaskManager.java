package sophon.bridge.server.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
import sophon.bridge.server.TaskLog;
import sophon.bridge.server.process.PortAllocator;
import sophon.bridge.server.store.StoredEntry;
import sophon.bridge.server.store.StoredTask;
import sophon.bridge.server.supervise.RunState;
import sophon.bridge.streamconfig.BuiltConfig;
import sophon.bridge.streamconfig.ConfigException;
import sophon.bridge.streamconfig.ConfigRequest;
import sophon.bridge.streamconfig.ConfigSetBuilder;
import sophon.bridge.streamconfig.Endpoint;
import sophon.bridge.streamconfig.StreamSource;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.Credentials;
import sophon.bridge.task.TaskRequest;

/**
 * The tasks of this box: create (folder, config sets, database row, children), delete, query,
 * list, taking stored tasks back after a restart (what to clean up first is {@code Recovery}'s job),
 * and shutdown. Operations on one TaskID never overlap; a second
 * one arriving meanwhile is refused rather than queued.
 */
public final class TaskManager {
    private static final Logger log = LoggerFactory.getLogger(TaskManager.class);
    public static final String TASK_JSON = "task.json";

    private final Path tasksDir;
    private final AlgorithmRegistry registry;
    private final ConfigSetBuilder configs;
    private final RunnerContext ctx;
    private final PortAllocator businessLogicPorts;
    private final PortAllocator streamPorts;
    private final EntryPorts entryPorts;
    private final ObjectMapper json;
    private final Map<String, TaskRuntime> tasks = new ConcurrentHashMap<>();
    private final Map<String, Instant> createdAt = new ConcurrentHashMap<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final TaskSlots slots;
    private final ScheduledFuture<?> countersPoll;
    private final ScheduledFuture<?> watchdog;
    private final DeletedLogs deletedLogs;

    public TaskManager(
            Path tasksDir,
            AlgorithmRegistry registry,
            ConfigSetBuilder configs,
            RunnerContext ctx,
            PortAllocator businessLogicPorts,
            PortAllocator streamPorts,
            ObjectMapper json,
            int maxEntries) {
        this.tasksDir = tasksDir.toAbsolutePath().normalize();
        this.deletedLogs = new DeletedLogs(this.tasksDir.resolveSibling("deleted"));
        this.registry = registry;
        this.configs = configs;
        this.ctx = ctx;
        this.businessLogicPorts = businessLogicPorts;
        this.streamPorts = streamPorts;
        this.entryPorts = new EntryPorts(businessLogicPorts, streamPorts);
        this.json = json;
        this.slots = TaskSlots.over(maxEntries, tasks);
        this.countersPoll = ctx.scheduler().scheduleWithFixedDelay(this::pollCounters, 1, 2, TimeUnit.SECONDS);
        this.watchdog = ctx.scheduler().scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    public void create(TaskRequest request, byte[] rawRequest) throws TaskException {
        String id = request.taskId();
        acquire(id);
        try {
            TaskRuntime existing = tasks.get(id);
            if (existing != null) {
                if (existing.state().active()) {
                    throw new TaskException(
                            Failure.CONFLICT,
                            "Task " + id + " is already running; delete it before creating it again.");
                }
            }
            slots.reserve(id, request.algorithms().size());
            if (existing != null) {
                TaskLog.of(log, id)
                        .info(
                                "replacing the stopped task ({})",
                                existing.state().label());
                discard(existing);
            }
            checkPrograms();
            Instant now = Instant.now();
            List<EntryPlan> plans = prepare(request, rawRequest, now);
            boolean live = StreamSource.isLive(request.address());
            List<EntrySupervisor> runners = new ArrayList<>();
            for (EntryPlan plan : plans) {
                runners.add(new EntrySupervisor(
                        plan,
                        ctx,
                        live,
                        planner(request, plan.index(), plan.type(), plan.taskJson()),
                        false,
                        entryPorts,
                        RunState.STARTING,
                        0,
                        null));
            }
            TaskRuntime runtime = new TaskRuntime(request, now, runners);
            tasks.put(id, runtime);
            createdAt.put(id, now);
            TaskLog.of(log, id)
                    .info("created: {} algorithm(s), source {}", plans.size(), Credentials.mask(request.address()));
            runners.forEach(EntrySupervisor::start);
        } finally {
            slots.release(id);
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
                AlgorithmType t = registry.type(type)
                        .orElseThrow(() -> new TaskException(
                                Failure.BAD_REQUEST, "Algorithm type " + type + " is not configured."));
                int bl = businessLogicPorts.allocate();
                blPorts.add(bl);
                int sp = streamPorts.allocate();
                streamPortsTaken.add(sp);
                plans.add(plan(request, i, t, taskJson, bl, sp));
            }
            ctx.store()
                    .insert(new StoredTask(
                            id,
                            new String(rawRequest, StandardCharsets.UTF_8),
                            now.toEpochMilli(),
                            plans.stream()
                                    .map(p -> stored(p, RunState.STARTING, 0, null))
                                    .toList()));
            return plans;
        } catch (TaskException e) {
            undo(taskDir, blPorts, streamPortsTaken);
            throw e;
        } catch (IOException | RuntimeException e) {
            undo(taskDir, blPorts, streamPortsTaken);
            TaskLog.of(log, id).error("create failed", e);
            throw new TaskException(Failure.INTERNAL, "Task " + id + " could not be created: " + e.getMessage() + ".");
        }
    }

    /**
     * Makes an entry's config set again for given ports: at recovery, and when the entry moves off
     * a port another process took (business logic's port is the http_push target).
     */
    private EntrySupervisor.Planner planner(TaskRequest request, int index, int type, Path taskJson) {
        return (bl, sp) -> {
            AlgorithmType t = registry.type(type)
                    .orElseThrow(() ->
                            new TaskException(Failure.CONFIG, "Algorithm type " + type + " is no longer configured."));
            return plan(request, index, t, taskJson, bl, sp);
        };
    }

    private EntryPlan plan(TaskRequest request, int index, AlgorithmType t, Path taskJson, int blPort, int streamPort)
            throws TaskException {
        Path algorithmDir = taskJson.getParent().resolve(index + "-" + t.name());
        try {
            BuiltConfig built = configs.build(new ConfigRequest(
                    request,
                    index,
                    algorithmDir,
                    ctx.commands().engine().root(),
                    new Endpoint("127.0.0.1", blPort, "/frames"),
                    new Endpoint("127.0.0.1", streamPort, "/stream")));
            return new EntryPlan(
                    request.taskId(),
                    index,
                    t.type(),
                    t.name(),
                    built.algorithmDir().toAbsolutePath(),
                    taskJson,
                    built.demoConfigArgument(),
                    blPort,
                    streamPort);
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
            throw new TaskException(
                    Failure.UNAVAILABLE,
                    "The business-logic program is not built: " + ctx.commands().businessLogicJar()
                            + " does not exist.");
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
            TaskLog.of(log, id).info("deleted");
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
            TaskLog.of(log, id).error("cannot delete from the database", e);
            throw new TaskException(Failure.INTERNAL, "Task " + id + " could not be removed from the database.");
        }
        tasks.remove(id);
        createdAt.remove(id);
        for (EntrySupervisor e : runtime.entries()) {
            businessLogicPorts.release(e.plan().businessLogicPort());
            streamPorts.release(e.plan().streamPort());
        }
        try {
            deletedLogs.keep(id, tasksDir.resolve(id)); // for a post-mortem; the folder goes anyway
            FileTrees.delete(tasksDir.resolve(id));
        } catch (IOException | java.nio.file.InvalidPathException e) { // locale guard: the next UTF-8 start removes it
            TaskLog.of(log, id).warn("folder not fully removed: {}", e.getMessage());
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

    /** The tasks held now, in no order (for /metrics, which reads each entry's live state). */
    public Collection<TaskRuntime> runtimes() {
        return Collections.unmodifiableCollection(tasks.values());
    }

    private void acquire(String id) throws TaskException {
        if (!busy.add(id)) {
            throw new TaskException(
                    Failure.CONFLICT, "Task " + id + " is being created or deleted by another request; try again.");
        }
    }

    private void pollCounters() {
        for (TaskRuntime t : tasks.values()) {
            t.entries().forEach(EntrySupervisor::pollCounters);
        }
    }

    /** The watchdog: liveness of every child, once a second (a cheap look at /proc or an async question). */
    private void tick() {
        Instant now = Instant.now();
        for (TaskRuntime t : tasks.values()) {
            for (EntrySupervisor e : t.entries()) {
                try {
                    e.tick(now);
                } catch (RuntimeException ex) {
                    TaskLog.of(log, t.taskId(), e.plan().index()).warn("watchdog tick failed", ex);
                }
            }
        }
    }

    public Path tasksDir() {
        return tasksDir;
    }

    public DeletedLogs deletedLogs() {
        return deletedLogs;
    }

    public RunnerContext context() {
        return ctx;
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Takes a task the database holds back after a restart (see {@code Recovery}): every entry that
     * was active is started again, its config set made again before its first launch (and again,
     * with backoff, for as long as that fails); its old ports are kept when free. Returns how many
     * entries were started.
     */
    public int restore(StoredTask task) {
        String id = task.taskId();
        TaskRequest request;
        byte[] raw = task.request().getBytes(StandardCharsets.UTF_8);
        try {
            request = json.readValue(raw, TaskRequest.class);
        } catch (IOException e) {
            TaskLog.of(log, id).error("stored request unreadable; dropping the task", e);
            ctx.store().delete(id);
            return 0;
        }
        Path taskJson = tasksDir.resolve(id).resolve(TASK_JSON);
        try {
            Files.createDirectories(taskJson.getParent());
            FileTrees.writeAtomically(taskJson, raw);
        } catch (IOException e) {
            TaskLog.of(log, id).error("cannot rewrite {}", taskJson, e);
        }
        boolean live = StreamSource.isLive(request.address());
        List<EntrySupervisor> runners = new ArrayList<>();
        List<StoredEntry> entries = new ArrayList<>();
        for (StoredEntry e : task.entries()) {
            int bl = businessLogicPorts.reserve(e.businessLogicPort())
                    ? e.businessLogicPort()
                    : businessLogicPorts.allocate();
            int sp = streamPorts.reserve(e.streamPort()) ? e.streamPort() : streamPorts.allocate();
            RunState state = RunState.fromLabel(e.state());
            EntryPlan plan = new EntryPlan(
                    id,
                    e.index(),
                    e.type(),
                    e.algorithm(),
                    Path.of(e.algorithmDir()),
                    taskJson,
                    e.demoConfig(),
                    bl,
                    sp);
            runners.add(new EntrySupervisor(
                    plan,
                    ctx,
                    live,
                    planner(request, e.index(), e.type(), taskJson),
                    state.active(),
                    entryPorts,
                    state,
                    e.restarts(),
                    e.lastError()));
            entries.add(stored(plan, state, e.restarts(), e.lastError()));
        }
        ctx.store().insert(new StoredTask(id, task.request(), task.createdAt(), entries));
        Instant created = Instant.ofEpochMilli(task.createdAt());
        tasks.put(id, new TaskRuntime(request, created, runners));
        createdAt.put(id, created);
        int started = 0;
        for (EntrySupervisor r : runners) {
            if (r.state().active()) {
                r.start();
                started++;
            }
        }
        TaskLog.of(log, id).info("restored ({} of {} entr(ies) started)", started, runners.size());
        return started;
    }

    /** Whether this JVM can name the task's folders (see {@link Utf8Wait}); one it cannot is only held. */
    public boolean canRun(StoredTask task) {
        return Utf8Wait.canName(task);
    }

    /** Lists a stored task this JVM cannot run as waiting for a start under UTF-8; its row stays as it is. */
    public void hold(StoredTask task) {
        Utf8Wait.runtime(task, ctx, json).ifPresent(r -> {
            tasks.put(task.taskId(), r);
            createdAt.put(task.taskId(), Instant.ofEpochMilli(task.createdAt()));
        });
    }

    /** Makes the business-logic class archive in the background if this jar version has none yet. */
    public void prepareClassArchive() {
        int type = registry.types().iterator().next().type();
        ctx.workers()
                .execute(() -> ctx.commands().classArchive().trainIfMissing(ctx.commands(), businessLogicPorts, type));
    }

    public TaskSlots slots() {
        return slots;
    }

    public boolean classArchiveReady() {
        return ctx.commands().classArchive().ready();
    }

    private static StoredEntry stored(EntryPlan p, RunState state, int restarts, String lastError) {
        return new StoredEntry(
                p.taskId(),
                p.index(),
                p.type(),
                p.algorithm(),
                p.algorithmDir().toString(),
                p.demoConfig(),
                p.businessLogicPort(),
                p.streamPort(),
                0,
                0,
                state.label(),
                restarts,
                lastError);
    }

    // ---------------------------------------------------------------- shutdown

    /** SIGTERM path: stops every child, keeps every task (and its state) for the next start. */
    public void shutdown() {
        ctx.shuttingDown().set(true);
        countersPoll.cancel(false);
        watchdog.cancel(false);
        ctx.commands().classArchive().cancel();
        stopAll(new ArrayList<>(tasks.values()));
        log.info("all children stopped; {} task(s) kept for the next start", tasks.size());
    }

    private void stopAll(List<TaskRuntime> runtimes) {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (TaskRuntime t : runtimes) {
            for (EntrySupervisor e : t.entries()) {
                stops.add(CompletableFuture.runAsync(e::stop, ctx.workers()));
            }
        }
        stops.forEach(CompletableFuture::join);
    }
}
