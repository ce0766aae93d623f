package sophon.bridge.server.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {
    @TempDir
    Path dir;

    private ChildSpec spec(String script, String marker) {
        return new ChildSpec(
                "test",
                List.of("/bin/sh", "-c", script, "sh", marker),
                Map.of("GREETING", "hello"),
                dir,
                dir.resolve("child.log"),
                new ChildSignature(marker, dir));
    }

    @Test
    void exitCodeEnvironmentAndOutputReachTheLog() throws Exception {
        CompletableFuture<Integer> code = new CompletableFuture<>();
        ChildProcess child =
                ChildProcess.start(spec("echo $GREETING from $(pwd); exit 3", "--marker=a"), 1 << 20, code::complete);
        assertEquals(3, code.get(10, TimeUnit.SECONDS));
        assertFalse(child.isAlive());
        String log = Files.readString(dir.resolve("child.log"));
        assertTrue(log.contains("hello from " + dir.toRealPath()), log);
        assertTrue(
                BoundedLog.tail(dir.resolve("child.log"), 3).stream().anyMatch(l -> l.contains("exited with code 3")));
    }

    @Test
    void credentialsInChildOutputAreMaskedInTheLog() throws Exception {
        CompletableFuture<Integer> code = new CompletableFuture<>();
        ChildProcess.start(
                spec(
                        "echo opening rtsp://admin:hunter2@10.0.0.5:554/s1; echo oops rtmp://u:p4ss@h/x >&2; "
                                + "printf 'no newline rtsp://a:b@c/d'",
                        "--marker=m"),
                1 << 20,
                code::complete);
        assertEquals(0, code.get(10, TimeUnit.SECONDS));
        String log = Files.readString(dir.resolve("child.log"));
        assertTrue(log.contains("opening rtsp://admin:***@10.0.0.5:554/s1"), log);
        assertTrue(log.contains("oops rtmp://u:***@h/x"), log);
        assertTrue(log.contains("no newline rtsp://a:***@c/d"), log);
        assertTrue(!log.contains("hunter2") && !log.contains("p4ss") && !log.contains(":b@"), log);
    }

    @Test
    void signatureMatchesByMarkerAndWorkingDirectory() throws Exception {
        ChildProcess child = ChildProcess.start(spec("sleep 30", "--marker=b"), 1 << 20, c -> {});
        try {
            ProcInfo info = execComplete(child.pid(), "--marker=b");
            assertTrue(new ChildSignature("--marker=b", dir).matches(info));
            assertFalse(new ChildSignature("--marker=other", dir).matches(info));
            assertFalse(new ChildSignature("--marker=b", dir.resolve("elsewhere")).matches(info));
        } finally {
            child.stop(Duration.ofSeconds(2));
        }
        assertFalse(child.isAlive());
        assertTrue(ProcInfo.of(child.pid()).isEmpty()
                || !new ChildSignature("--marker=b", dir)
                        .matches(ProcInfo.of(child.pid()).get()));
    }

    /**
     * The JDK returns from start once the close-on-exec pipe closes, which the kernel does in the
     * middle of execve, before the new command line is set up: /proc then shows an empty one for a
     * moment (CI once read it there).
     */
    private static ProcInfo execComplete(long pid, String marker) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            var info = ProcInfo.of(pid).filter(p -> p.hasArg(marker));
            if (info.isPresent()) {
                return info.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no process " + pid + " with " + marker + " after 5 s: " + ProcInfo.of(pid));
    }

    @Test
    void stopEscalatesToSigkillWhenSigtermIsIgnored() throws Exception {
        CompletableFuture<Integer> code = new CompletableFuture<>();
        ChildProcess child = ChildProcess.start(
                spec("trap '' TERM; echo ready; while :; do sleep 0.1; done", "--marker=c"), 1 << 20, code::complete);
        for (int i = 0; i < 100 && !Files.readString(dir.resolve("child.log")).contains("ready"); i++) {
            Thread.sleep(20);
        }
        long t0 = System.nanoTime();
        child.stop(Duration.ofMillis(300));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(child.isAlive());
        assertEquals(137, code.get(5, TimeUnit.SECONDS), "killed by SIGKILL");
        assertTrue(millis >= 250 && millis < 5000, "waited the grace period, then killed: " + millis + " ms");
    }

    @Test
    void aMissingProgramIsAClearStartFailure() {
        ChildSpec bad = new ChildSpec(
                "test",
                List.of(dir.resolve("no-such-program").toString()),
                Map.of(),
                dir,
                dir.resolve("child.log"),
                new ChildSignature("x", dir));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.IOException.class, () -> ChildProcess.start(bad, 1 << 20, c -> {}));
        assertTrue(e.getMessage().contains("no-such-program"), e.getMessage());
    }

    @Test
    void logIsBoundedByRotation() throws Exception {
        CompletableFuture<Integer> code = new CompletableFuture<>();
        // ~200 KB of output into a 32 KB cap: at most cap (current) + cap (.1) stay on disk.
        ChildProcess.start(
                spec(
                        "i=0; while [ $i -lt 4000 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done",
                        "--marker=d"),
                32 * 1024,
                code::complete);
        assertEquals(0, code.get(20, TimeUnit.SECONDS));
        long current = Files.size(dir.resolve("child.log"));
        long rotated = Files.size(dir.resolve("child.log.1"));
        assertTrue(current <= 32 * 1024 && rotated <= 32 * 1024, current + " / " + rotated);
        assertTrue(
                BoundedLog.tail(dir.resolve("child.log"), 3).stream().anyMatch(l -> l.contains("exited with code 0")));
        assertTrue(Files.readString(dir.resolve("child.log")).contains("line-3999"), "the newest output is kept");
    }
}
