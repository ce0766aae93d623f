package sophon.bridge.logic;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real process as a child JVM: alarms queued while the receiver is down survive a kill -9,
 * and the restarted process delivers every one of them.
 */
class KillRestartTest {
    @TempDir
    Path dir;

    private WireMockServer receiver;
    private Process child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    private Process startChild(int port, String log) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "sophon.bridge.logic.Main",
                "--host=127.0.0.1",
                "--port=" + port,
                "--task=" + dir.resolve("task.json"),
                "--algorithm-index=0",
                "--work-dir=" + dir,
                "--report-timeout-ms=2000");
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
    }

    private static boolean healthy(int port) {
        try {
            return Fixtures.counters(port).has("framesReceived");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static long counter(int port, String name) {
        try {
            return Fixtures.counters(port).get(name).asLong();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void alarmsQueuedAtAKillMinus9AreDeliveredAfterRestart() throws Exception {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/api/upload")).willReturn(aResponse().withStatus(503)));
        Fixtures.writeTask(
                dir,
                Fixtures.task(
                        "1001", Fixtures.everyFrame(), List.of("http://127.0.0.1:" + receiver.port() + "/api/upload")));
        int port = Fixtures.freePort();
        child = startChild(port, "first.log");
        Fixtures.await("first start", 30_000, () -> healthy(port));
        for (int i = 0; i < 15; i++) {
            assertEquals(
                    200,
                    Fixtures.post(port, "/frames", Fixtures.alarmingFrame(i)).statusCode());
        }
        Fixtures.await("15 queued", 20_000, () -> counter(port, "alarmsProduced") == 15);
        assertEquals(15, counter(port, "alarmsQueued"));
        assertEquals(0, counter(port, "alarmsDelivered"));

        child.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye
        child.waitFor();
        assertEquals(137, child.exitValue());
        // A request the dead process had in flight may still be answered (503) by the receiver; only
        // what the restarted process sends counts below.
        Thread.sleep(300);
        long restarted = System.currentTimeMillis();
        receiver.resetMappings();
        receiver.stubFor(post(urlEqualTo("/api/upload")).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));

        child = startChild(port, "second.log");
        Fixtures.await("restart", 30_000, () -> healthy(port));
        Fixtures.await("15 delivered", 30_000, () -> counter(port, "alarmsDelivered") == 15);
        List<Long> frames = new ArrayList<>();
        for (ServeEvent e : receiver.getAllServeEvents()) {
            if (e.getResponse().getStatus() == 200
                    && e.getRequest().getLoggedDate().getTime() >= restarted) {
                JsonNode alarms = Fixtures.JSON.readTree(e.getRequest().getBodyAsString());
                alarms.forEach(a -> frames.add(a.get("FrameIndex").asLong()));
            }
        }
        frames.sort(null);
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 15; i++) {
            expected.add(i);
        }
        assertEquals(expected, frames, () -> "every alarm, once; log:\n" + read(dir.resolve("second.log")));
        assertEquals(0, counter(port, "alarmsQueued"));
        String log = Files.readString(dir.resolve("second.log"));
        assertTrue(log.contains("holds 15 undelivered alarms"), log);
        assertTrue(log.contains("task=1001"), "log lines carry the task");
        assertTrue(!log.contains("secret"), "credentials masked");
    }
}
