package sophon.bridge.server.supervise;

import java.time.Duration;

/**
 * How children are watched. Restart backoff starts at {@code initialBackoff} and doubles up to
 * {@code maxBackoff}; a child that ran {@code stableAfter} before failing starts the count again.
 * After {@code maxFailures} failures in a row an entry with a finite source goes to {@code error};
 * one with a live source (or a config set that could not be made at recovery) goes to
 * {@code retrying} and is retried every {@code maxBackoff} until deleted.
 *
 * <p>Liveness: business logic's {@code /health} is asked every {@code healthInterval};
 * {@code healthMisses} misses in a row count as hung. A stream that shows no progress for
 * {@code stallTimeout} counts as hung (see {@link ProgressLiveness} for what progress is).
 * A hung child is stopped (SIGTERM, SIGKILL after {@code stopGrace}) and restarted as failed.
 *
 * <p>{@code exitSettle}: how long an exit waits before it is judged, so that a signal sent to the
 * whole group at once (systemd's default KillMode, a {@code kill} of the process group) is seen as
 * the server's own stop and never recorded as the child's failure or end.
 */
public record SupervisionPolicy(
        Duration initialBackoff,
        Duration maxBackoff,
        int maxFailures,
        Duration stableAfter,
        Duration stopGrace,
        Duration healthTimeout,
        long logCapBytes,
        Duration healthInterval,
        int healthMisses,
        Duration stallTimeout,
        Duration exitSettle) {
    public static SupervisionPolicy defaults() {
        return new SupervisionPolicy(
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                5,
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                10L * 1024 * 1024,
                Duration.ofSeconds(2),
                5,
                Duration.ofSeconds(60),
                Duration.ofMillis(500));
    }

    public SupervisionPolicy withInitialBackoff(Duration d) {
        return new SupervisionPolicy(
                d,
                maxBackoff,
                maxFailures,
                stableAfter,
                stopGrace,
                healthTimeout,
                logCapBytes,
                healthInterval,
                healthMisses,
                stallTimeout,
                exitSettle);
    }

    public SupervisionPolicy withMaxBackoff(Duration d) {
        return new SupervisionPolicy(
                initialBackoff,
                d,
                maxFailures,
                stableAfter,
                stopGrace,
                healthTimeout,
                logCapBytes,
                healthInterval,
                healthMisses,
                stallTimeout,
                exitSettle);
    }

    public SupervisionPolicy withStableAfter(Duration d) {
        return new SupervisionPolicy(
                initialBackoff,
                maxBackoff,
                maxFailures,
                d,
                stopGrace,
                healthTimeout,
                logCapBytes,
                healthInterval,
                healthMisses,
                stallTimeout,
                exitSettle);
    }

    public SupervisionPolicy withStopGrace(Duration d) {
        return new SupervisionPolicy(
                initialBackoff,
                maxBackoff,
                maxFailures,
                stableAfter,
                d,
                healthTimeout,
                logCapBytes,
                healthInterval,
                healthMisses,
                stallTimeout,
                exitSettle);
    }

    public SupervisionPolicy withLogCap(long bytes) {
        return new SupervisionPolicy(
                initialBackoff,
                maxBackoff,
                maxFailures,
                stableAfter,
                stopGrace,
                healthTimeout,
                bytes,
                healthInterval,
                healthMisses,
                stallTimeout,
                exitSettle);
    }

    public SupervisionPolicy withHealthChecks(Duration interval, int misses) {
        return new SupervisionPolicy(
                initialBackoff,
                maxBackoff,
                maxFailures,
                stableAfter,
                stopGrace,
                healthTimeout,
                logCapBytes,
                interval,
                misses,
                stallTimeout,
                exitSettle);
    }

    public SupervisionPolicy withStallTimeout(Duration d) {
        return new SupervisionPolicy(
                initialBackoff,
                maxBackoff,
                maxFailures,
                stableAfter,
                stopGrace,
                healthTimeout,
                logCapBytes,
                healthInterval,
                healthMisses,
                d,
                exitSettle);
    }

    /** Delay before restart number {@code failures} (1-based): 1 s, 2 s, 4 s … capped at {@code maxBackoff}. */
    public Duration backoff(int failures) {
        long millis = initialBackoff.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
