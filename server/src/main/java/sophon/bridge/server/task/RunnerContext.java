package sophon.bridge.server.task;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import sophon.bridge.server.store.TaskStore;

/** What every {@link EntryRunner} shares: how to build commands, the policy, the store, threads, the probe. */
public record RunnerContext(ChildCommands commands, SupervisionPolicy policy, TaskStore store,
                            ScheduledExecutorService scheduler, ExecutorService workers, ChildProbe probe) {
}
