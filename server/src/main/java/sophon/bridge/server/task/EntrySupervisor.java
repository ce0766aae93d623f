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
 *   <li>a stop — ours, or the server's shutdown — is never a failure.</li>
 * </ul>
 * State changes happen under this object's lock and are persisted when they change what is stored.
 */
public final class EntrySupervisor implements ChildSupervisor.Events {
    private static final Logger log = LoggerFactory.getLogger(EntrySupervisor.class);
    private static final int TAIL_LINES = 8;

    /** Makes the entry's config set again and returns the plan it gives; throws with a one-sentence reason. */
    @FunctionalInterface
    public interface Preparation {
        EntryPlan prepare() throws Exception;
    }

    private volatile EntryPlan plan;
    private final RunnerContext ctx;
    private final boolean liveSource;
    private final TaskLog tlog;
    private final ChildSupervisor businessLogic;
    private final ChildSupervisor stream;
    private volatile Preparation preparation;

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
     * @param preparation null when the config set exists; else what makes it (at recovery)
     */
    public EntrySupervisor(
            EntryPlan plan,
            RunnerContext ctx,
            boolean liveSource,
            Preparation preparation,
            RunState initialState,
            int restarts,
            String lastError) {
        this(plan, ctx, liveSource, preparation, initialState, restarts, lastError, null, null, null);
    }

    /** With other launchers and business-logic readiness (tests: fake children); null for the real ones. */
    EntrySupervisor(
            EntryPlan plan,
            RunnerContext ctx,
            boolean liveSource,
            Preparation preparation,
            RunState initialState,
            int restarts,
            String lastError,
            ChildSupervisor.Launcher businessLogicLauncher,
            ChildSupervisor.Readiness businessLogicReadiness,
            ChildSupervisor.Launcher streamLauncher) {
        this.plan = plan;
        this.ctx = ctx;
        this.liveSource = liveSource;
        this.preparation = preparation;
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
                                .awaitHealthy(plan.businessLogicPort(), p.healthTimeout(), stillWanted, child.pid()),
                new HealthLiveness(
                        plan.businessLogicPort(), p.healthInterval(), p.healthMisses(), ctx.probe()::askHealth),
                ctx.startGate(),
                p,
                ctx.scheduler(),
                ctx.workers(),
                this);
        this.stream = new ChildSupervisor(
                "stream",
                tlog,
                streamLauncher != null
                        ? streamLauncher
                        : onExit -> ChildProcess.start(ctx.commands().stream(this.plan), p.logCapBytes(), onExit),
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
        Preparation p = preparation;
        if (p != null) {
            try {
                plan = p.prepare();
            } catch (Exception e) {
                throw new Exception("the config set cannot be made: " + e.getMessage(), e);
            }
            preparation = null;
            tlog.info("config set made again");
        }
        return launcher.launch(onExit);
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
                boolean retryForever = liveSource || preparation != null;
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
