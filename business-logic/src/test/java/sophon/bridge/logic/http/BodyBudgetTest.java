package sophon.bridge.logic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.InputSrc;
import sophon.bridge.task.Reporting;
import sophon.bridge.task.StreamSrc;
import sophon.bridge.task.TaskRequest;

/**
 * The real process with the JVM flags it ships with (business-logic/jvm.options: -Xmx56m and
 * -XX:+ExitOnOutOfMemoryError): concurrent large posts are refused with 413 or 503 instead of
 * taking the heap, and the process goes on answering.
 */
class BodyBudgetTest {
    private static final int MB = 1024 * 1024;

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    private static List<String> shippedJvmFlags() throws IOException {
        List<String> flags = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("jvm.options"))) {
            String flag = line.strip();
            if (!flag.isEmpty() && !flag.startsWith("#")) {
                flags.add(flag);
            }
        }
        assertTrue(flags.contains("-Xmx56m"), "the test is about the shipped heap: " + flags);
        return flags;
    }

    private int startChild() throws IOException, InterruptedException {
        TaskRequest task = new TaskRequest(
                "2001",
                new InputSrc("cam-1", new StreamSrc("rtsp://10.0.0.5/s")),
                List.of(new AlgorithmSpec(3, 1, 1, 1, 50.0, null, null, null)),
                new Reporting(List.of("http://127.0.0.1:9/api/upload")));
        JsonMapper.builder().build().writeValue(dir.resolve("task.json").toFile(), task);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(shippedJvmFlags());
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "sophon.bridge.logic.Main",
                "--host=127.0.0.1",
                "--port=" + port,
                "--task=" + dir.resolve("task.json"),
                "--work-dir=" + dir));
        child = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (health(port) != 200) {
            assertTrue(child.isAlive() && System.currentTimeMillis() < deadline, "child did not start: " + log());
            Thread.sleep(100);
        }
        return port;
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int health(int port) {
        try (Socket s = Wire.connect(port, 5000)) {
            Wire.send(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            Wire.Response r = Wire.read(s.getInputStream());
            return r == null ? -1 : r.status();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Posts {@code count} bodies of {@code bytes} at once (every head sent before any body) and
     * returns each answer's status, -1 for none; the body goes on being written while the answer is read.
     */
    private static List<Wire.Response> postTogether(int port, int count, int bytes) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            CountDownLatch headsSent = new CountDownLatch(count);
            List<Future<Wire.Response>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                answers.add(pool.submit(() -> {
                    try (Socket s = Wire.connect(port, 30_000)) {
                        Wire.send(s, "POST /frames HTTP/1.1\r\nHost: x\r\nContent-Length: " + bytes + "\r\n\r\n");
                        headsSent.countDown();
                        headsSent.await();
                        pool.submit(() -> writeBody(s, bytes));
                        return Wire.read(s.getInputStream());
                    } catch (IOException e) {
                        return null;
                    }
                }));
            }
            List<Wire.Response> result = new ArrayList<>();
            for (Future<Wire.Response> f : answers) {
                result.add(f.get(60, TimeUnit.SECONDS));
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void writeBody(Socket s, int bytes) {
        byte[] piece = new byte[64 * 1024];
        Arrays.fill(piece, (byte) 'x');
        try {
            OutputStream out = s.getOutputStream();
            for (int done = 0; done < bytes; done += piece.length) {
                out.write(piece, 0, Math.min(piece.length, bytes - done));
            }
        } catch (IOException e) {
            // refused early and closed: expected for most of them
        }
    }

    private static int status(Wire.Response r) {
        return r == null ? -1 : r.status();
    }

    @Test
    void largeConcurrentPostsAreRefusedAndTheProcessSurvives() throws Exception {
        int port = startChild();
        // at the default --max-body-bytes (16 MB): three of these took 48 MB of a 52 MB heap
        List<Wire.Response> max = postTogether(port, 4, 16 * MB);
        for (Wire.Response r : max) {
            assertEquals(413, status(r), "a 16 MB post does not fit this heap's body budget; log:\n" + log());
            assertTrue(r.body().contains("exceeds"), r.body());
        }
        assertTrue(child.isAlive(), log());
        // under the per-request maximum, more than the budget together: the first is taken (and
        // refused 400, not a frame), the others wait for nothing and get 503
        List<Wire.Response> large = postTogether(port, 4, 8 * MB);
        long busy = large.stream().filter(r -> status(r) == 503).count();
        long taken = large.stream().filter(r -> status(r) == 400).count();
        assertEquals(
                4,
                busy + taken,
                "every post answered 400 or 503: "
                        + large.stream().map(BodyBudgetTest::status).toList());
        assertTrue(
                busy >= 1 && taken >= 1,
                "some refused as busy, some taken: "
                        + large.stream().map(BodyBudgetTest::status).toList());
        assertTrue(child.isAlive(), log());
        assertEquals(200, health(port), log());
        assertTrue(!log().contains("OutOfMemoryError"), log());
    }
}
