package sophon.bridge.server.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import sophon.bridge.server.process.ProcInfo;

/** What tests see of the box: our children found in /proc, and waiting for conditions. */
public final class Children {
    private Children() {}

    /** Business-logic processes working in {@code algorithmDir}. */
    public static List<ProcInfo> businessLogic(Path algorithmDir) {
        return ProcInfo.all().stream()
                .filter(p -> p.cwd().equals(algorithmDir) && p.hasArgStartingWith("--work-dir="))
                .toList();
    }

    /** Stream processes working in {@code algorithmDir}. */
    public static List<ProcInfo> stream(Path algorithmDir) {
        return ProcInfo.all().stream()
                .filter(p -> p.cwd().equals(algorithmDir) && p.hasArgStartingWith("--demo_config_path="))
                .toList();
    }

    /** Any child of ours anywhere under a tasks folder. */
    public static List<ProcInfo> under(Path tasksDir) {
        return ProcInfo.all().stream()
                .filter(p -> p.cwd().startsWith(tasksDir)
                        && (p.hasArgStartingWith("--work-dir=") || p.hasArgStartingWith("--demo_config_path=")))
                .toList();
    }

    /**
     * Running, not a zombie: an orphan that exited waits for pid 1 to reap it, and some inits (this
     * sandbox's among them) take seconds; the JDK calls a zombie alive, {@link ProcInfo} does not.
     */
    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && ProcInfo.of(pid).isPresent();
    }

    public static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
    }
}
