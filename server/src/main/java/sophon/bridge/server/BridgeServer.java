package sophon.bridge.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.server.api.AlarmsApi;
import sophon.bridge.server.api.RequestParser;
import sophon.bridge.server.api.ServerHealth;
import sophon.bridge.server.api.SnapshotApi;
import sophon.bridge.server.api.TaskApi;
import sophon.bridge.server.api.TaskValidator;
import sophon.bridge.server.disk.DiskSpace;
import sophon.bridge.server.disk.OutboxBudget;
import sophon.bridge.server.metrics.MetricsApi;
import sophon.bridge.server.process.PortAllocator;
import sophon.bridge.server.snapshot.FrameGrabber;
import sophon.bridge.server.store.TaskStore;
import sophon.bridge.server.store.WriteProbe;
import sophon.bridge.server.task.ChildCommands;
import sophon.bridge.server.task.ChildProbe;
import sophon.bridge.server.task.Recovery;
import sophon.bridge.server.task.RunnerContext;
import sophon.bridge.server.task.SqliteNativeLibrary;
import sophon.bridge.server.task.StreamEngine;
import sophon.bridge.server.task.TaskManager;
import sophon.bridge.server.ui.OperatorAccess;
import sophon.bridge.server.ui.StatusPage;
import sophon.bridge.streamconfig.ConfigSetBuilder;

/** The wired server: store, task manager (recovered), HTTP API. {@link #close()} is the SIGTERM path. */
public final class BridgeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BridgeServer.class);
    public static final int BUSINESS_LOGIC_PORT_BASE = 10001;
    public static final int STREAM_LISTEN_PORT_BASE = 11001;
    private static final int PORT_RANGE = 1000;

    /** Under this, a few minutes of 4K alarms behind a dead receiver would not fit. */
    private static final long SMALL_OUTBOX_SHARE = 64L * 1024 * 1024;

    private final TaskStore store;
    private final WriteProbe writeProbe;
    private final TaskManager manager;
    private final Javalin app;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final ChildProbe probe;
    private final DataDirLock lock;

    private BridgeServer(
            TaskStore store,
            WriteProbe writeProbe,
            TaskManager manager,
            Javalin app,
            ExecutorService workers,
            ScheduledExecutorService scheduler,
            ChildProbe probe,
            DataDirLock lock) {
        this.lock = lock;
        this.store = store;
        this.writeProbe = writeProbe;
        this.manager = manager;
        this.app = app;
        this.workers = workers;
        this.scheduler = scheduler;
        this.probe = probe;
    }

    /** Takes the data-dir lock itself; see {@link #start(ServerOptions, Path, DataDirLock)}. */
    public static BridgeServer start(ServerOptions options, Path appHome) throws IOException {
        DataDirLock lock = DataDirLock.acquire(options.dataDir());
        try {
            return start(options, appHome, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Starts on a data dir whose lock is held (the server owns it from here on and releases it in
     * {@link #close()}): recovery, then the API.
     */
    public static BridgeServer start(ServerOptions options, Path appHome, DataDirLock lock) throws IOException {
        Path dataDir = lock.dataDir();
        Files.createDirectories(dataDir.resolve("tasks"));
        ownerOnly(dataDir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        StreamEngine engine = options.streamPath() != null
                ? StreamEngine.sophonStream(options.streamPath())
                : StreamEngine.cpuStream(appHome, java);
        String unavailable = engine.unavailableReason();
        if (unavailable != null && options.streamPath() != null) {
            throw new IllegalArgumentException(unavailable);
        }
        if (unavailable != null) {
            log.warn("{} Tasks will be refused until it is built.", unavailable);
        }
        ObjectMapper json = new ObjectMapper();
        RequestParser parser = new RequestParser();
        AlgorithmRegistry registry = AlgorithmRegistry.load();
        List<String> sqliteFlags = SqliteNativeLibrary.install(dataDir.resolve("native"));
        TaskStore store = new TaskStore(dataDir.resolve("tasks.db"));
        WriteProbe writeProbe = new WriteProbe(dataDir.resolve("tasks.db"));
        OutboxBudget budget =
                OutboxBudget.of(options.outboxBudgetMb(), DiskSpace.usableBytes(dataDir), options.maxTasks());
        ExecutorService workers = Executors.newCachedThreadPool(daemon("child-worker"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("watchdog"));
        ChildProbe probe = new ChildProbe(json);
        ChildCommands commands =
                new ChildCommands(appHome, java, engine, dataDir.resolve("cds"), budget.shareBytes(), sqliteFlags);
        RunnerContext ctx = new RunnerContext(
                commands,
                options.policy(),
                store,
                scheduler,
                workers,
                probe,
                RunnerContext.defaultStartGate(),
                new AtomicBoolean());
        TaskManager manager = new TaskManager(
                dataDir.resolve("tasks"),
                registry,
                new ConfigSetBuilder(appHome.resolve("stream-graphs"), registry),
                ctx,
                new PortAllocator(BUSINESS_LOGIC_PORT_BASE, PORT_RANGE),
                new PortAllocator(STREAM_LISTEN_PORT_BASE, PORT_RANGE),
                parser.mapper(),
                options.maxTasks());
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jetty.threadPool = apiThreads();
        });
        BridgeServer server = new BridgeServer(store, writeProbe, manager, app, workers, scheduler, probe, lock);
        try {
            new Recovery(manager).run();
            manager.prepareClassArchive();
            ServerHealth health = new ServerHealth(
                    manager, writeProbe, dataDir, options.minFreeDiskMb(), engine.description(), budget);
            new OperatorAccess(options.uiToken(), json).register(app, options.host());
            new TaskApi(manager, new TaskValidator(registry), parser, json, health).register(app);
            new MetricsApi(manager).register(app);
            new SnapshotApi(manager, probe, FrameGrabber.ofCpuStream(appHome, java, dataDir.resolve("snapshots")), json)
                    .register(app);
            new AlarmsApi(manager, json).register(app);
            new StatusPage(manager, json).register(app);
            app.start(options.host(), options.port());
        } catch (RuntimeException e) {
            server.close(); // e.g. the API port is taken: stop what recovery started, keep the tasks
            throw e;
        }
        log.info(
                "task API and status page on http://{}:{}/ (data {}, engine {}, at most {} algorithm entries, outboxes {} MB in all, {} MB each)",
                options.host(),
                app.port(),
                dataDir,
                engine.description(),
                options.maxTasks(),
                budget.budgetMb(),
                budget.shareMb());
        if (budget.shareBytes() < SMALL_OUTBOX_SHARE) {
            log.warn(
                    "each outbox may take only {} MB: a receiver outage of a few minutes drops alarms "
                            + "(free space on {} or --outbox-budget-mb)",
                    budget.shareMb(),
                    dataDir);
        }
        return server;
    }

    public int port() {
        return app.port();
    }

    public TaskManager manager() {
        return manager;
    }

    /** Stops serving, stops every child (tasks stay stored for the next start), closes the database. */
    @Override
    public void close() {
        // First of all: from now on no child exit is judged (a signal may have reached them too).
        manager.context().shuttingDown().set(true);
        app.stop();
        manager.shutdown();
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probe.close();
        writeProbe.close();
        store.close();
        lock.close();
        log.info("server stopped");
    }

    /**
     * application-web sends a few requests a second; Javalin's default pool (up to 250 threads, 8
     * kept) is sized for a web site. 16 still leaves room for Jetty's acceptor and selectors on 8
     * cores plus concurrent creates and deletes, which each wait on child starts and stops.
     */
    private static org.eclipse.jetty.util.thread.QueuedThreadPool apiThreads() {
        org.eclipse.jetty.util.thread.QueuedThreadPool pool =
                new org.eclipse.jetty.util.thread.QueuedThreadPool(16, 2, 60_000);
        pool.setName("api");
        return pool;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The database, task.json and the generated configs hold camera URLs with their passwords
     * (the stream process needs them): only the server's own user may read the data folder.
     */
    private static void ownerOnly(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            log.warn("cannot restrict {} to its owner: the file system has no POSIX permissions", dir);
        }
    }
}
