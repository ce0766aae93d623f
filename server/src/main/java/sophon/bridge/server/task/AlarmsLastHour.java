package sophon.bridge.server.task;

/**
 * Alarms an entry produced in the last hour, from business logic's {@code alarmsProduced} counter as
 * the watchdog polls it every 2 s: the growth between two polls goes into a minute bucket, 60
 * buckets make the hour. A counter that went down is a restarted child (it counts from 0 again), so
 * its whole value is new. Counts from when the server took the entry on; nothing is stored.
 */
public final class AlarmsLastHour {
    private static final int MINUTES = 60;
    private static final long MINUTE_MS = 60_000;

    private final long[] minuteOf = new long[MINUTES];
    private final long[] count = new long[MINUTES];
    private long last;

    /** Takes one reading of the counter at {@code nowMs} (epoch or any monotonic milliseconds). */
    public synchronized void observe(long nowMs, long alarmsProduced) {
        long added = alarmsProduced >= last ? alarmsProduced - last : alarmsProduced;
        last = alarmsProduced;
        if (added <= 0) {
            return;
        }
        long minute = nowMs / MINUTE_MS;
        int slot = (int) Math.floorMod(minute, (long) MINUTES);
        if (minuteOf[slot] != minute) {
            minuteOf[slot] = minute;
            count[slot] = 0;
        }
        count[slot] += added;
    }

    /** The alarms of the minute buckets of the last 60 minutes, the current one included. */
    public synchronized long count(long nowMs) {
        long minute = nowMs / MINUTE_MS;
        long sum = 0;
        for (int i = 0; i < MINUTES; i++) {
            if (minute - minuteOf[i] < MINUTES && count[i] > 0) {
                sum += count[i];
            }
        }
        return sum;
    }
}
