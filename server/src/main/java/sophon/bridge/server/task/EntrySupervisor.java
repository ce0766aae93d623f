package sophon.bridge.server.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.server.TaskLog;
import sophon.bridge.server.process.BoundedLog;
import sophon.bridge.server.process.Child;
import sophon.bridge.server.process.ChildProcess;
import sophon.bridge.server.supervise.ChildSupervisor;
import sophon.bridge.server.supervise.HealthLiveness;
import sophon.bridge.server.supervise.ProgressLiveness;
import sophon.bridge.server.supervise.RunState;
import sophon.bridge.server.supervise.SupervisionPolicy;
import sophon.bridge.task.Credentials;

/**
 * The policy of one algorithm entry over its two {@link ChildSupervisor}s:
 * <ul>
 *   <li>business logic first; the stream once business logic answers {@code /health};</li>
 *   <li>a stream that exits 0 on a finite source ends the entry ({@code finished}); on a live
 *       source it is a failure (a camera does not end);</li>
 *   <li>a failure restarts that child after the backoff; {@code maxFailures} in a row put a finite
 *       entry in {@code error} (and stop the other child), a live one in {@code retrying}, which
 *       tries again every {@code maxBackoff} until it has run {@code stableAfter}, then is
 *       {@code running} again;</li>
 *   <li>a config set that must be made again first (recovery) is made before each business-logic
 *       launch until it succeeds; failing, it is retried like a live source: a model on a volume
 *       that is not mounted yet must not end the task;</li>
 *   <li>before each launch, the port that child binds is checked: our previous process on it is
 *       gone by then, so a listener there is another program, which would keep the child from
 *       binding (or answer in its place) at every restart. The entry moves to a free port, its
 *       config set made again for it (business logic's port is the stream's http_push target, so a
 *       running stream is stopped and starts again after business logic), and the new ports are
 *       stored for the next server start;</li>
 *   <li>a stop — ours, or the server's shutdown — is never a failure.</li>
 * </ul>
 * State changes happen under this object's lock and are persisted when they change what is stored.
 */
public final class EntrySupervisor implements ChildSupervisor.Events {
    private static final Logger log = LoggerFactory.getLogger(EntrySupervisor.class);
    private static final int TAIL_LINES = 8;

    /** Makes the entry's config set for these ports and returns the plan it gives; throws with a one-sentence reason. */
    @FunctionalInterface
    public interface Planner {
        EntryPlan plan(int businessLogicPort, int streamPort) throws Exception;
    }

    private volatile EntryPlan plan;
    private final RunnerContext ctx;
    private final boolean liveSource;
    private final TaskLog tlog;
    private final ChildSupervisor businessLogic;
    private final ChildSupervisor stream;
    private final Planner planner;
    private final EntryPorts ports;
    /** The config set must be made (again) before the next launch: at recovery, or after a port moved. */
    private volatile boolean remake;
    /** Business logic moved: the running stream still posts to the old port. */
    private volatile boolean streamTargetStale;
    /** Serialises the two children's launch-time port checks and config makes. */
    private final Object planLock = new Object();

    private RunState state;
    private int restarts;
    private String lastError;
    private boolean stopping;
    private boolean restarted;
    private String persisted;
    private volatile JsonNode counters;
    private final AlarmsLastHour alarmsLastHour = new AlarmsLastHour();
    /** System.nanoTime of the last frame business logic told of; until one, when this entry was taken on. */
    private volatile long lastFrameNanos = System.nanoTime();

    /**
     * @param planner     makes the config set for given ports; null for an entry that never runs
     * @param remakeFirst the config set is made before the first launch (recovery)
     * @param ports       where a child moves when its port is taken; null: never moves
     */
    public EntrySupervisor(
            EntryPlan plan,
            RunnerContext ctx,
            boolean liveSource,
            Planner planner,
            boolean remakeFirst,
            EntryPorts ports,
            RunState initialState,
            int restarts,
            String lastError) {
        this(plan, ctx, liveSource, planner, remakeFirst, ports, initialState, restarts, lastError, null, null, null);
    }

    /** With other launchers and business-logic readiness (tests: fake children); null for the real ones. */
    EntrySupervisor(
            EntryPlan plan,
            RunnerContext ctx,
            boolean liveSource,
            Planner planner,
            boolean remakeFirst,
            EntryPorts ports,
            RunState initialState,
            int restarts,
            String lastError,
            ChildSupervisor.Launcher businessLogicLauncher,
            ChildSupervisor.Readiness businessLogicReadiness,
            ChildSupervisor.Launcher streamLauncher) {
        this.plan = plan;
        this.ctx = ctx;
        this.liveSource = liveSource;
        this.planner = planner;
        this.remake = remakeFirst;
        this.ports = ports;
        this.tlog = TaskLog.of(log, plan.taskId(), plan.index());
        this.state = initialState;
        this.restarts = restarts;
        this.lastError = lastError;
        this.stopping = !initialState.active();
        this.persisted = fingerprint();
        SupervisionPolicy p = ctx.policy();
        ChildSupervisor.Launcher blChild = businessLogicLauncher != null
                ? businessLogicLauncher
                : onExit -> ChildProcess.start(ctx.commands().businessLogic(this.plan), p.logCapBytes(), onExit);
        this.businessLogic = new ChildSupervisor(
                "business-logic",
                tlog,
                onExit -> launchBusinessLogic(blChild, onExit),
                businessLogicReadiness != null
                        ? businessLogicReadiness
                        : (child, stillWanted) -> ctx.probe()
                                .awaitHealthy(
                                        this.plan.businessLogicPort(), p.healthTimeout(), stillWanted, child.pid()),
                new HealthLiveness(
                        () -> this.plan.businessLogicPort(),
                        p.healthInterval(),
                        p.healthMisses(),
                        ctx.probe()::askHealth),
                ctx.startGate(),
                p,
                ctx.scheduler(),
                ctx.workers(),
                this);
        ChildSupervisor.Launcher streamChild = streamLauncher != null
                ? streamLauncher
                : onExit -> ChildProcess.start(ctx.commands().stream(this.plan), p.logCapBytes(), onExit);
        this.stream = new ChildSupervisor(
                "stream",
                tlog,
                onExit -> {
                    preparePlan(false);
                    return streamChild.launch(onExit);
                },
                ChildSupervisor.Readiness.IMMEDIATE,
                new ProgressLiveness(p.stallTimeout(), this::framesReceived),
                null,
                p,
                ctx.scheduler(),
                ctx.workers(),
                this);
    }

    public EntryPlan plan() {
        return plan;
    }

    public synchronized RunState state() {
        return state;
    }

    /** Starts business logic in the background; the stream follows once it is healthy. */
    public void start() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            refreshState(); // a recovered entry is 'starting' until its children are up, not 'running' as stored
        }
        businessLogic.start();
    }

    private Child launchBusinessLogic(ChildSupervisor.Launcher launcher, java.util.function.IntConsumer onExit)
            throws Exception {
        try {
            preparePlan(true);
        } finally {
            if (streamTargetStale) {
                // The running stream posts to the old port, where the other program now listens:
                // stopped at once (even when the new config set cannot be made yet), it starts
                // again with the new config once business logic is ready (see up()). Outside the
                // plan lock: a stream launch waiting for it would keep stop() waiting forever.
                streamTargetStale = false;
                stream.stop();
            }
        }
        return launcher.launch(onExit);
    }

    /**
     * Right before launching one child (its previous process is gone): moves it off its port when
     * another process listens there, and makes the config set when a port moved or recovery asks.
     * Throws when the config set cannot be made; the launch then fails and is retried, with the new
     * ports kept.
     */
    private void preparePlan(boolean businessLogicLaunch) throws Exception {
        synchronized (planLock) {
            EntryPlan p = plan;
            String moved = null;
            if (ports != null) {
                int bl = p.businessLogicPort();
                int sp = p.streamPort();
                if (businessLogicLaunch) {
                    bl = ports.businessLogic().keepOrMove(bl);
                } else {
                    sp = ports.stream().keepOrMove(sp);
                }
                if (bl != p.businessLogicPort() || sp != p.streamPort()) {
                    moved = businessLogicLaunch
                            ? "business-logic port " + p.businessLogicPort() + " is taken by another process; moved to "
                                    + bl
                            : "stream listen port " + p.streamPort() + " is taken by another process; moved to " + sp;
                    // The ports first: a config set that cannot be made now is made for them at the next try.
                    plan = new EntryPlan(
                            p.taskId(),
                            p.index(),
                            p.type(),
                            p.algorithm(),
                            p.algorithmDir(),
                            p.taskJson(),
                            p.demoConfig(),
                            bl,
                            sp);
                    remake = true;
                    streamTargetStale = businessLogicLaunch;
                    persistPorts();
                }
            }
            if (remake) {
                try {
                    plan = planner.plan(plan.businessLogicPort(), plan.streamPort());
                } catch (Exception e) {
                    if (moved != null) {
                        tlog.warn("{}", moved);
                    }
                    throw new Exception("the config set cannot be made: " + e.getMessage(), e);
                }
                remake = false;
                if (moved != null) {
                    tlog.warn("{}", moved);
                } else {
                    tlog.info("config set made again");
                }
            }
        }
    }

    @Override
    public void up(ChildSupervisor who) {
        boolean startStream;
        synchronized (this) {
            if (stopping) {
                return;
            }
            if (who == businessLogic) {
                tlog.info("business-logic ready on 127.0.0.1:{}", plan.businessLogicPort());
            }
            persistPids();
            startStream = who == businessLogic && !stream.wanted();
            refreshState();
        }
        if (startStream) {
            stream.start();
        }
    }

    @Override
    public void ended(ChildSupervisor who, ChildSupervisor.Ending ending) {
        if (ctx.shuttingDown().get()) {
            return;
        }
        synchronized (this) {
            // Shown at once (a view must never say running with a child gone), stored only once
            // judged; the end of a file is about to be 'finished', not a restart.
            boolean endOfFile = who == stream && ending.code() == 0 && ending.cause() == null && !liveSource;
            if (!stopping && state == RunState.RUNNING && !endOfFile) {
                state = RunState.RESTARTING;
            }
        }
        // Judged a moment later: when a signal reached the whole group, the server's own stop
        // begins meanwhile and the exit is nobody's failure.
        ctx.scheduler()
                .schedule(
                        () -> ctx.workers().execute(() -> judge(who, ending)),
                        ctx.policy().exitSettle().toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    private void judge(ChildSupervisor who, ChildSupervisor.Ending ending) {
        ChildSupervisor[] toStop = null;
        synchronized (this) {
            if (stopping || ctx.shuttingDown().get()) {
                return;
            }
            persistPids();
            boolean endOfInput = who == stream && ending.code() == 0 && ending.cause() == null;
            if (endOfInput && !liveSource) {
                tlog.info("stream ended normally; entry finished");
                state = RunState.FINISHED;
                stopping = true;
                persistState();
                toStop = new ChildSupervisor[] {stream, businessLogic};
            } else {
                String reason = ending.cause() != null
                        ? ending.cause()
                        : endOfInput
                                ? "stream ended although its source is live"
                                : who.name() + " exited with code " + ending.code();
                String message = reason;
                if (ending.started()) {
                    String logName = who == businessLogic ? EntryPlan.BUSINESS_LOGIC_LOG : EntryPlan.STREAM_LOG;
                    String tail = String.join(
                            "\n", BoundedLog.tail(plan.algorithmDir().resolve(logName), TAIL_LINES));
                    message = tail.isEmpty() ? reason : reason + "; last log lines:\n" + Credentials.mask(tail);
                }
                lastError = message;
                int failures = who.countFailure(ending.uptime());
                boolean retryForever = liveSource || remake;
                if (failures >= ctx.policy().maxFailures() && !retryForever) {
                    tlog.error("gave up after {} failures in a row: {}", failures, reason);
                    state = RunState.ERROR;
                    stopping = true;
                    persistState();
                    toStop = new ChildSupervisor[] {stream, businessLogic};
                } else {
                    Duration delay = failures >= ctx.policy().maxFailures()
                            ? ctx.policy().maxBackoff()
                            : ctx.policy().backoff(failures);
                    restarts++;
                    restarted = true;
                    tlog.warn("{} (failure {} in a row); restarting in {} ms", reason, failures, delay.toMillis());
                    who.restartAfter(delay);
                    refreshState();
                }
            }
        }
        if (toStop != null) {
            for (ChildSupervisor s : toStop) {
                s.stop();
            }
        }
    }

    @Override
    public void stable(ChildSupervisor who) {
        synchronized (this) {
            if (!stopping) {
                tlog.info("{} stable again; failure count reset", who.name());
                refreshState();
            }
        }
    }

    /** One watchdog tick: liveness of both children. */
    public void tick(Instant now) {
        synchronized (this) {
            if (stopping) {
                return;
            }
        }
        businessLogic.tick(now);
        stream.tick(now);
    }

    /**
     * Stops both children (stream first, so it does not post into a dead receiver) and starts
     * nothing any more. Returns once no child of this entry is alive.
     */
    public void stop() {
        boolean hadChildren;
        synchronized (this) {
            stopping = true;
            hadChildren = stream.child() != null || businessLogic.child() != null;
        }
        stream.stop();
        businessLogic.stop();
        if (hadChildren) {
            tlog.info("children stopped");
        }
    }

    /** Asks business logic for its counters (non-blocking); the result shows in the next view. */
    public void pollCounters() {
        if (businessLogic.isUp()) {
            ctx.probe().fetchCounters(plan.businessLogicPort(), node -> {
                counters = node;
                alarmsLastHour.observe(
                        System.currentTimeMillis(), node.path("alarmsProduced").asLong(0));
                // An age rather than a time: the child's nanoTime is not ours. Kept when the child
                // restarts (a new one says -1 until its first frame): the entry still had none since.
                long ageMs = node.path("lastFrameAgeMs").asLong(-1);
                if (ageMs >= 0) {
                    lastFrameNanos = System.nanoTime() - ageMs * 1_000_000L;
                }
            });
        }
    }

    /** Seconds since business logic last received a frame (or since the server took this entry on, before one). */
    public double secondsSinceLastFrame(long nowNanos) {
        return Math.max(0, nowNanos - lastFrameNanos) / 1e9;
    }

    /** Alarms business logic produced in the last hour (since the server took the entry on, if later). */
    public long alarmsLastHour() {
        return alarmsLastHour.count(System.currentTimeMillis());
    }

    public boolean businessLogicUp() {
        return businessLogic.isUp();
    }

    public boolean streamUp() {
        return stream.isUp();
    }

    private long framesReceived() {
        JsonNode c = counters;
        return c == null ? 0 : c.path("framesReceived").asLong(0);
    }

    public synchronized EntryView view() {
        Child b = businessLogic.child();
        Child s = stream.child();
        return new EntryView(
                plan.index(),
                plan.type(),
                plan.algorithm(),
                state.label(),
                plan.businessLogicPort(),
                plan.streamPort(),
                b == null ? null : b.pid(),
                s == null ? null : s.pid(),
                restarts,
                lastError,
                counters);
    }

    public synchronized int restarts() {
        return restarts;
    }

    public synchronized String lastError() {
        return lastError;
    }

    /** Holds the lock. */
    private void refreshState() {
        if (state == RunState.FINISHED || state == RunState.ERROR || stopping) {
            persistState();
            return;
        }
        int max = ctx.policy().maxFailures();
        boolean retrying = businessLogic.failures() >= max || stream.failures() >= max;
        if (businessLogic.isUp() && stream.isUp()) {
            if (!retrying && state != RunState.RUNNING) {
                tlog.info("running");
            }
            state = retrying ? RunState.RETRYING : RunState.RUNNING;
            if (!retrying) {
                restarted = false;
            }
        } else {
            state = retrying ? RunState.RETRYING : restarted ? RunState.RESTARTING : RunState.STARTING;
        }
        persistState();
    }

    private String fingerprint() {
        return state + "|" + restarts + "|" + lastError;
    }

    private void persistState() {
        String now = fingerprint();
        if (now.equals(persisted)) {
            return;
        }
        try {
            ctx.store().updateState(plan.taskId(), plan.index(), state.label(), restarts, lastError);
            persisted = now;
        } catch (RuntimeException e) {
            tlog.warn("cannot record state {}: {}", state.label(), e.getMessage());
        }
    }

    private void persistPorts() {
        try {
            ctx.store().updatePorts(plan.taskId(), plan.index(), plan.businessLogicPort(), plan.streamPort());
        } catch (RuntimeException e) {
            tlog.warn("cannot record ports: {}", e.getMessage());
        }
    }

    private void persistPids() {
        Child b = businessLogic.child();
        Child s = stream.child();
        try {
            ctx.store().updatePids(plan.taskId(), plan.index(), b == null ? 0 : b.pid(), s == null ? 0 : s.pid());
        } catch (RuntimeException e) {
            tlog.warn("cannot record pids: {}", e.getMessage());
        }
    }
}
