package sophon.bridge.server.task;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import sophon.bridge.server.store.TaskStore;
import sophon.bridge.server.supervise.SupervisionPolicy;

/**
 * What every entry supervisor shares: how to build commands, the policy, the store, threads,
 * the probe, the start gate, and whether the server is stopping. The gate bounds how many
 * business-logic JVMs start at once: 40 JVMs starting together on a 2-core box each take longer
 * than the health timeout, get killed and start again, and none ever comes up; one or two at a
 * time all come up quickly. {@code shuttingDown} is set first thing when the server stops, so
 * that no child exit seen from then on is judged as a failure or an end.
 */
public record RunnerContext(
        ChildCommands commands,
        SupervisionPolicy policy,
        TaskStore store,
        ScheduledExecutorService scheduler,
        ExecutorService workers,
        ChildProbe probe,
        Semaphore startGate,
        AtomicBoolean shuttingDown) {
    public static Semaphore defaultStartGate() {
        // Measured on 2 cores, 16 business-logic JVMs each started once the previous is healthy:
        // one at a time 9.4 s, two at a time 7.9 s, three at a time 7.9 s; 4 at once were slower
        // than one after another (JIT and GC threads fight over the cores). One per core it is.
        return new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);
    }
}
