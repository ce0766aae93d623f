package sophon.bridge.server.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.server.process.BoundedLog;
import sophon.bridge.server.process.ChildProcess;
import sophon.bridge.server.process.ChildSpec;
import sophon.bridge.task.Credentials;

/**
 * Runs and watches one algorithm entry: its business-logic child first, the stream child once
 * business logic answers {@code /health}. A crashed child is restarted with exponential backoff;
 * {@code maxFailures} failures in a row put the entry in {@code error}; a stream that ends with
 * exit code 0 (finite file) makes it {@code finished}. All state changes happen under this
 * object's lock; child start/stop and waiting happen outside it.
 */
public final class EntryRunner {
    private static final Logger log = LoggerFactory.getLogger(EntryRunner.class);
    private static final int TAIL_LINES = 8;

    private enum Kind { BUSINESS_LOGIC, STREAM }

    private final EntryPlan plan;
    private final RunnerContext ctx;

    private RunState state;
    private ChildProcess businessLogic;
    private ChildProcess stream;
    private boolean businessLogicReady;
    private int businessLogicGeneration;
    private int streamGeneration;
    private int businessLogicFailures;
    private int streamFailures;
    private int restarts;
    private String lastError;
    private String pendingReason;
    private boolean stopping;
    private boolean recovering;
    private int launching;
    private ScheduledFuture<?> pendingBusinessLogic;
    private ScheduledFuture<?> pendingStream;
    private String persisted = "";
    private volatile JsonNode counters;

    public EntryRunner(EntryPlan plan, RunnerContext ctx, RunState initialState, int restarts, String lastError) {
        this.plan = plan;
        this.ctx = ctx;
        this.state = initialState;
        this.restarts = restarts;
        this.lastError = lastError;
        this.stopping = !initialState.active();
        this.persisted = fingerprint();
    }

    public EntryPlan plan() {
        return plan;
    }

    public synchronized RunState state() {
        return state;
    }

    /** Starts the children in the background; the entry shows {@code starting} until both run. */
    public void start() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            persistState();
        }
        ctx.workers().execute(this::launchBusinessLogic);
    }

    private void launchBusinessLogic() {
        int gen;
        synchronized (this) {
            pendingBusinessLogic = null;
            if (stopping || businessLogic != null) {
                return;
            }
            gen = ++businessLogicGeneration;
            launching++;
        }
        boolean gated = false;
        try {
            gated = passStartGate(gen);
            if (!gated) {
                return;
            }
            ChildProcess child = launch(Kind.BUSINESS_LOGIC, gen, ctx.commands().businessLogic(plan));
            if (child == null) {
                return;
            }
            boolean healthy = ctx.probe().awaitHealthy(plan.businessLogicPort(), ctx.policy().healthTimeout(),
                    () -> stillCurrent(Kind.BUSINESS_LOGIC, gen) && child.isAlive());
            ctx.startGate().release();
            gated = false;
            boolean startStream = false;
            boolean giveUp = false;
            synchronized (this) {
                if (!stillCurrent(Kind.BUSINESS_LOGIC, gen)) {
                    return;
                }
                if (healthy) {
                    businessLogicReady = true;
                    log.info("task={} entry={} business-logic ready on 127.0.0.1:{}", plan.taskId(), plan.index(),
                            plan.businessLogicPort());
                    startStream = stream == null && pendingStream == null;
                    refreshState();
                } else if (child.isAlive()) {
                    pendingReason = "business-logic did not answer /health within "
                            + ctx.policy().healthTimeout().toSeconds() + " s";
                    giveUp = true;
                }
            }
            if (giveUp) {
                child.stop(ctx.policy().stopGrace()); // its exit callback counts the failure
            }
            if (startStream) {
                launchStream();
            }
        } finally {
            if (gated) {
                ctx.startGate().release();
            }
            synchronized (this) {
                launching--;
                notifyAll();
            }
        }
    }

    /** Waits for a start permit while this launch is still wanted; true once one is held. */
    private boolean passStartGate(int gen) {
        try {
            while (stillCurrent(Kind.BUSINESS_LOGIC, gen)) {
                if (ctx.startGate().tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (stillCurrent(Kind.BUSINESS_LOGIC, gen)) {
                        return true;
                    }
                    ctx.startGate().release();
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void launchStream() {
        int gen;
        synchronized (this) {
            pendingStream = null;
            if (stopping || stream != null || !businessLogicReady) {
                return;
            }
            gen = ++streamGeneration;
            launching++;
        }
        try {
            launch(Kind.STREAM, gen, ctx.commands().stream(plan));
        } finally {
            synchronized (this) {
                launching--;
                notifyAll();
            }
        }
    }

    /** Starts one child and records it; null when it could not start or is no longer wanted. */
    private ChildProcess launch(Kind kind, int gen, ChildSpec spec) {
        ChildProcess child;
        try {
            child = ChildProcess.start(spec, ctx.policy().logCapBytes(), code -> onExit(kind, gen, code));
        } catch (IOException e) {
            synchronized (this) {
                if (stillCurrent(kind, gen)) {
                    String reason = Credentials.mask(e.getMessage());
                    onFailure(kind, Duration.ZERO, reason, reason);
                }
            }
            return null;
        }
        boolean unwanted;
        synchronized (this) {
            unwanted = !stillCurrent(kind, gen);
            if (!unwanted && !child.exit().isDone()) {
                if (kind == Kind.BUSINESS_LOGIC) {
                    businessLogic = child;
                } else {
                    stream = child;
                }
                persistPids();
                log.info("task={} entry={} {} started pid={}", plan.taskId(), plan.index(), spec.name(), child.pid());
                refreshState();
            }
        }
        if (unwanted) {
            child.stop(ctx.policy().stopGrace());
            return null;
        }
        return child;
    }

    private void onExit(Kind kind, int gen, int code) {
        ChildProcess workerToStop = null;
        synchronized (this) {
            if (kind == Kind.BUSINESS_LOGIC ? gen != businessLogicGeneration : gen != streamGeneration) {
                return;
            }
            ChildProcess dead = kind == Kind.BUSINESS_LOGIC ? businessLogic : stream;
            if (kind == Kind.BUSINESS_LOGIC) {
                businessLogic = null;
                businessLogicReady = false;
            } else {
                stream = null;
            }
            persistPids();
            if (stopping) {
                refreshState();
                return;
            }
            Duration uptime = dead == null ? Duration.ZERO : Duration.between(dead.startedAt(), Instant.now());
            if (kind == Kind.STREAM && code == 0) {
                log.info("task={} entry={} stream ended normally; entry finished", plan.taskId(), plan.index());
                state = RunState.FINISHED;
                stopping = true;
                cancelPending();
                workerToStop = businessLogic;
                persistState();
            } else {
                String who = kind == Kind.BUSINESS_LOGIC ? "business-logic" : "stream";
                String reason = pendingReason != null && kind == Kind.BUSINESS_LOGIC ? pendingReason
                        : who + " exited with code " + code;
                pendingReason = null;
                String logName = kind == Kind.BUSINESS_LOGIC ? EntryPlan.BUSINESS_LOGIC_LOG : EntryPlan.STREAM_LOG;
                String tail = String.join("\n", BoundedLog.tail(plan.algorithmDir().resolve(logName), TAIL_LINES));
                onFailure(kind, uptime, reason,
                        tail.isEmpty() ? reason : reason + "; last log lines:\n" + Credentials.mask(tail));
                if (state == RunState.ERROR) {
                    workerToStop = kind == Kind.BUSINESS_LOGIC ? stream : businessLogic;
                }
            }
        }
        if (workerToStop != null) {
            ChildProcess other = workerToStop;
            ctx.workers().execute(() -> other.stop(ctx.policy().stopGrace()));
        }
    }

    /** Counts a failure of one child; restarts it after the backoff or gives the entry up. Holds the lock. */
    private void onFailure(Kind kind, Duration uptime, String reason, String message) {
        boolean stable = uptime.compareTo(ctx.policy().stableAfter()) >= 0;
        int failures;
        if (kind == Kind.BUSINESS_LOGIC) {
            failures = businessLogicFailures = stable ? 1 : businessLogicFailures + 1;
        } else {
            failures = streamFailures = stable ? 1 : streamFailures + 1;
        }
        lastError = message;
        if (failures >= ctx.policy().maxFailures()) {
            log.error("task={} entry={} gave up after {} failures in a row: {}", plan.taskId(), plan.index(), failures,
                    reason);
            state = RunState.ERROR;
            stopping = true;
            cancelPending();
            persistState();
            return;
        }
        Duration delay = ctx.policy().backoff(failures);
        restarts++;
        recovering = true;
        log.warn("task={} entry={} {} (failure {} in a row); restarting in {} ms", plan.taskId(), plan.index(),
                reason, failures, delay.toMillis());
        Runnable relaunch = kind == Kind.BUSINESS_LOGIC ? this::launchBusinessLogic : this::launchStream;
        ScheduledFuture<?> f = ctx.scheduler().schedule(() -> ctx.workers().execute(relaunch), delay.toMillis(),
                TimeUnit.MILLISECONDS);
        if (kind == Kind.BUSINESS_LOGIC) {
            pendingBusinessLogic = f;
        } else {
            pendingStream = f;
        }
        refreshState();
    }

    /**
     * Stops both children (stream first, so it does not post into a dead receiver) and starts
     * nothing any more. Returns once no child of this entry is alive.
     */
    public void stop() {
        ChildProcess s;
        ChildProcess b;
        synchronized (this) {
            stopping = true;
            cancelPending();
            while (launching > 0) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            s = stream;
            b = businessLogic;
        }
        if (s != null) {
            s.stop(ctx.policy().stopGrace());
        }
        if (b != null) {
            b.stop(ctx.policy().stopGrace());
        }
        if (s != null || b != null) {
            log.info("task={} entry={} children stopped", plan.taskId(), plan.index());
        }
    }

    /** Asks business logic for its counters (non-blocking); the result shows in the next view. */
    public void pollCounters() {
        boolean ready;
        synchronized (this) {
            ready = businessLogicReady && businessLogic != null;
        }
        if (ready) {
            ctx.probe().fetchCounters(plan.businessLogicPort(), node -> counters = node);
        }
    }

    public synchronized EntryView view() {
        return new EntryView(plan.index(), plan.type(), plan.algorithm(), state.label(), plan.businessLogicPort(),
                plan.streamPort(), businessLogic == null ? null : businessLogic.pid(),
                stream == null ? null : stream.pid(), restarts, lastError, counters);
    }

    public synchronized int restarts() {
        return restarts;
    }

    public synchronized String lastError() {
        return lastError;
    }

    private boolean stillCurrent(Kind kind, int gen) {
        synchronized (this) {
            int current = kind == Kind.BUSINESS_LOGIC ? businessLogicGeneration : streamGeneration;
            return !stopping && gen == current;
        }
    }

    private void cancelPending() {
        if (pendingBusinessLogic != null) {
            pendingBusinessLogic.cancel(false);
            pendingBusinessLogic = null;
        }
        if (pendingStream != null) {
            pendingStream.cancel(false);
            pendingStream = null;
        }
    }

    private void refreshState() {
        if (state == RunState.FINISHED || state == RunState.ERROR) {
            persistState();
            return;
        }
        if (businessLogic != null && businessLogicReady && stream != null) {
            if (state != RunState.RUNNING) {
                log.info("task={} entry={} running", plan.taskId(), plan.index());
            }
            state = RunState.RUNNING;
            recovering = false;
        } else if (!stopping) {
            state = recovering ? RunState.RESTARTING : RunState.STARTING;
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
            log.warn("task={} entry={} cannot record state {}: {}", plan.taskId(), plan.index(), state.label(), e.getMessage());
        }
    }

    private void persistPids() {
        try {
            ctx.store().updatePids(plan.taskId(), plan.index(), businessLogic == null ? 0 : businessLogic.pid(),
                    stream == null ? 0 : stream.pid());
        } catch (RuntimeException e) {
            log.warn("task={} entry={} cannot record pids: {}", plan.taskId(), plan.index(), e.getMessage());
        }
    }
}
