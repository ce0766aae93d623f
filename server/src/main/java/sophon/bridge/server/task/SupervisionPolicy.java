package sophon.bridge.server.task;

import java.time.Duration;

/**
 * How children are watched: restart backoff starts at {@code initialBackoff} and doubles up to
 * {@code maxBackoff}; {@code maxFailures} failures in a row put the entry in {@code error}; a
 * child that ran {@code stableAfter} before failing starts the count again.
 */
public record SupervisionPolicy(Duration initialBackoff, Duration maxBackoff, int maxFailures, Duration stableAfter,
                                Duration stopGrace, Duration healthTimeout, long logCapBytes) {
    public static SupervisionPolicy defaults() {
        return new SupervisionPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 5, Duration.ofSeconds(60),
                Duration.ofSeconds(5), Duration.ofSeconds(30), 10L * 1024 * 1024);
    }

    public SupervisionPolicy withInitialBackoff(Duration d) {
        return new SupervisionPolicy(d, maxBackoff, maxFailures, stableAfter, stopGrace, healthTimeout, logCapBytes);
    }

    public SupervisionPolicy withStopGrace(Duration d) {
        return new SupervisionPolicy(initialBackoff, maxBackoff, maxFailures, stableAfter, d, healthTimeout, logCapBytes);
    }

    public SupervisionPolicy withLogCap(long bytes) {
        return new SupervisionPolicy(initialBackoff, maxBackoff, maxFailures, stableAfter, stopGrace, healthTimeout, bytes);
    }

    /** Delay before restart number {@code failures} (1-based): 1 s, 2 s, 4 s … capped. */
    public Duration backoff(int failures) {
        long millis = initialBackoff.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
