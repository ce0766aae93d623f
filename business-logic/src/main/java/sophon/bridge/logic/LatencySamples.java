package sophon.bridge.logic;

import java.util.Arrays;

/**
 * The last {@value #SIZE} durations of something, each kept with the time it started (the frame's
 * arrival), for percentiles on /counters: over all kept samples, or over those that started in a
 * recent window — which leaves out the first alarms' class loading and JIT warm-up once the
 * process has been running for longer than the window.
 */
public final class LatencySamples {
    static final int SIZE = 4096;

    /**
     * p50 and p99 in ms over every kept sample and over those started in the window (-1 where
     * there is none), and how many started in the window.
     */
    public record Summary(
            double p50Millis, double p99Millis, int windowCount, double windowP50Millis, double windowP99Millis) {}

    private final long[] micros = new long[SIZE];
    private final long[] startedNanos = new long[SIZE];
    private long count;
    // The server asks for /counters every 2 s; once a long-running process keeps all 4,096 samples,
    // sorting them for each figure cost ~0.8 ms of CPU per poll (C1). The sorted figures are kept
    // until a sample arrives or leaves the window, which (count, windowCount) tells.
    private long sortedAllCount = -1;
    private double allP50;
    private double allP99;
    private Summary last;
    private long lastCount = -1;

    /** A duration from startNanos to endNanos (System.nanoTime values). */
    public synchronized void record(long startNanos, long endNanos) {
        int slot = (int) (count++ % SIZE);
        micros[slot] = (endNanos - startNanos) / 1000;
        startedNanos[slot] = startNanos;
    }

    /** The percentiles over all kept samples and over those started at or after sinceNanos. */
    public synchronized Summary summary(long sinceNanos) {
        int kept = (int) Math.min(count, SIZE);
        int inWindow = 0;
        for (int i = 0; i < kept; i++) {
            if (startedNanos[i] - sinceNanos >= 0) {
                inWindow++;
            }
        }
        if (last != null && lastCount == count && last.windowCount() == inWindow) {
            return last;
        }
        if (sortedAllCount != count) {
            long[] all = Arrays.copyOf(micros, kept);
            Arrays.sort(all);
            allP50 = percentileMillis(all, 50);
            allP99 = percentileMillis(all, 99);
            sortedAllCount = count;
        }
        long[] window = new long[inWindow];
        int n = 0;
        for (int i = 0; i < kept; i++) {
            if (startedNanos[i] - sinceNanos >= 0) {
                window[n++] = micros[i];
            }
        }
        Arrays.sort(window);
        last = new Summary(allP50, allP99, inWindow, percentileMillis(window, 50), percentileMillis(window, 99));
        lastCount = count;
        return last;
    }

    /** p-th percentile (0..100) in ms of sorted microseconds, or -1 of none. */
    static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }
}
