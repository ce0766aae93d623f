package sophon.bridge.server.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.server.supervise.RunState;

/** A task's one state from its entries' states, as /task/query and /metrics report it. */
class TaskRuntimeTest {
    @Test
    void anErrorWinsThenAllFinishedThenTheLeastAdvancedActiveState() {
        assertEquals(RunState.RUNNING, TaskRuntime.combine(List.of(RunState.RUNNING, RunState.FINISHED)));
        assertEquals(RunState.ERROR, TaskRuntime.combine(List.of(RunState.RUNNING, RunState.ERROR)));
        assertEquals(RunState.FINISHED, TaskRuntime.combine(List.of(RunState.FINISHED, RunState.FINISHED)));
        assertEquals(RunState.RESTARTING, TaskRuntime.combine(List.of(RunState.STARTING, RunState.RESTARTING)));
        assertEquals(RunState.STARTING, TaskRuntime.combine(List.of(RunState.STARTING, RunState.RUNNING)));
    }

    @Test
    void anEntryWaitingForItsCameraIsTheTasksState() {
        assertEquals(RunState.RETRYING, TaskRuntime.combine(List.of(RunState.RESTARTING, RunState.RETRYING)));
        assertEquals(RunState.RETRYING, TaskRuntime.combine(List.of(RunState.RUNNING, RunState.RETRYING)));
    }
}
