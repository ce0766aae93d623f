package sophon.bridge.server.task;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import sophon.bridge.server.store.TaskStore;

/**
 * What every {@link EntryRunner} shares: how to build commands, the policy, the store, threads,
 * the probe, and the start gate. The gate bounds how many business-logic JVMs start at once:
 * 40 JVMs starting together on a 2-core box each take longer than the health timeout, get
 * killed and start again, and none ever comes up; a few at a time all come up quickly.
 */
public record RunnerContext(ChildCommands commands, SupervisionPolicy policy, TaskStore store,
                            ScheduledExecutorService scheduler, ExecutorService workers, ChildProbe probe,
                            Semaphore startGate) {
    public static Semaphore defaultStartGate() {
        return new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()), true);
    }
}
