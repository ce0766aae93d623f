package sophon.bridge.server.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import sophon.bridge.server.TaskLog;
import sophon.bridge.server.process.Child;
import sophon.bridge.server.process.FakeChild;

/** The supervisor of one child, driven with fake children: no process, no JVM start. */
class ChildSupervisorTest {
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final ExecutorService workers = Executors.newCachedThreadPool();
    final SupervisionPolicy policy = SupervisionPolicy.defaults()
            .withInitialBackoff(Duration.ofMillis(20))
            .withStopGrace(Duration.ofMillis(200))
            .withStableAfter(Duration.ofMillis(300))
            .withStallTimeout(Duration.ofMillis(500));
    final List<FakeChild> launched = new CopyOnWriteArrayList<>();
    final Recorder events = new Recorder();

    @AfterEach
    void shutdown() {
        scheduler.shutdownNow();
        workers.shutdownNow();
    }

    static final class Recorder implements ChildSupervisor.Events {
        final AtomicInteger ups = new AtomicInteger();
        final AtomicInteger stables = new AtomicInteger();
        final List<ChildSupervisor.Ending> endings = new CopyOnWriteArrayList<>();
        volatile Duration restartDelay; // when set, every ending is answered with a restart

        @Override
        public void up(ChildSupervisor who) {
            ups.incrementAndGet();
        }

        @Override
        public void ended(ChildSupervisor who, ChildSupervisor.Ending ending) {
            endings.add(ending);
            if (restartDelay != null) {
                who.countFailure(ending.uptime());
                who.restartAfter(restartDelay);
            }
        }

        @Override
        public void stable(ChildSupervisor who) {
            stables.incrementAndGet();
        }
    }

    ChildSupervisor supervisor(ChildSupervisor.Readiness readiness, Liveness liveness, Semaphore gate) {
        ChildSupervisor.Launcher launcher = onExit -> {
            FakeChild c = new FakeChild(onExit, Instant.now());
            launched.add(c);
            return c;
        };
        return new ChildSupervisor(
                "fake",
                TaskLog.of(LoggerFactory.getLogger(ChildSupervisorTest.class), "t", 0),
                launcher,
                readiness,
                liveness,
                gate,
                policy,
                scheduler,
                workers,
                events);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void anExitOfItsOwnIsReportedWithItsCodeAndTheEntryDecidesTheRestart() throws Exception {
        ChildSupervisor s = supervisor(ChildSupervisor.Readiness.IMMEDIATE, Liveness.NONE, null);
        events.restartDelay = Duration.ofMillis(30);
        s.start();
        await("up", () -> events.ups.get() == 1);
        assertTrue(s.isUp());
        launched.get(0).exit(3);
        await("restarted", () -> events.ups.get() == 2);
        assertEquals(1, events.endings.size());
        ChildSupervisor.Ending e = events.endings.get(0);
        assertEquals(3, e.code());
        assertNull(e.cause(), "exited by itself");
        assertTrue(e.started());
        assertEquals(2, launched.size());
        assertEquals(1, s.failures());
    }

    @Test
    void aStopIsNeverReportedAsAnEnding() throws Exception {
        ChildSupervisor s = supervisor(ChildSupervisor.Readiness.IMMEDIATE, Liveness.NONE, null);
        s.start();
        await("up", () -> events.ups.get() == 1);
        s.stop();
        assertFalse(launched.get(0).isAlive());
        Thread.sleep(100);
        assertTrue(events.endings.isEmpty(), "our own stop is nobody's failure");
        assertNull(s.child());
        assertFalse(s.wanted());
    }

    @Test
    void aStopCancelsAPendingRestart() throws Exception {
        ChildSupervisor s = supervisor(ChildSupervisor.Readiness.IMMEDIATE, Liveness.NONE, null);
        events.restartDelay = Duration.ofMillis(300);
        s.start();
        await("up", () -> events.ups.get() == 1);
        launched.get(0).exit(1);
        await("ending seen", () -> events.endings.size() == 1);
        s.stop();
        Thread.sleep(500);
        assertEquals(1, launched.size(), "no launch after stop");
    }

    @Test
    void aChildNotReadyInTimeIsStoppedAndReportedWithTheCause() throws Exception {
        ChildSupervisor s = supervisor((child, stillWanted) -> false, Liveness.NONE, null);
        s.start();
        await("ending", () -> events.endings.size() == 1);
        ChildSupervisor.Ending e = events.endings.get(0);
        assertNotNull(e.cause());
        assertTrue(e.cause().contains("not ready"), e.cause());
        assertFalse(launched.get(0).isAlive());
        assertEquals(0, events.ups.get());
    }

    @Test
    void aLaunchThatThrowsIsAnEndingThatNeverStarted() throws Exception {
        ChildSupervisor s = new ChildSupervisor(
                "fake",
                TaskLog.of(LoggerFactory.getLogger(ChildSupervisorTest.class), "t", 0),
                onExit -> {
                    throw new IOException("cannot start /x: rtsp://admin:secret@10.0.0.1/ unreachable");
                },
                ChildSupervisor.Readiness.IMMEDIATE,
                Liveness.NONE,
                null,
                policy,
                scheduler,
                workers,
                events);
        s.start();
        await("ending", () -> events.endings.size() == 1);
        ChildSupervisor.Ending e = events.endings.get(0);
        assertFalse(e.started());
        assertFalse(e.cause().contains("secret"), "the cause is masked: " + e.cause());
    }

    @Test
    void aHungChildThatIgnoresSigtermIsKilledAfterTheGraceAndReportedAsHung() throws Exception {
        AtomicBoolean hang = new AtomicBoolean();
        Liveness liveness = new Liveness() {
            @Override
            public void started(Child child, Instant now) {}

            @Override
            public String hung(Child child, Instant now) {
                return hang.get() ? "made no progress" : null;
            }
        };
        ChildSupervisor s = supervisor(ChildSupervisor.Readiness.IMMEDIATE, liveness, null);
        s.start();
        await("up", () -> events.ups.get() == 1);
        FakeChild c = launched.get(0);
        c.ignoresTerm = true;
        s.tick(Instant.now());
        assertTrue(c.isAlive(), "alive while it makes progress");
        hang.set(true);
        s.tick(Instant.now());
        s.tick(Instant.now()); // a second tick while it is being stopped must not stop it twice
        await("ending", () -> events.endings.size() == 1);
        assertFalse(c.isAlive());
        assertEquals(137, events.endings.get(0).code(), "SIGKILLed after the grace");
        assertEquals("made no progress", events.endings.get(0).cause());
        assertTrue(c.stoppedAfter.compareTo(policy.stopGrace()) >= 0);
    }

    @Test
    void theFailureCountStartsAgainOnceTheChildRanStableAfter() throws Exception {
        ChildSupervisor s = supervisor(ChildSupervisor.Readiness.IMMEDIATE, Liveness.NONE, null);
        events.restartDelay = Duration.ofMillis(10);
        s.start();
        await("up", () -> events.ups.get() == 1);
        launched.get(0).exit(1);
        await("second up", () -> events.ups.get() == 2);
        launched.get(1).exit(1);
        await("third up", () -> events.ups.get() == 3);
        assertEquals(2, s.failures());
        s.tick(Instant.now());
        assertEquals(2, s.failures(), "not yet stable");
        s.tick(Instant.now().plus(policy.stableAfter()));
        assertEquals(0, s.failures());
        assertEquals(1, events.stables.get());
        assertEquals(1, s.countFailure(policy.stableAfter()), "a failure after a stable run is the first again");
    }

    @Test
    void theStartGateIsHeldUntilReadyAndReleasedOnEveryPath() throws Exception {
        Semaphore gate = new Semaphore(1);
        AtomicBoolean ready = new AtomicBoolean();
        ChildSupervisor s = supervisor(
                (child, stillWanted) -> {
                    while (!ready.get() && stillWanted.getAsBoolean()) {
                        Thread.onSpinWait();
                    }
                    return ready.get();
                },
                Liveness.NONE,
                gate);
        s.start();
        await("launched", () -> launched.size() == 1);
        assertEquals(0, gate.availablePermits(), "held while the child gets ready");
        ready.set(true);
        await("up", () -> events.ups.get() == 1);
        assertEquals(1, gate.availablePermits());
        s.stop();
        ready.set(false);
        s.start();
        await("launched again", () -> launched.size() == 2);
        s.stop(); // while it waits for readiness
        assertEquals(1, gate.availablePermits(), "released when stopped before ready");
        assertFalse(launched.get(1).isAlive());
    }

    @Test
    void progressLivenessSeesCpuOrFramesAndCallsAStillProcessHung() {
        AtomicLong frames = new AtomicLong();
        ProgressLiveness p = new ProgressLiveness(Duration.ofSeconds(60), frames::get);
        FakeChild c = new FakeChild(code -> {}, Instant.now());
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        p.started(c, t0);
        c.cpuMillis.addAndGet(700); // decoding: over 1 % of a core in the first 10 s
        assertNull(p.hung(c, t0.plusSeconds(10)));
        c.cpuMillis.addAndGet(5); // a hung JVM's housekeeping: ~0.1 %
        assertNull(p.hung(c, t0.plusSeconds(40)));
        frames.incrementAndGet(); // a frame reached business logic: progress whatever the CPU
        assertNull(p.hung(c, t0.plusSeconds(69)));
        c.cpuMillis.addAndGet(20);
        assertNull(p.hung(c, t0.plusSeconds(100)));
        String why = p.hung(c, t0.plusSeconds(130));
        assertNotNull(why, "61 s after the last frame with 0.03 % of a core");
        assertTrue(why.contains("no progress for 61 s"), why);
    }

    @Test
    void healthLivenessCountsMissesInARowAndNeverAsksTwiceAtOnce() {
        List<java.util.function.Consumer<Boolean>> asked = new CopyOnWriteArrayList<>();
        HealthLiveness h =
                new HealthLiveness(() -> 10001, Duration.ofSeconds(2), 3, (port, answer) -> asked.add(answer));
        FakeChild c = new FakeChild(code -> {}, Instant.now());
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        h.started(c, t0);
        assertNull(h.hung(c, t0.plusSeconds(1)));
        assertEquals(0, asked.size(), "not before the interval");
        assertNull(h.hung(c, t0.plusSeconds(2)));
        assertNull(h.hung(c, t0.plusSeconds(4)));
        assertEquals(1, asked.size(), "one question at a time");
        asked.get(0).accept(false);
        assertNull(h.hung(c, t0.plusSeconds(6)));
        asked.get(1).accept(true); // answered: the count starts again
        for (int i = 0; i < 3; i++) {
            assertNull(h.hung(c, t0.plusSeconds(8 + 2 * i)));
            asked.get(2 + i).accept(false);
        }
        String why = h.hung(c, t0.plusSeconds(14));
        assertNotNull(why);
        assertTrue(why.contains("3 times in a row"), why);
    }
}
