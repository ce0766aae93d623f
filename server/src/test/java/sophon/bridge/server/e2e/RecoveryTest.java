package sophon.bridge.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.AppHome;

/**
 * kill -9 of the server (and of a child right before it) loses nothing: the next server stops
 * what the dead one left and runs exactly one business-logic and one stream process per entry.
 * SIGTERM stops every child and keeps the tasks for the next start.
 */
class RecoveryTest {
    static final Path HOME = AppHome.find();
    static final Duration RUNNING = Duration.ofSeconds(60);
    static final Map<String, String> TASKS = Map.of("rec-1", "yolov5", "rec-2", "tripwire");

    @TempDir
    Path tmp;

    ServerProcess server;

    @AfterEach
    void cleanup() throws Exception {
        if (server != null && server.process.isAlive()) {
            server.terminate();
        }
    }

    @Test
    void killDashNineOfServerAndChildrenThenSigterm() throws Exception {
        Path root = FakeStreamRoot.create(tmp.resolve("sophon-stream"), HOME, "frames=0\npause_ms=200\n");
        Path data = tmp.resolve("data").toAbsolutePath();
        Path tasks = data.resolve("tasks");
        Path log = tmp.resolve("server.log");
        int port = ServerProcess.freePort();
        server = ServerProcess.start(HOME, data, root, port, log);
        assertEquals(
                0,
                server.api
                        .post(
                                "/task/create",
                                ApiClient.task("rec-1", "rtsp://admin:pw@10.1.1.1/a", 3, "http://127.0.0.1:9/upload"))
                        .code());
        assertEquals(
                0,
                server.api
                        .post(
                                "/task/create",
                                ApiClient.task("rec-2", "rtsp://10.1.1.2/b", 1, "http://127.0.0.1:9/upload"))
                        .code());
        awaitAllRunning();
        List<Long> firstPids = pids();

        // Power-cut style: the server dies without a word; its children are orphaned.
        server.kill9();
        assertTrue(firstPids.stream().allMatch(Children::alive), "children outlive a kill -9 of the server");
        server = ServerProcess.start(HOME, data, root, port, log);
        awaitAllRunning();
        assertExactlyOneChildOfEachKind(tasks);
        assertTrue(firstPids.stream().noneMatch(Children::alive), "the dead server's children were stopped");
        List<Long> secondPids = pids();

        // A child dies, and the server right after it, before it could restart anything.
        Children.kill9(secondPids.get(1));
        server.kill9();
        server = ServerProcess.start(HOME, data, root, port, log);
        awaitAllRunning();
        assertExactlyOneChildOfEachKind(tasks);
        assertTrue(secondPids.stream().noneMatch(Children::alive));

        // Meanwhile the server made the business-logic class archive (for faster JVM starts).
        Children.await("class archive made", Duration.ofSeconds(90), () -> {
            try (var files = java.nio.file.Files.list(data.resolve("cds"))) {
                return files.anyMatch(f -> f.toString().endsWith(".jsa"));
            } catch (java.io.IOException e) {
                return false;
            }
        });

        // SIGTERM: every child stops, the tasks stay for the next start.
        List<Long> thirdPids = pids();
        server.terminate();
        assertTrue(thirdPids.stream().noneMatch(Children::alive), "SIGTERM stops the children");
        assertTrue(Children.under(tasks).isEmpty());
        server = ServerProcess.start(HOME, data, root, port, log);
        awaitAllRunning();
        assertExactlyOneChildOfEachKind(tasks);
        assertTrue(
                Children.under(tasks).stream()
                        .filter(p -> p.hasArgStartingWith("--work-dir="))
                        .allMatch(p -> p.hasArgStartingWith("-XX:SharedArchiveFile=")),
                "business logic starts from the archive");
        assertTrue(Children.under(data.resolve("cds")).isEmpty(), "no training process left");
        JsonNode list = server.api.list().result();
        assertEquals(2, list.size());
        for (JsonNode item : list) {
            assertEquals(1, item.path("Status").asInt());
            assertFalse(item.toString().contains(":pw@"), "masked after recovery too");
        }
        for (String id : TASKS.keySet()) {
            assertEquals(0, server.api.delete(id).code());
        }
        assertTrue(Children.under(tasks).isEmpty());
    }

    private void awaitAllRunning() throws InterruptedException {
        Children.await("all tasks running", RUNNING, () -> {
            try {
                JsonNode list = server.api.list().result();
                if (list.size() != TASKS.size()) {
                    return false;
                }
                for (JsonNode item : list) {
                    if (!item.path("State").asText().equals("running")) {
                        return false;
                    }
                }
                return true;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** [rec-1 business logic, rec-1 stream, rec-2 business logic, rec-2 stream]. */
    private List<Long> pids() throws Exception {
        List<Long> pids = new java.util.ArrayList<>();
        for (String id : List.of("rec-1", "rec-2")) {
            JsonNode e = server.api.query(id).result().path("Algorithms").get(0);
            pids.add(e.path("BusinessLogicPid").asLong());
            pids.add(e.path("StreamPid").asLong());
        }
        return pids;
    }

    /**
     * Awaited, not sampled once: an entry is running as soon as its stream is launched, and the
     * stream's exec chain (setsid, the main script, java) then still runs; inside each execve the
     * kernel installs the new memory map before it sets the argument area, and a read of
     * /proc/<pid>/cmdline in between is empty, which {@code ProcInfo} takes for a zombie. On a
     * loaded machine the exec of a JVM is preempted there long enough to be seen: that is why this
     * check once found 0 stream processes right after all tasks reported running (seen again here
     * at load 12, with the stream's own log showing it alive). A duplicate never goes away by
     * waiting, so waiting does not hide one.
     */
    private void assertExactlyOneChildOfEachKind(Path tasks) throws InterruptedException {
        Children.await(
                "exactly one business-logic and one stream process per entry, nothing else",
                Duration.ofSeconds(10),
                () -> {
                    for (Map.Entry<String, String> t : TASKS.entrySet()) {
                        Path dir = tasks.resolve(t.getKey()).resolve("0-" + t.getValue());
                        if (Children.businessLogic(dir).size() != 1
                                || Children.stream(dir).size() != 1) {
                            return false;
                        }
                    }
                    return Children.under(tasks).size() == 4;
                });
        Thread.sleep(1000);
        for (Map.Entry<String, String> t : TASKS.entrySet()) {
            Path dir = tasks.resolve(t.getKey()).resolve("0-" + t.getValue());
            assertEquals(1, Children.businessLogic(dir).size(), "still one business-logic process in " + dir);
            assertEquals(1, Children.stream(dir).size(), "still one stream process in " + dir);
        }
        assertEquals(4, Children.under(tasks).size(), "nothing else left over");
    }
}
