package sophon.bridge.server.task;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import sophon.bridge.server.store.TaskStore;

/**
 * What every {@link EntryRunner} shares: how to build commands, the policy, the store, threads,
 * the probe, and the start gate. The gate bounds how many business-logic JVMs start at once:
 * 40 JVMs starting together on a 2-core box each take longer than the health timeout, get
 * killed and start again, and none ever comes up; one or two at a time all come up quickly.
 */
public record RunnerContext(ChildCommands commands, SupervisionPolicy policy, TaskStore store,
                            ScheduledExecutorService scheduler, ExecutorService workers, ChildProbe probe,
                            Semaphore startGate) {
    public static Semaphore defaultStartGate() {
        // Measured on 2 cores, 16 business-logic JVMs each started once the previous is healthy:
        // one at a time 9.4 s, two at a time 7.9 s, three at a time 7.9 s; 4 at once were slower
        // than one after another (JIT and GC threads fight over the cores). One per core it is.
        return new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);
    }
}
