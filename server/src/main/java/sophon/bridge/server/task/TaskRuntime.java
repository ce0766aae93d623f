package sophon.bridge.server.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import sophon.bridge.server.supervise.RunState;
import sophon.bridge.task.Credentials;
import sophon.bridge.task.TaskRequest;

/** A task the server holds: its request and one runner per algorithm entry. */
public final class TaskRuntime {
    private final TaskRequest request;
    private final Instant createdAt;
    private final List<EntrySupervisor> entries;

    public TaskRuntime(TaskRequest request, Instant createdAt, List<EntrySupervisor> entries) {
        this.request = request;
        this.createdAt = createdAt;
        this.entries = List.copyOf(entries);
    }

    public String taskId() {
        return request.taskId();
    }

    public TaskRequest request() {
        return request;
    }

    public List<EntrySupervisor> entries() {
        return entries;
    }

    public RunState state() {
        return combine(entries.stream().map(EntrySupervisor::state).toList());
    }

    /**
     * error if any entry failed, finished once all finished, else the least advanced active state
     * (retrying before restarting: an entry waiting for its camera is the one to look at).
     */
    public static RunState combine(List<RunState> states) {
        if (states.contains(RunState.ERROR)) {
            return RunState.ERROR;
        }
        if (states.stream().allMatch(s -> s == RunState.FINISHED)) {
            return RunState.FINISHED;
        }
        return states.contains(RunState.RETRYING)
                ? RunState.RETRYING
                : states.contains(RunState.RESTARTING)
                        ? RunState.RESTARTING
                        : states.contains(RunState.STARTING) ? RunState.STARTING : RunState.RUNNING;
    }

    public TaskView view() {
        List<EntryView> views = new ArrayList<>(entries.size());
        List<RunState> states = new ArrayList<>(entries.size());
        int restarts = 0;
        String lastError = null;
        for (EntrySupervisor e : entries) {
            EntryView v = e.view();
            views.add(v);
            states.add(RunState.fromLabel(v.state()));
            restarts += v.restartCount();
            if (lastError == null) {
                lastError = v.lastError();
            }
        }
        RunState state = combine(states);
        return new TaskView(
                request.taskId(),
                state.active() ? 1 : 0,
                state.label(),
                request.srcId(),
                Credentials.mask(request.address()),
                createdAt.toString(),
                restarts,
                lastError,
                views);
    }
}
