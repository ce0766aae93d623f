package sophon.bridge.logic;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import sophon.bridge.task.Credentials;

/** The process's counters, served on /counters and passed by the server into /task/query. */
public final class Counters {
    private static final int WINDOW_SECONDS = 5;
    /** Default window of the recent alarm latency figures on /counters. */
    public static final int LATENCY_WINDOW_SECONDS = 60;

    public static final int MAX_LATENCY_WINDOW_SECONDS = 3600;

    public final LongAdder framesReceived = new LongAdder();
    public final LongAdder framesWithDetections = new LongAdder();
    public final LongAdder framesRejected = new LongAdder();
    public final LongAdder errorsReceived = new LongAdder();
    /** Posts to /errors that were refused (not a JSON object with "error", too large, cut off): not frames. */
    public final LongAdder errorPostsRejected = new LongAdder();

    public final LongAdder alarmsProduced = new LongAdder();
    public final LongAdder alarmsNotBuilt = new LongAdder();
    public final LongAdder alarmsDelivered = new LongAdder();
    public final LongAdder alarmsFailed = new LongAdder();
    public final LongAdder alarmsDropped = new LongAdder();
    /** Alarms whose frame or build waited for the alarm path's memory budgets (built later, not lost). */
    public final LongAdder alarmsDeferred = new LongAdder();

    private final String taskId;
    private volatile LongSupplier queued = () -> 0;
    private volatile LongSupplier outboxBytes = () -> 0;
    /** System.nanoTime of the last frame; {@code framesReceived == 0} says there was none. */
    private volatile long lastFrameNanos;

    private volatile String lastReportError;
    private volatile Instant lastReportErrorAt;
    private volatile String lastDeliveryError;
    private volatile Instant lastDeliveryErrorAt;

    private final long[] secondStamp = new long[WINDOW_SECONDS + 2];
    private final long[] secondCount = new long[WINDOW_SECONDS + 2];
    /** Frame received → alarm POST started (first attempt). */
    public final LatencySamples alarmLatency = new LatencySamples();
    /** Frame received → alarm stored in the outbox (crop and JSON done). */
    public final LatencySamples alarmBuild = new LatencySamples();
    /** The same durations as {@link #alarmLatency}, counted into buckets for the server's /metrics. */
    public final LatencyHistogram alarmLatencyHistogram = new LatencyHistogram();

    public Counters(String taskId) {
        this.taskId = taskId;
    }

    /** Alarms in the outbox, not yet delivered. */
    public long queued() {
        return queued.getAsLong();
    }

    public void queuedFrom(LongSupplier supplier) {
        this.queued = supplier;
    }

    public void outboxBytesFrom(LongSupplier supplier) {
        this.outboxBytes = supplier;
    }

    public void frameReceived(long nowNanos) {
        framesReceived.increment();
        lastFrameNanos = nowNanos;
        long second = nowNanos / 1_000_000_000L;
        int slot = (int) Math.floorMod(second, (long) secondStamp.length);
        synchronized (secondStamp) {
            if (secondStamp[slot] != second) {
                secondStamp[slot] = second;
                secondCount[slot] = 0;
            }
            secondCount[slot]++;
        }
    }

    /** Frames per second over the last complete seconds. */
    public double framesPerSecond(long nowNanos) {
        long current = nowNanos / 1_000_000_000L;
        long sum = 0;
        synchronized (secondStamp) {
            for (int i = 0; i < secondStamp.length; i++) {
                long age = current - secondStamp[i];
                if (age >= 1 && age <= WINDOW_SECONDS) {
                    sum += secondCount[i];
                }
            }
        }
        return (double) sum / WINDOW_SECONDS;
    }

    /** The stream's error post; sophon-stream's text may quote its source URL, so it is kept masked. */
    public void reportError(String error) {
        errorsReceived.increment();
        lastReportError = Credentials.mask(error);
        lastReportErrorAt = Instant.now();
    }

    /** Why a report URL failed; the URL and OkHttp's text may carry the URL's userinfo, so it is kept masked. */
    public void deliveryError(String error) {
        lastDeliveryError = Credentials.mask(error);
        lastDeliveryErrorAt = Instant.now();
    }

    public Map<String, Object> snapshot() {
        return snapshot(LATENCY_WINDOW_SECONDS);
    }

    /**
     * The counters; the alarmLatencyWindow* figures cover the alarms whose frame arrived in the
     * last latencyWindowSeconds (1..{@value #MAX_LATENCY_WINDOW_SECONDS}), so that a benchmark can
     * ask for exactly its measured window, without the process's warm-up.
     */
    public Map<String, Object> snapshot(int latencyWindowSeconds) {
        if (latencyWindowSeconds < 1 || latencyWindowSeconds > MAX_LATENCY_WINDOW_SECONDS) {
            throw new IllegalArgumentException(
                    "the latency window must be 1.." + MAX_LATENCY_WINDOW_SECONDS + " seconds");
        }
        long now = System.nanoTime();
        long since = now - latencyWindowSeconds * 1_000_000_000L;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("taskId", taskId);
        m.put("framesReceived", framesReceived.sum());
        m.put("framesPerSecond", Math.round(framesPerSecond(now) * 10) / 10.0);
        m.put("framesWithDetections", framesWithDetections.sum());
        m.put("framesRejected", framesRejected.sum());
        m.put("errorsReceived", errorsReceived.sum());
        m.put("alarmsProduced", alarmsProduced.sum());
        m.put("alarmsNotBuilt", alarmsNotBuilt.sum());
        m.put("alarmsDelivered", alarmsDelivered.sum());
        m.put("alarmsFailed", alarmsFailed.sum());
        m.put("alarmsQueued", queued());
        m.put("alarmsDropped", alarmsDropped.sum());
        m.put("alarmsDeferred", alarmsDeferred.sum());
        m.put("outboxBytes", outboxBytes.getAsLong());
        m.put("lastFrameAgeMs", framesReceived.sum() == 0 ? -1 : (now - lastFrameNanos) / 1_000_000);
        m.put("lastReportError", lastReportError);
        m.put("lastReportErrorAt", lastReportErrorAt == null ? null : lastReportErrorAt.toString());
        m.put("errorPostsRejected", errorPostsRejected.sum());
        m.put("lastDeliveryError", lastDeliveryError);
        m.put("lastDeliveryErrorAt", lastDeliveryErrorAt == null ? null : lastDeliveryErrorAt.toString());
        LatencySamples.Summary latency = alarmLatency.summary(since);
        LatencySamples.Summary build = alarmBuild.summary(since);
        m.put("alarmLatencyP50Ms", latency.p50Millis());
        m.put("alarmLatencyP99Ms", latency.p99Millis());
        m.put("alarmLatencyWindowSeconds", latencyWindowSeconds);
        m.put("alarmLatencyWindowCount", latency.windowCount());
        m.put("alarmLatencyWindowP50Ms", latency.windowP50Millis());
        m.put("alarmLatencyWindowP99Ms", latency.windowP99Millis());
        m.put("alarmBuildP50Ms", build.p50Millis());
        m.put("alarmBuildP99Ms", build.p99Millis());
        m.put("alarmBuildWindowP50Ms", build.windowP50Millis());
        m.put("alarmBuildWindowP99Ms", build.windowP99Millis());
        m.put("alarmLatencyHistogram", alarmLatencyHistogram.snapshot());
        return m;
    }
}
