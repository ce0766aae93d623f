package sophon.bridge.server.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SupervisionPolicyTest {
    @Test
    void backoffStartsAtOneSecondAndDoublesUpToSixty() {
        SupervisionPolicy p = SupervisionPolicy.defaults();
        long[] expected = {1, 2, 4, 8, 16, 32, 60, 60};
        for (int failures = 1; failures <= expected.length; failures++) {
            assertEquals(Duration.ofSeconds(expected[failures - 1]), p.backoff(failures), "failure " + failures);
        }
        assertEquals(Duration.ofSeconds(60), p.backoff(1000), "no overflow");
        assertEquals(5, p.maxFailures());
    }

    @Test
    void activeStatesAreStatusOne() {
        assertEquals(RunState.RUNNING, TaskRuntime.combine(java.util.List.of(RunState.RUNNING, RunState.FINISHED)));
        assertEquals(RunState.ERROR, TaskRuntime.combine(java.util.List.of(RunState.RUNNING, RunState.ERROR)));
        assertEquals(RunState.FINISHED, TaskRuntime.combine(java.util.List.of(RunState.FINISHED, RunState.FINISHED)));
        assertEquals(RunState.RESTARTING, TaskRuntime.combine(java.util.List.of(RunState.STARTING, RunState.RESTARTING)));
        assertEquals(RunState.STARTING, TaskRuntime.combine(java.util.List.of(RunState.STARTING, RunState.RUNNING)));
        for (RunState s : RunState.values()) {
            assertEquals(s == RunState.STARTING || s == RunState.RUNNING || s == RunState.RESTARTING, s.active());
            assertEquals(s, RunState.fromLabel(s.label()));
        }
    }
}
