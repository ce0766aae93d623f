package sophon.bridge.logic.intake;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.alarm.Alarm;
import sophon.bridge.alarm.AlarmContext;
import sophon.bridge.alarm.AlarmImageException;
import sophon.bridge.alarm.AlarmJson;
import sophon.bridge.alarm.AlarmMapper;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.logic.Counters;
import sophon.bridge.logic.outbox.Outbox;
import sophon.bridge.logic.report.AlarmFiles;
import sophon.bridge.logic.report.RecentAlarms;

/**
 * Turns an alarming frame into an alarm off the request thread (the JPEG crop is the one costly
 * step: tens of ms for a 1080p frame) and stores it in the outbox. One thread: a task is one
 * camera, whose alarms come a few seconds apart (a burst waits in the queue below), and a second
 * builder cost each process its thread, its reused decode image and its malloc arena (box bench:
 * 45.0 -> 42.4 MB per process with two report senders instead of four; business-logic/README.md).
 *
 * <p>Two budgets, both fractions of the heap ({@link Runtime#maxMemory()}), keep a 4K source
 * from running the process out of memory ({@code -XX:+ExitOnOutOfMemoryError} would end it):
 * <ul>
 * <li>waiting: the images of alarming frames waiting for a builder or being built, at most
 *     {@value #WAITING_HEAP_SHARE_PERCENT}% of the heap and {@value #QUEUE} frames. When it is
 *     full, the frame's request thread waits up to --alarm-wait-ms (default {@value #DEFAULT_SUBMIT_WAIT_MS} ms) for room (its 200
 *     comes that much later), then the alarm is dropped. A frame whose image alone is over the
 *     budget cannot become an alarm (alarmsNotBuilt).</li>
 * <li>building: what builds allocate besides the frame ({@link AlarmMapper#buildBytes}), at most
 *     {@value #BUILD_HEAP_SHARE_PERCENT}% of the heap: a build that does not fit waits for the
 *     others, one larger than the whole budget runs alone.</li>
 * </ul>
 * An alarm that waited for either is counted in alarmsDeferred; a dropped one in alarmsDropped.
 */
public final class AlarmBuilder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmBuilder.class);
    static final int QUEUE = 32;
    static final int THREADS = 1;
    static final int WAITING_HEAP_SHARE_PERCENT = 12;
    static final int BUILD_HEAP_SHARE_PERCENT = 10;
    /** How long a frame's request thread waits for alarm memory by default (--alarm-wait-ms). */
    public static final int DEFAULT_SUBMIT_WAIT_MS = 2000;

    private final AlgorithmPlugin plugin;
    private final AlarmContext context;
    private final Outbox outbox;
    private final AlarmFiles files;
    private final RecentAlarms recent;
    private final Counters counters;
    private final ThreadPoolExecutor executor;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong deferred = new AtomicLong();
    private final ByteBudget waiting;
    private final ByteBudget building;
    private final AtomicBoolean warmUpAsked = new AtomicBoolean();
    private final long submitWaitMs;

    /**
     * files: the optional --alarm-dir copy (null without); recent: the entry's last alarms for the
     * operator; submitWaitMs: how long a frame waits for alarm memory before its alarm is dropped.
     */
    public AlarmBuilder(
            AlgorithmPlugin plugin,
            AlarmContext context,
            Outbox outbox,
            AlarmFiles files,
            RecentAlarms recent,
            Counters counters,
            long submitWaitMs) {
        this(
                plugin,
                context,
                outbox,
                files,
                recent,
                counters,
                Runtime.getRuntime().maxMemory(),
                submitWaitMs);
    }

    AlarmBuilder(
            AlgorithmPlugin plugin,
            AlarmContext context,
            Outbox outbox,
            AlarmFiles files,
            RecentAlarms recent,
            Counters counters,
            long heapBytes,
            long submitWaitMs) {
        this.submitWaitMs = submitWaitMs;
        this.waiting = new ByteBudget(heapBytes * WAITING_HEAP_SHARE_PERCENT / 100, QUEUE);
        this.building = new ByteBudget(heapBytes * BUILD_HEAP_SHARE_PERCENT / 100, THREADS);
        this.plugin = plugin;
        this.context = context;
        this.outbox = outbox;
        this.files = files;
        this.recent = recent;
        this.counters = counters;
        AtomicInteger n = new AtomicInteger();
        this.executor =
                new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "alarm-builder-" + n.incrementAndGet());
                    t.setPriority(Thread.MAX_PRIORITY);
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Warms the alarm path up on a builder thread, once, when the first frame with detections
     * arrives: not at start-up, so an idle process keeps its small RSS, and not on the frame
     * thread. The first real alarm then skips hundreds of ms of class loading and first runs.
     */
    public void warmUpOnce() {
        if (!warmUpAsked.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                long t0 = System.nanoTime();
                try {
                    AlarmMapper.warmUp();
                    LOG.info("alarm path warmed up in {} ms", (System.nanoTime() - t0) / 1_000_000);
                } catch (IOException | AlarmImageException | RuntimeException e) {
                    LOG.warn("warming the alarm path up failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("no warm-up: the alarm builder is busy or stopped");
        }
    }

    /**
     * Queues the frame's alarm; the frame may live in a reused request buffer, and is copied once
     * there is room for it. Waits up to --alarm-wait-ms (default {@value #DEFAULT_SUBMIT_WAIT_MS} ms) when alarm memory is full.
     */
    public void submit(FrameResult frame, List<AlarmingObject> objects) {
        long imageBytes = frame.image().length();
        if (imageBytes > waiting.limitBytes()) {
            counters.alarmsNotBuilt.increment();
            LOG.warn(
                    "no alarm for frame {} of channel {}: its image of {} bytes is over the {} bytes alarms may"
                            + " hold at this heap size",
                    frame.frameId(),
                    frame.channelId(),
                    imageBytes,
                    waiting.limitBytes());
            return;
        }
        ByteBudget.Outcome outcome;
        try {
            outcome = waiting.acquire(imageBytes, submitWaitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = ByteBudget.Outcome.REFUSED;
        }
        if (outcome == ByteBudget.Outcome.REFUSED) {
            drop(
                    frame,
                    "no room within " + submitWaitMs + " ms: " + waiting.usedBytes() + " bytes of alarming frames"
                            + " (at most " + QUEUE + " frames, " + waiting.limitBytes()
                            + " bytes) are waiting to be built");
            return;
        }
        boolean waited = outcome == ByteBudget.Outcome.AFTER_WAITING;
        FrameResult own = frame.withOwnImage();
        try {
            executor.execute(() -> {
                try {
                    build(own, objects, waited);
                } finally {
                    waiting.release(imageBytes);
                }
            });
        } catch (RejectedExecutionException e) {
            waiting.release(imageBytes);
            drop(frame, "the alarm builder is stopped");
        }
    }

    private void drop(FrameResult frame, String why) {
        counters.alarmsDropped.increment();
        long n = dropped.incrementAndGet();
        if (n <= 10 || n % 100 == 0) { // an overload drops many: the count says how many
            LOG.warn("alarm for frame {} dropped: {} ({} dropped so far)", frame.frameId(), why, n);
        }
    }

    private void deferred(FrameResult frame, String what) {
        counters.alarmsDeferred.increment();
        long n = deferred.incrementAndGet();
        if (n <= 10 || n % 100 == 0) {
            LOG.info("alarm for frame {} deferred: {} ({} deferred so far)", frame.frameId(), what, n);
        }
    }

    private void build(FrameResult frame, List<AlarmingObject> objects, boolean waited) {
        long need = AlarmMapper.buildBytes(frame, objects);
        ByteBudget.Outcome outcome;
        try {
            outcome = building.acquire(need, Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drop(frame, "stopped while waiting for memory to build it");
            return;
        }
        if (waited) {
            deferred(frame, "its frame waited for room among the frames waiting to be built");
        } else if (outcome == ByteBudget.Outcome.AFTER_WAITING) {
            deferred(
                    frame,
                    "its build (~" + need + " bytes) waited for others to finish (budget " + building.limitBytes()
                            + " bytes)");
        }
        try {
            build(frame, objects);
        } finally {
            building.release(need);
        }
    }

    private void build(FrameResult frame, List<AlarmingObject> objects) {
        Alarm alarm;
        try {
            alarm = plugin.toAlarm(context, frame, objects);
        } catch (AlarmImageException e) {
            counters.alarmsNotBuilt.increment();
            LOG.warn("no alarm for frame {} of channel {}: {}", frame.frameId(), frame.channelId(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            counters.alarmsNotBuilt.increment();
            LOG.error("no alarm for frame {}: the plugin failed", frame.frameId(), e);
            return;
        }
        byte[] json = AlarmJson.toJson(alarm);
        long id;
        try {
            id = outbox.add(json, frame.receivedNanos());
        } catch (SQLException e) {
            counters.alarmsDropped.increment();
            LOG.error("alarm for frame {} lost: the outbox refused it: {}", frame.frameId(), e.getMessage());
            return;
        }
        counters.alarmsProduced.increment();
        counters.alarmBuild.record(frame.receivedNanos(), System.nanoTime());
        LOG.info(
                "alarm {} for frame {} with {} event(s) queued",
                id,
                frame.frameId(),
                alarm.events().size());
        try {
            recent.add(alarm, id, System.currentTimeMillis());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("alarm {} not kept among the recent alarms: {}", id, e.getMessage());
        }
        if (files != null) {
            try {
                files.write(context.taskId(), frame.frameId(), id, json);
            } catch (IOException e) {
                LOG.warn("alarm {} not written to the alarm folder: {}", id, e.getMessage());
            }
        }
    }

    /** Builds what is waiting (up to 10 s), then stops. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn(
                        "{} alarms were still waiting to be built at shutdown",
                        executor.getQueue().size());
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
