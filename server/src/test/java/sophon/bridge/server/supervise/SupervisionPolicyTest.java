package sophon.bridge.server.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(
                RunState.RUNNING,
                sophon.bridge.server.task.TaskRuntime.combine(java.util.List.of(RunState.RUNNING, RunState.FINISHED)));
        assertEquals(
                RunState.ERROR,
                sophon.bridge.server.task.TaskRuntime.combine(java.util.List.of(RunState.RUNNING, RunState.ERROR)));
        assertEquals(
                RunState.FINISHED,
                sophon.bridge.server.task.TaskRuntime.combine(java.util.List.of(RunState.FINISHED, RunState.FINISHED)));
        assertEquals(
                RunState.RESTARTING,
                sophon.bridge.server.task.TaskRuntime.combine(
                        java.util.List.of(RunState.STARTING, RunState.RESTARTING)));
        assertEquals(
                RunState.STARTING,
                sophon.bridge.server.task.TaskRuntime.combine(java.util.List.of(RunState.STARTING, RunState.RUNNING)));
        assertEquals(
                RunState.RETRYING,
                sophon.bridge.server.task.TaskRuntime.combine(
                        java.util.List.of(RunState.RESTARTING, RunState.RETRYING)));
        assertTrue(RunState.RETRYING.active(), "a task waiting for its camera is Status 1");
        for (RunState s : RunState.values()) {
            assertEquals(s != RunState.FINISHED && s != RunState.ERROR, s.active());
            assertEquals(s, RunState.fromLabel(s.label()));
        }
    }
}
