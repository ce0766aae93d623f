package sophon.bridge.server.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** SIGTERM, a grace period, then SIGKILL — for our own children and for orphans of a previous run. */
public final class Stopper {
    private Stopper() {}

    /** Returns once the process (and any descendants it left) are gone or SIGKILL was sent. */
    public static void stop(ProcessHandle handle, Duration grace) {
        List<ProcessHandle> descendants = handle.descendants().toList();
        if (handle.isAlive()) {
            handle.destroy(); // SIGTERM on Linux: sophon-stream and our JVMs stop cleanly on it
            if (!awaitExit(handle, grace)) {
                handle.destroyForcibly();
                awaitExit(handle, Duration.ofSeconds(5));
            }
        }
        // A script-launched main may have forked; nothing of a stopped child may survive it.
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroyForcibly();
            }
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        boolean ourChild = handle.parent()
                .map(p -> p.pid() == ProcessHandle.current().pid())
                .orElse(false);
        if (!ourChild) {
            return pollExit(handle, timeout);
        }
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (ExecutionException e) {
            return !handle.isAlive();
        }
    }

    /**
     * A process that is not our child (an orphan of a previous server) is reaped by pid 1, and
     * until then it is a zombie the JDK reports as alive: where pid 1 reaps late (containers
     * without an init) recovery waited out the whole grace for leftovers that had exited. A
     * zombie has no command line, so {@link ProcInfo} sees it as gone.
     */
    private static boolean pollExit(ProcessHandle handle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handle.isAlive() && ProcInfo.of(handle.pid()).isPresent()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !handle.isAlive();
            }
        }
        return true;
    }
}
