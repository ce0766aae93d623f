package sophon.bridge.server.supervise;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import sophon.bridge.server.TaskLog;
import sophon.bridge.server.process.Child;
import sophon.bridge.task.Credentials;

/**
 * Keeps one child of an algorithm entry: launches it (through the start gate when there is one),
 * waits until it is ready, asks its {@link Liveness} on every tick and stops it when it hangs,
 * counts failures and relaunches after a backoff when its entry says so. What an exit means
 * (restart, finish, give up) is the entry's decision, told through {@link Events}; this class is
 * the mechanism. Every launch has a generation: late news of an older one is ignored. Events are
 * always sent without this object's lock held, so an entry may call back in.
 */
public final class ChildSupervisor {

    /** Starts the child; {@code onExit} gets its exit code once (128+n when killed by signal n). */
    @FunctionalInterface
    public interface Launcher {
        Child launch(IntConsumer onExit) throws Exception;
    }

    /** Blocks until the child is ready (true) or will not be (false: not ready in time, died, unwanted). */
    @FunctionalInterface
    public interface Readiness {
        Readiness IMMEDIATE = (child, stillWanted) -> true;

        boolean await(Child child, BooleanSupplier stillWanted);
    }

    public interface Events {
        /** The child runs and is ready. */
        void up(ChildSupervisor who);

        /** The child ended, or could not be started, while it was wanted. */
        void ended(ChildSupervisor who, Ending ending);

        /** The child has run {@code stableAfter} since its last failure; its failure count is back to 0. */
        void stable(ChildSupervisor who);
    }

    /**
     * How a wanted child ended: its exit code (-1 when it never started), how long it ran, and
     * {@code cause} when this supervisor stopped it (hung, not ready) or could not start it; null
     * when it exited by itself.
     */
    public record Ending(int code, Duration uptime, String cause, boolean started) {}

    private enum Phase {
        IDLE,
        LAUNCHING,
        UP,
        KILLING,
        BACKOFF
    }

    private final String name;
    private final TaskLog tlog;
    private final Launcher launcher;
    private final Readiness readiness;
    private final Liveness liveness;
    private final Semaphore gate;
    private final SupervisionPolicy policy;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final Events events;

    private Phase phase = Phase.IDLE;
    private boolean wanted;
    private int generation;
    private int launching;
    private Child child;
    private int failures;
    private String killCause;
    private ScheduledFuture<?> pendingRestart;

    /**
     * @param tlog   where its lines go, with the task and entry they are about
     * @param gate   bounds concurrent launches until ready (JVM starts); null for none
     */
    public ChildSupervisor(
            String name,
            TaskLog tlog,
            Launcher launcher,
            Readiness readiness,
            Liveness liveness,
            Semaphore gate,
            SupervisionPolicy policy,
            ScheduledExecutorService scheduler,
            Executor workers,
            Events events) {
        this.name = name;
        this.tlog = tlog;
        this.launcher = launcher;
        this.readiness = readiness;
        this.liveness = liveness;
        this.gate = gate;
        this.policy = policy;
        this.scheduler = scheduler;
        this.workers = workers;
        this.events = events;
    }

    public String name() {
        return name;
    }

    public synchronized boolean wanted() {
        return wanted;
    }

    /** Running and ready (not being launched, stopped or waiting for a restart). */
    public synchronized boolean isUp() {
        return phase == Phase.UP;
    }

    /** The current child, or null. */
    public synchronized Child child() {
        return child;
    }

    public synchronized int failures() {
        return failures;
    }

    /** Wants the child running; launches it now unless it runs, is being launched or waits for a restart. */
    public void start() {
        int gen;
        synchronized (this) {
            wanted = true;
            if (phase != Phase.IDLE) {
                return;
            }
            phase = Phase.LAUNCHING;
            gen = ++generation;
            launching++;
        }
        workers.execute(() -> launch(gen));
    }

    /** Counts one failure (the count starts again after a child that ran {@code stableAfter}); returns the count. */
    public synchronized int countFailure(Duration uptime) {
        failures = uptime.compareTo(policy.stableAfter()) >= 0 ? 1 : failures + 1;
        return failures;
    }

    /** Launches the child again after {@code delay}, if it is still wanted then. */
    public synchronized void restartAfter(Duration delay) {
        if (!wanted || phase != Phase.IDLE) {
            return;
        }
        phase = Phase.BACKOFF;
        pendingRestart =
                scheduler.schedule(() -> workers.execute(this::backoffOver), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void backoffOver() {
        synchronized (this) {
            pendingRestart = null;
            if (!wanted || phase != Phase.BACKOFF) {
                return;
            }
            phase = Phase.IDLE;
        }
        start();
    }

    /**
     * Not wanted any more: cancels a pending restart, waits for a launch in flight to give up, and
     * stops the child (SIGTERM, SIGKILL after the grace). Its exit is nobody's failure. Returns once
     * it is gone.
     */
    public void stop() {
        Child c;
        synchronized (this) {
            wanted = false;
            generation++;
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
                pendingRestart = null;
            }
            while (launching > 0) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            c = child;
            child = null;
            phase = Phase.IDLE;
        }
        if (c != null) {
            c.stop(policy.stopGrace());
        }
    }

    /** One watchdog tick: liveness of a ready child, and the reset of its failure count once it is stable. */
    public void tick(Instant now) {
        Child c;
        boolean becameStable = false;
        synchronized (this) {
            if (phase != Phase.UP || child == null) {
                return;
            }
            c = child;
            if (failures > 0 && Duration.between(c.startedAt(), now).compareTo(policy.stableAfter()) >= 0) {
                failures = 0;
                becameStable = true;
            }
        }
        if (becameStable) {
            events.stable(this);
        }
        String hung = liveness.hung(c, now);
        if (hung == null) {
            return;
        }
        synchronized (this) {
            if (child != c || phase != Phase.UP) {
                return;
            }
            phase = Phase.KILLING;
            killCause = hung;
        }
        tlog.warn("{} pid={} hung: {}; stopping it", name, c.pid(), hung);
        workers.execute(() -> c.stop(policy.stopGrace())); // its exit reports the failure with the cause
    }

    private boolean current(int gen) {
        synchronized (this) {
            return wanted && gen == generation;
        }
    }

    private void launch(int gen) {
        boolean gated = false;
        try {
            if (gate != null) {
                gated = passGate(gen);
                if (!gated) {
                    return;
                }
            }
            Child c;
            try {
                c = launcher.launch(code -> exited(gen, code));
            } catch (Exception e) {
                String cause = Credentials.mask(String.valueOf(e.getMessage()));
                synchronized (this) {
                    if (!current(gen)) {
                        return;
                    }
                    phase = Phase.IDLE;
                    generation++;
                }
                events.ended(this, new Ending(-1, Duration.ZERO, cause, false));
                return;
            }
            boolean unwanted;
            synchronized (this) {
                unwanted = !current(gen); // stopped meanwhile, or it exited already (then the exit was reported)
                if (!unwanted) {
                    child = c;
                    liveness.started(c, Instant.now());
                    tlog.info("{} started pid={}", name, c.pid());
                }
            }
            if (unwanted) {
                c.stop(policy.stopGrace());
                return;
            }
            Child started = c;
            boolean ready = readiness.await(started, () -> current(gen) && started.isAlive());
            if (gated) {
                gate.release();
                gated = false;
            }
            boolean notReady = false;
            synchronized (this) {
                if (!current(gen)) {
                    return;
                }
                if (ready) {
                    phase = Phase.UP;
                    liveness.started(started, Instant.now());
                } else if (started.isAlive()) {
                    phase = Phase.KILLING;
                    killCause = name + " was not ready within "
                            + policy.healthTimeout().toSeconds() + " s";
                    notReady = true;
                }
            }
            if (ready) {
                events.up(this);
            } else if (notReady) {
                started.stop(policy.stopGrace()); // its exit reports the failure with the cause
            }
        } finally {
            if (gated) {
                gate.release();
            }
            synchronized (this) {
                launching--;
                notifyAll();
            }
        }
    }

    /** Waits for a start permit while this launch is still wanted; true once one is held. */
    private boolean passGate(int gen) {
        try {
            while (current(gen)) {
                if (gate.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (current(gen)) {
                        return true;
                    }
                    gate.release();
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void exited(int gen, int code) {
        Ending ending;
        synchronized (this) {
            if (gen != generation) {
                return; // stopped by stop(), or superseded
            }
            Duration uptime = child == null ? Duration.ZERO : Duration.between(child.startedAt(), Instant.now());
            ending = new Ending(code, uptime, killCause, true);
            killCause = null;
            child = null;
            phase = Phase.IDLE;
            generation++; // the launch of this generation, if still waiting for readiness, gives up
            if (!wanted) {
                return;
            }
        }
        events.ended(this, ending);
    }
}
