package sophon.bridge.logic;

import java.util.Arrays;

/** The last {@value #SIZE} durations of something, for percentiles on /counters. */
public final class LatencySamples {
    static final int SIZE = 4096;

    private final long[] micros = new long[SIZE];
    private long count;

    public synchronized void record(long nanos) {
        micros[(int) (count++ % SIZE)] = nanos / 1000;
    }

    /** p-th percentile (0..100) in ms, or -1 without samples. */
    public double percentileMillis(double p) {
        long[] copy;
        synchronized (this) {
            copy = Arrays.copyOf(micros, (int) Math.min(count, SIZE));
        }
        if (copy.length == 0) {
            return -1;
        }
        Arrays.sort(copy);
        int index = (int) Math.min(copy.length - 1, Math.ceil(p / 100.0 * copy.length) - 1);
        return copy[Math.max(0, index)] / 1000.0;
    }
}
