package sophon.bridge.server.process;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A started child process as its supervisor sees it; tests drive supervisors with a fake one. */
public interface Child {
    long pid();

    Instant startedAt();

    boolean isAlive();

    /** SIGTERM, then SIGKILL after {@code grace}; returns once the child is gone. */
    void stop(Duration grace);

    /** CPU time used so far by the process and its descendants; empty where the system cannot tell. */
    Optional<Duration> cpuTime();
}
