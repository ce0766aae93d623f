package sophon.bridge.logic;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations counted into fixed buckets since the process started, for the server's Prometheus
 * histogram: {@link LatencySamples} keeps the last samples for exact percentiles, which a scraper
 * cannot add up across scrapes; these counts only grow. One array of longs, one increment a sample.
 */
public final class LatencyHistogram {
    /** Upper bounds in ms; one more bucket counts everything above the last (+Inf). */
    static final long[] BOUNDS_MS = {10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000};

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_MS.length + 1);
    private final LongAdder sumMicros = new LongAdder();

    /** A duration from startNanos to endNanos (System.nanoTime values). */
    public void record(long startNanos, long endNanos) {
        long micros = Math.max(0, (endNanos - startNanos) / 1000);
        int i = 0;
        while (i < BOUNDS_MS.length && micros > BOUNDS_MS[i] * 1000) {
            i++;
        }
        counts.incrementAndGet(i);
        sumMicros.add(micros);
    }

    /** {@code boundsMs}, {@code counts} (per bucket, not cumulative; the last one is above every bound), {@code sumMs}. */
    public Map<String, Object> snapshot() {
        long[] c = new long[counts.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("boundsMs", BOUNDS_MS);
        m.put("counts", c);
        m.put("sumMs", sumMicros.sum() / 1000.0);
        return m;
    }
}
