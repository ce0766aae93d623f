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

    private final long[] micros = new long[SIZE];
    private final long[] startedNanos = new long[SIZE];
    private long count;

    /** A duration from startNanos to endNanos (System.nanoTime values). */
    public synchronized void record(long startNanos, long endNanos) {
        int slot = (int) (count++ % SIZE);
        micros[slot] = (endNanos - startNanos) / 1000;
        startedNanos[slot] = startNanos;
    }

    /** p-th percentile (0..100) in ms over every kept sample, or -1 without samples. */
    public double percentileMillis(double p) {
        return percentileMillis(p, Long.MIN_VALUE);
    }

    /** p-th percentile (0..100) in ms over the samples started at or after sinceNanos, or -1 without any. */
    public double percentileMillis(double p, long sinceNanos) {
        long[] chosen = since(sinceNanos);
        if (chosen.length == 0) {
            return -1;
        }
        Arrays.sort(chosen);
        int index = (int) Math.min(chosen.length - 1, Math.ceil(p / 100.0 * chosen.length) - 1);
        return chosen[Math.max(0, index)] / 1000.0;
    }

    /** How many kept samples started at or after sinceNanos. */
    public int countSince(long sinceNanos) {
        return since(sinceNanos).length;
    }

    private synchronized long[] since(long sinceNanos) {
        int kept = (int) Math.min(count, SIZE);
        long[] chosen = new long[kept];
        int n = 0;
        for (int i = 0; i < kept; i++) {
            if (startedNanos[i] - sinceNanos >= 0 || sinceNanos == Long.MIN_VALUE) {
                chosen[n++] = micros[i];
            }
        }
        return n == kept ? chosen : Arrays.copyOf(chosen, n);
    }
}
