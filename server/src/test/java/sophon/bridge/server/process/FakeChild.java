package sophon.bridge.server.process;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/** A process stand-in: exits when told, or when stopped (unless it ignores SIGTERM, then at "SIGKILL"). */
public final class FakeChild implements Child {
    private static final AtomicLong PIDS = new AtomicLong(1000);
    public final long pid = PIDS.incrementAndGet();
    public final Instant startedAt;
    private final IntConsumer onExit;
    public final AtomicBoolean alive = new AtomicBoolean(true);
    public final AtomicLong cpuMillis = new AtomicLong();
    public volatile boolean ignoresTerm;
    public volatile Duration stoppedAfter;

    public FakeChild(IntConsumer onExit, Instant startedAt) {
        this.onExit = onExit;
        this.startedAt = startedAt;
    }

    public void exit(int code) {
        if (alive.compareAndSet(true, false)) {
            onExit.accept(code);
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public boolean isAlive() {
        return alive.get();
    }

    @Override
    public void stop(Duration grace) {
        long t0 = System.nanoTime();
        if (ignoresTerm) {
            try {
                Thread.sleep(grace.toMillis()); // SIGTERM ignored: SIGKILL after the grace
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exit(137);
        } else {
            exit(143);
        }
        stoppedAfter = Duration.ofNanos(System.nanoTime() - t0);
    }

    @Override
    public Optional<Duration> cpuTime() {
        return Optional.of(Duration.ofMillis(cpuMillis.get()));
    }
}
