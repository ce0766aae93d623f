package sophon.bridge.logic.intake;

import java.util.concurrent.TimeUnit;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.frame.FrameResult;

/**
 * The task's current frame for {@code GET /snapshot}, kept only while someone looks. Frames arrive
 * in reused request buffers, and copying 100 KB - 1 MB of base64 per frame for a picture nobody
 * asks for would cost every task all the time; so a frame is copied only within
 * {@link #WATCH_NANOS} of the last request (at most 5 a second), and decoded only when answering
 * one. Nobody looking costs one volatile read per frame.
 */
public final class LatestFrame {
    /** After a request, frames are kept this long: a status page refreshing every few seconds stays warm. */
    static final long WATCH_NANOS = TimeUnit.SECONDS.toNanos(15);

    /**
     * While watched, at most one copy per this interval: "current" within 0.2 s is enough for a
     * person, and a saturated process (4,000+ frames/s in the bench) would otherwise copy ~1 GB/s.
     */
    static final long COPY_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private volatile boolean watched;
    private volatile long askedNanos;
    private volatile long keptNanos = System.nanoTime() - COPY_INTERVAL_NANOS;
    private Base64Image image; // guarded by this
    private long receivedNanos; // guarded by this

    /** Called for every frame with an image; the frame's buffer is reused after the call returns. */
    public void offer(FrameResult frame) {
        if (!watched) {
            return;
        }
        long now = frame.receivedNanos();
        if (now - askedNanos > WATCH_NANOS) {
            watched = false;
            synchronized (this) {
                image = null; // kept only while someone looks: nothing pinned in the heap after
            }
            return;
        }
        if (now - keptNanos < COPY_INTERVAL_NANOS) {
            return;
        }
        keptNanos = now;
        Base64Image own = frame.image().copy();
        synchronized (this) {
            image = own;
            receivedNanos = now;
            notifyAll();
        }
    }

    /**
     * The newest frame's base64, no older than {@code maxAgeNanos}; waits up to {@code waitMillis}
     * for the next frame when none is kept (nobody looked before) or the kept one is too old.
     * Null when no frame came in time (the stream is down, or a filter passes only frames with events).
     */
    public Base64Image newest(long maxAgeNanos, long waitMillis) throws InterruptedException {
        askedNanos = System.nanoTime();
        watched = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        synchronized (this) {
            while (true) {
                long now = System.nanoTime();
                if (image != null && now - receivedNanos <= maxAgeNanos) {
                    return image;
                }
                long left = deadline - now;
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
