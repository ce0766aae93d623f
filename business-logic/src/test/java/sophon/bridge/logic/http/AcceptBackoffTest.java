package sophon.bridge.logic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server out of file descriptors (here a child JVM under prlimit --nofile) cannot accept: the
 * pending connection stays queued and every accept fails at once. The loop must back off instead
 * of spinning a core and logging each failure, and accept again once descriptors are free.
 */
class AcceptBackoffTest {
    private static final int FD_LIMIT = 128;

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** utime + stime of the child in clock ticks (100 per second on Linux). */
    private long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(child.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static int health(int port) {
        try (Socket s = Wire.connect(port, 3000)) {
            Wire.send(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            Wire.Response r = Wire.read(s.getInputStream());
            return r == null ? -1 : r.status();
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void acceptFailuresBackOffAndAreLoggedOncePerEpisode() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "util-linux prlimit is needed");
        child = new ProcessBuilder(
                        "/usr/bin/prlimit",
                        "--nofile=" + FD_LIMIT + ":" + FD_LIMIT,
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        AcceptLoopChild.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        long started = System.currentTimeMillis();
        while (!log().contains("port=")) {
            assertTrue(
                    child.isAlive() && System.currentTimeMillis() - started < 30_000, "child did not start: " + log());
            Thread.sleep(50);
        }
        String text = log();
        int port = Integer.parseInt(
                text.substring(text.indexOf("port=") + 5).strip().split("\\s")[0]);
        assertEquals(200, health(port));

        List<Socket> hogs = new ArrayList<>();
        try {
            for (int i = 0; i < FD_LIMIT + 20; i++) {
                hogs.add(new Socket("127.0.0.1", port)); // the kernel completes these from the backlog
            }
            Thread.sleep(1500); // the child is out of descriptors now and its accepts fail
            long before = cpuTicks();
            Thread.sleep(3000);
            long used = cpuTicks() - before;
            assertTrue(
                    used < 60,
                    "the child used " + used + " ticks (of 300) in 3 s while it could not accept; log:\n"
                            + log().lines().limit(20).toList());
            // Once per episode, not per attempt (4.5 s of retries 0.1-1 s apart would be 6+ lines). On a
            // loaded machine a descriptor may come free for a moment: one short second episode.
            long warnings = log().lines()
                    .filter(l -> l.contains("accepting connections fails"))
                    .count();
            assertTrue(
                    warnings >= 1 && warnings <= 2,
                    warnings + " log lines about accepting: "
                            + log().lines()
                                    .filter(l -> l.contains("accept"))
                                    .limit(5)
                                    .toList());
        } finally {
            for (Socket s : hogs) {
                s.close();
            }
        }
        long freed = System.currentTimeMillis();
        while (health(port) != 200) {
            assertTrue(System.currentTimeMillis() - freed < 10_000, "no answer after descriptors were freed: " + log());
            Thread.sleep(100);
        }
    }
}
