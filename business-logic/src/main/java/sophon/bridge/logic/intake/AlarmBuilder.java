package sophon.bridge.logic.intake;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
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

/**
 * Turns an alarming frame into an alarm off the request thread (the JPEG crop is the one costly
 * step: tens of ms for a 1080p frame) and stores it in the outbox. Two threads, so that one slow
 * decode does not hold up the next alarm on a two-core box; the queue is bounded because each
 * waiting frame holds its whole image — past {@value #QUEUE} waiting frames an alarm is dropped,
 * counted and logged rather than running the process out of memory.
 */
public final class AlarmBuilder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmBuilder.class);
    static final int QUEUE = 32;
    static final int THREADS = 2;

    private final AlgorithmPlugin plugin;
    private final AlarmContext context;
    private final Outbox outbox;
    private final AlarmFiles files;
    private final Counters counters;
    private final ThreadPoolExecutor executor;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean warmUpAsked = new AtomicBoolean();

    public AlarmBuilder(AlgorithmPlugin plugin, AlarmContext context, Outbox outbox, AlarmFiles files, Counters counters) {
        this.plugin = plugin;
        this.context = context;
        this.outbox = outbox;
        this.files = files;
        this.counters = counters;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
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

    public void submit(FrameResult frame, List<AlarmingObject> objects) {
        try {
            executor.execute(() -> build(frame, objects));
        } catch (RejectedExecutionException e) {
            counters.alarmsDropped.increment();
            long n = dropped.incrementAndGet();
            if (n <= 10 || n % 100 == 0) { // an overload drops many: the count says how many
                LOG.warn("alarm for frame {} dropped: {} alarms are already waiting to be built ({} dropped so far)",
                        frame.frameId(), QUEUE, n);
            }
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
        LOG.info("alarm {} for frame {} with {} event(s) queued", id, frame.frameId(), alarm.events().size());
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
                LOG.warn("{} alarms were still waiting to be built at shutdown", executor.getQueue().size());
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
