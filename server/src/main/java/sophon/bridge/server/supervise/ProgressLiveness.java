package sophon.bridge.server.supervise;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;
import sophon.bridge.server.process.Child;

/**
 * A stream makes progress when business logic received a frame from it, or when its process tree
 * used at least {@link #MIN_CPU_SHARE} of one core since the last progress. Frames alone are not
 * enough: behind a filter element, http_push only posts frames with events, and a quiet camera
 * sends none for hours. CPU time works for any stream program (sophon-stream's {@code main} as
 * well as cpu-stream): decoding 25 frames/s costs far more than the threshold, while a process
 * that is stopped, deadlocked or blocked on a dead socket uses none (a hung JVM's own timers use
 * about 0.1 % of a core). The CPU share is judged over at least a tenth of the stall timeout, so
 * that one clock tick of a hung JVM's housekeeping does not count as progress.
 */
public final class ProgressLiveness implements Liveness {
    /** 1 % of one core. */
    public static final double MIN_CPU_SHARE = 0.01;

    private final Duration stallTimeout;
    private final LongSupplier framesReceived;
    private Instant markTime;
    private Duration markCpu;
    private long markFrames;

    /** {@code framesReceived}: frames business logic has counted from this stream (any monotonic count). */
    public ProgressLiveness(Duration stallTimeout, LongSupplier framesReceived) {
        this.stallTimeout = stallTimeout;
        this.framesReceived = framesReceived;
    }

    @Override
    public synchronized void started(Child child, Instant now) {
        markTime = now;
        markCpu = child.cpuTime().orElse(Duration.ZERO);
        markFrames = framesReceived.getAsLong();
    }

    @Override
    public synchronized String hung(Child child, Instant now) {
        if (markTime == null) {
            started(child, now);
            return null;
        }
        Duration elapsed = Duration.between(markTime, now);
        long frames = framesReceived.getAsLong();
        Optional<Duration> cpu = child.cpuTime();
        if (cpu.isEmpty()) {
            return null; // no /proc: only an exit can tell
        }
        long usedMillis = cpu.get().minus(markCpu).toMillis();
        boolean judged = elapsed.compareTo(stallTimeout.dividedBy(10)) >= 0;
        if (frames != markFrames || (judged && usedMillis >= elapsed.toMillis() * MIN_CPU_SHARE)) {
            markTime = now;
            markCpu = cpu.get();
            markFrames = frames;
            return null;
        }
        if (elapsed.compareTo(stallTimeout) >= 0) {
            return "stream made no progress for " + elapsed.toSeconds() + " s (no frame at business logic, "
                    + usedMillis + " ms of CPU)";
        }
        return null;
    }
}
