package sophon.bridge.logic.intake;

import java.util.concurrent.TimeUnit;

/**
 * Heap held by one stage of the alarm path, bounded in bytes and in holders. A request waits
 * while others hold the room it needs; one larger than the whole budget is let in alone, so an
 * oversized alarm is built one at a time instead of never.
 */
final class ByteBudget {
    /** How an acquire went. */
    enum Outcome {
        AT_ONCE,
        AFTER_WAITING,
        REFUSED
    }

    private final long limitBytes;
    private final int maxHolders;
    private long used;
    private int holders;

    ByteBudget(long limitBytes, int maxHolders) {
        if (limitBytes <= 0 || maxHolders <= 0) {
            throw new IllegalArgumentException("a budget needs room for at least one holder and one byte");
        }
        this.limitBytes = limitBytes;
        this.maxHolders = maxHolders;
    }

    long limitBytes() {
        return limitBytes;
    }

    /** Takes bytes, waiting up to timeoutMs (Long.MAX_VALUE: until there is room) for others to release. */
    synchronized Outcome acquire(long bytes, long timeoutMs) throws InterruptedException {
        if (fits(bytes)) {
            take(bytes);
            return Outcome.AT_ONCE;
        }
        long deadline = timeoutMs == Long.MAX_VALUE
                ? Long.MAX_VALUE
                : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!fits(bytes)) {
            if (deadline == Long.MAX_VALUE) {
                wait();
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Outcome.REFUSED;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        take(bytes);
        return Outcome.AFTER_WAITING;
    }

    synchronized void release(long bytes) {
        used -= bytes;
        holders--;
        notifyAll();
    }

    synchronized long usedBytes() {
        return used;
    }

    private boolean fits(long bytes) {
        return holders == 0 || (holders < maxHolders && used + bytes <= limitBytes);
    }

    private void take(long bytes) {
        used += bytes;
        holders++;
    }
}
