package sophon.bridge.server.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.process.FakeChild;
import sophon.bridge.server.process.PortAllocator;
import sophon.bridge.server.store.StoredEntry;
import sophon.bridge.server.store.StoredTask;
import sophon.bridge.server.store.TaskStore;
import sophon.bridge.server.supervise.RunState;
import sophon.bridge.server.supervise.SupervisionPolicy;

/**
 * The rules of one algorithm entry, driven with fake children (no process, no JVM) and a real
 * SQLite task store: what is shown and what is stored after each kind of ending.
 */
class EntrySupervisorTest {
    @TempDir
    Path tmp;

    TaskStore store;
    ScheduledExecutorService scheduler;
    ExecutorService workers;
    RunnerContext ctx;
    final List<FakeChild> businessLogics = new CopyOnWriteArrayList<>();
    final List<FakeChild> streams = new CopyOnWriteArrayList<>();
    final AtomicBoolean businessLogicReady = new AtomicBoolean(true);
    EntryPlan plan;

    @BeforeEach
    void setUp() {
        store = new TaskStore(tmp.resolve("tasks.db"));
        scheduler = Executors.newSingleThreadScheduledExecutor();
        workers = Executors.newCachedThreadPool();
        SupervisionPolicy policy = SupervisionPolicy.defaults()
                .withInitialBackoff(Duration.ofMillis(10))
                .withMaxBackoff(Duration.ofMillis(40))
                .withStableAfter(Duration.ofMillis(400))
                .withStopGrace(Duration.ofMillis(100))
                .withHealthChecks(Duration.ofHours(1), 5);
        ctx = new RunnerContext(
                new ChildCommands(
                        tmp, tmp.resolve("java"), StreamEngine.sophonStream(tmp), tmp.resolve("cds"), 64L << 20),
                policy,
                store,
                scheduler,
                workers,
                new ChildProbe(new ObjectMapper()),
                new Semaphore(1),
                new AtomicBoolean());
        plan = new EntryPlan(
                "t1",
                0,
                3,
                "yolov5",
                tmp.resolve("t1/0-yolov5"),
                tmp.resolve("t1/task.json"),
                "config/yolov5_demo.json",
                10001,
                11001);
        store.insert(new StoredTask(
                "t1",
                "{}",
                0,
                List.of(new StoredEntry(
                        "t1",
                        0,
                        3,
                        "yolov5",
                        plan.algorithmDir().toString(),
                        plan.demoConfig(),
                        10001,
                        11001,
                        0,
                        0,
                        "starting",
                        0,
                        null))));
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
        workers.shutdownNow();
        store.close();
    }

    /** With a planner, the config set is made before the first launch (as at recovery). */
    EntrySupervisor entry(boolean live, EntrySupervisor.Planner planner, RunState initial) {
        return entry(live, planner, planner != null, null, initial);
    }

    EntrySupervisor entry(
            boolean live, EntrySupervisor.Planner planner, boolean remakeFirst, EntryPorts ports, RunState initial) {
        return new EntrySupervisor(
                plan,
                ctx,
                live,
                planner,
                remakeFirst,
                ports,
                initial,
                0,
                null,
                onExit -> add(businessLogics, onExit),
                (child, stillWanted) -> {
                    while (!businessLogicReady.get() && stillWanted.getAsBoolean()) {
                        Thread.onSpinWait();
                    }
                    return businessLogicReady.get();
                },
                onExit -> add(streams, onExit));
    }

    static FakeChild add(List<FakeChild> list, java.util.function.IntConsumer onExit) {
        FakeChild c = new FakeChild(onExit, Instant.now());
        list.add(c);
        return c;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    StoredEntry stored() {
        return store.all().get(0).entries().get(0);
    }

    @Test
    void theStreamStartsOnlyOnceBusinessLogicIsReady() throws Exception {
        businessLogicReady.set(false);
        EntrySupervisor e = entry(true, null, RunState.STARTING);
        e.start();
        await("business logic launched", () -> businessLogics.size() == 1);
        Thread.sleep(100);
        assertTrue(streams.isEmpty(), "no stream while business logic is not ready");
        assertEquals(RunState.STARTING, e.state());
        businessLogicReady.set(true);
        await("running", () -> e.state() == RunState.RUNNING);
        assertEquals(1, streams.size());
        assertEquals("running", stored().state());
        assertEquals(streams.get(0).pid, stored().streamPid());
        e.stop();
        assertFalse(streams.get(0).isAlive() || businessLogics.get(0).isAlive(), "stop stops both");
    }

    @Test
    void theEndOfAFileFinishesTheEntryAndStopsBusinessLogic() throws Exception {
        EntrySupervisor e = entry(false, null, RunState.STARTING);
        e.start();
        await("running", () -> e.state() == RunState.RUNNING);
        streams.get(0).exit(0);
        await("finished", () -> e.state() == RunState.FINISHED);
        await("business logic stopped", () -> !businessLogics.get(0).isAlive());
        assertEquals("finished", stored().state());
        assertNull(stored().lastError(), "finishing is no error");
        assertEquals(1, streams.size(), "no restart");
    }

    @Test
    void theEndOfALiveStreamIsAFailureToRestart() throws Exception {
        EntrySupervisor e = entry(true, null, RunState.STARTING);
        e.start();
        await("running", () -> e.state() == RunState.RUNNING);
        streams.get(0).exit(0);
        await("restarted", () -> streams.size() == 2 && e.state() == RunState.RUNNING);
        assertEquals(1, e.restarts());
        assertTrue(e.lastError().contains("source is live"), e.lastError());
        assertEquals(1, stored().restarts());
        assertTrue(businessLogics.get(0).isAlive(), "business logic keeps running");
    }

    @Test
    void aFiniteSourceGivesUpAfterFiveFailuresInARow() throws Exception {
        EntrySupervisor e = entry(false, null, RunState.STARTING);
        e.start();
        for (int i = 0; i < 5; i++) {
            int n = i + 1;
            await("stream " + n, () -> streams.size() == n && streams.get(n - 1).isAlive());
            streams.get(i).exit(1);
        }
        await("error", () -> e.state() == RunState.ERROR);
        assertEquals(4, e.restarts(), "5 failures = 1 start + 4 restarts");
        assertEquals("error", stored().state());
        assertTrue(stored().lastError().contains("stream exited with code 1"), stored().lastError());
        await("business logic stopped", () -> !businessLogics.get(0).isAlive());
        Thread.sleep(150);
        assertEquals(5, streams.size(), "nothing started after giving up");
    }

    @Test
    void aLiveSourceRetriesPastTheThresholdAndRunsAgainOnceStable() throws Exception {
        EntrySupervisor e = entry(true, null, RunState.STARTING);
        e.start();
        for (int i = 0; i < 7; i++) {
            int n = i + 1;
            await("stream " + n, () -> streams.size() == n && streams.get(n - 1).isAlive());
            streams.get(i).exit(1);
        }
        await("retrying", () -> e.state() == RunState.RETRYING);
        assertTrue(e.state().active(), "Status 1 for application-web");
        assertEquals("retrying", stored().state());
        await("tried again", () -> streams.size() == 8 && streams.get(7).isAlive());
        assertEquals(RunState.RETRYING, e.state(), "still retrying until a try has lasted stableAfter");
        Thread.sleep(ctx.policy().stableAfter().toMillis());
        e.tick(Instant.now());
        await("running again", () -> e.state() == RunState.RUNNING);
        assertEquals("running", stored().state());
    }

    @Test
    void aConfigSetThatCannotBeMadeIsRetriedUntilItCan() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        AtomicBoolean mounted = new AtomicBoolean();
        EntrySupervisor e = entry(
                false,
                (bl, sp) -> {
                    tries.incrementAndGet();
                    if (!mounted.get()) {
                        throw new IllegalStateException("model /data/models/x.bmodel does not exist");
                    }
                    return plan;
                },
                RunState.RUNNING);
        e.start();
        assertEquals(RunState.STARTING, e.state(), "a recovered entry is starting, not running as stored");
        await("retrying", () -> e.state() == RunState.RETRYING && tries.get() >= 6);
        assertTrue(e.lastError().contains("config set cannot be made"), e.lastError());
        assertTrue(businessLogics.isEmpty(), "nothing launched without a config set");
        mounted.set(true);
        await("launched", () -> streams.size() == 1);
        int triesWhenMade = tries.get();
        Thread.sleep(ctx.policy().stableAfter().toMillis());
        e.tick(Instant.now());
        await("running", () -> e.state() == RunState.RUNNING);
        businessLogics.get(0).exit(1);
        await("business logic again", () -> businessLogics.size() == 2);
        assertEquals(triesWhenMade, tries.get(), "made once; a later restart does not make it again");
    }

    @Test
    void aPortAnotherProcessTookWhileTheChildWasDownMovesTheEntry() throws Exception {
        EntryPorts ports = new EntryPorts(new PortAllocator(10001, 1000), new PortAllocator(11001, 1000));
        plan = withPorts(plan, ports.businessLogic().allocate(), ports.stream().allocate());
        List<EntryPlan> made = new CopyOnWriteArrayList<>();
        EntrySupervisor e = entry(
                true,
                (bl, sp) -> {
                    EntryPlan p = withPorts(plan, bl, sp);
                    made.add(p);
                    return p;
                },
                false,
                ports,
                RunState.STARTING);
        e.start();
        await("running", () -> e.state() == RunState.RUNNING);
        EntryPlan first = e.plan();

        // Nobody took it: the restart keeps the port, config untouched.
        businessLogics.get(0).exit(137);
        await("business logic again", () -> businessLogics.size() == 2 && e.state() == RunState.RUNNING);
        assertEquals(first, e.plan());
        assertTrue(made.isEmpty());
        assertEquals(1, streams.size(), "the stream kept running");

        // Another program listens on business logic's port while it is down.
        try (ServerSocket foreign = listenOn(first.businessLogicPort())) {
            businessLogics.get(1).exit(137);
            await("business logic moved", () -> businessLogics.size() == 3 && e.state() == RunState.RUNNING);
            int moved = e.plan().businessLogicPort();
            assertNotEquals(first.businessLogicPort(), moved);
            assertEquals(List.of(withPorts(first, moved, first.streamPort())), made, "config made for the new port");
            assertEquals(2, streams.size(), "the stream, posting to the old port, started again");
            assertFalse(streams.get(0).isAlive());
            assertEquals(moved, stored().businessLogicPort());
            assertFalse(ports.businessLogic().isReserved(first.businessLogicPort()), "the taken port released");
            assertTrue(ports.businessLogic().isReserved(moved));
        }

        // The same for the stream's listen port; business logic is not disturbed.
        try (ServerSocket foreign = listenOn(first.streamPort())) {
            streams.get(1).exit(1);
            await("stream moved", () -> streams.size() == 3 && e.state() == RunState.RUNNING);
            assertNotEquals(first.streamPort(), e.plan().streamPort());
            assertEquals(e.plan().streamPort(), stored().streamPort());
            assertEquals(2, made.size());
            assertEquals(3, businessLogics.size());
        }
        assertEquals(1, businessLogics.stream().filter(FakeChild::isAlive).count());
        assertEquals(1, streams.stream().filter(FakeChild::isAlive).count());
        e.stop();
        ports.businessLogic().release(e.plan().businessLogicPort());
        ports.stream().release(e.plan().streamPort());
    }

    static EntryPlan withPorts(EntryPlan p, int businessLogicPort, int streamPort) {
        return new EntryPlan(
                p.taskId(),
                p.index(),
                p.type(),
                p.algorithm(),
                p.algorithmDir(),
                p.taskJson(),
                p.demoConfig(),
                businessLogicPort,
                streamPort);
    }

    static ServerSocket listenOn(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    @Test
    void anExitSeenOnceTheServerIsStoppingIsNobodysFailure() throws Exception {
        EntrySupervisor e = entry(false, null, RunState.STARTING);
        e.start();
        await("running", () -> e.state() == RunState.RUNNING);
        // A signal to the whole group: the stream ends (exit 0, as sophon-stream on SIGTERM) just
        // as the server begins to stop.
        streams.get(0).exit(0);
        ctx.shuttingDown().set(true);
        Thread.sleep(ctx.policy().exitSettle().toMillis() + 200);
        e.stop();
        assertEquals("running", stored().state(), "not saved as finished");
        assertEquals(0, stored().restarts());
        assertNull(stored().lastError());
    }
}
