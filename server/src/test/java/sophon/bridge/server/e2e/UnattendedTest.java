package sophon.bridge.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.AppHome;

/**
 * A box nobody watches, tried as its operators and its cameras would: a second start on the same
 * data dir, Ctrl-C and a group-wide SIGTERM, a camera away for longer than the failure threshold,
 * a config set that cannot be made at recovery, and hung children that ignore SIGTERM. Real server
 * JVM, real business-logic children, the test stream program behind a fake sophon-stream root.
 */
class UnattendedTest {
    static final Path HOME = AppHome.find();
    static final Duration RUNNING = Duration.ofSeconds(60);
    static final List<String> FAST_WATCHDOG =
            List.of("--max-backoff-ms=1000", "--stable-seconds=4", "--stall-seconds=4");

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
    void aSecondServerOnTheSameDataDirRefusesAtOnceAndChangesNothing() throws Exception {
        Path root = FakeStreamRoot.create(tmp.resolve("sophon-stream"), HOME, "frames=0\npause_ms=200\n");
        Path data = Files.createDirectories(tmp.resolve("data")).toRealPath();
        Path link = Files.createSymbolicLink(tmp.resolve("data-link"), data);
        Path log = tmp.resolve("server.log");
        // The service is configured with a symlinked data dir.
        server = ServerProcess.start(HOME, link, root, ServerProcess.freePort(), log);
        create("twice-1", "rtsp://10.1.1.1/a");
        awaitState("twice-1", "running");
        List<Long> pids = pids("twice-1");
        long recoveries = recoveries(log);

        // Started again by mistake, once by the real path and once through the symlink.
        for (Path dir : List.of(data, link)) {
            Path secondLog = tmp.resolve("second-" + dir.getFileName() + ".log");
            Process second = ServerProcess.launch(HOME, dir, root, ServerProcess.freePort(), secondLog, List.of());
            assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second server exits at once");
            assertTrue(second.exitValue() != 0, "non-zero exit");
            String said = Files.readString(secondLog);
            assertTrue(said.contains("data dir " + data + " is in use by pid " + server.process.pid()), said);
        }
        assertTrue(pids.stream().allMatch(Children::alive), "the first server's children were not touched");
        assertEquals(pids, pids("twice-1"));
        assertEquals("running", state("twice-1"));
        assertEquals(0, view("twice-1").path("RestartCount").asInt());
        assertEquals(recoveries, recoveries(log), "no second recovery ran");

        // The lock dies with its holder: after a kill -9 the next server starts through the symlink and finds the
        // orphans.
        server.kill9();
        server = ServerProcess.start(HOME, link, root, server.port, log);
        awaitState("twice-1", "running");
        assertTrue(pids.stream().noneMatch(Children::alive), "orphans found through the symlinked data dir");
        Path dir = data.resolve("tasks/twice-1/0-tripwire");
        Children.await(
                "one child of each kind",
                Duration.ofSeconds(10),
                () -> Children.businessLogic(dir).size() == 1
                        && Children.stream(dir).size() == 1);
    }

    /** Recovery runs the first server logged (its console: tests log there, not to data/logs). */
    private static long recoveries(Path log) throws java.io.IOException {
        return Files.readAllLines(log).stream()
                .filter(l -> l.contains("recovery:"))
                .count();
    }

    @Test
    void ctrlCAndAGroupWideSigtermNeverStopATaskForGood() throws Exception {
        Path root = FakeStreamRoot.create(tmp.resolve("sophon-stream"), HOME, "frames=0\npause_ms=100\n");
        Path data = tmp.resolve("data").toAbsolutePath();
        Path log = tmp.resolve("server.log");
        int port = ServerProcess.freePort();
        server = ServerProcess.start(HOME, data, root, port, log);
        create("stop-live", "rtsp://10.1.1.1/a");
        create(
                "stop-file",
                HOME.resolve("../shared/testdata/vtest.avi").normalize().toString());
        for (int round = 1; round <= 3; round++) {
            awaitState("stop-live", "running");
            awaitState("stop-file", "running");
            List<Long> children = new ArrayList<>(pids("stop-live"));
            children.addAll(pids("stop-file"));
            // Never signal pid 0: `kill 0` is this test's own process group (Maven included).
            assertTrue(
                    children.stream().allMatch(p -> p > 0), "round " + round + ": every child has a pid: " + children);
            if (round == 2) {
                // systemd with KillMode=control-group, or `kill -TERM` of everything: all at once.
                List<String> cmd = new ArrayList<>(List.of("kill", "-TERM", Long.toString(server.process.pid())));
                children.forEach(p -> cmd.add(Long.toString(p)));
                assertEquals(0, new ProcessBuilder(cmd).start().waitFor());
                server.process.waitFor();
            } else {
                server.interruptGroup(); // Ctrl-C in the terminal
            }
            Children.await(
                    "children gone",
                    Duration.ofSeconds(20),
                    () -> children.stream().noneMatch(Children::alive));
            server = ServerProcess.start(HOME, data, root, port, log);
            for (String id : List.of("stop-live", "stop-file")) {
                awaitState(id, "running");
                JsonNode v = view(id);
                assertEquals(1, v.path("Status").asInt(), "round " + round + ": " + v);
                assertEquals(0, v.path("RestartCount").asInt(), "round " + round + ": a stop is no failure: " + v);
                assertTrue(v.path("LastError").isMissingNode(), "round " + round + ": " + v);
            }
        }
    }

    @Test
    void aLiveCameraAwayForLongRetriesForeverAndComesBackRunning() throws Exception {
        Path root = FakeStreamRoot.create(tmp.resolve("sophon-stream"), HOME, "frames=0\npause_ms=100\n");
        Path data = tmp.resolve("data").toAbsolutePath();
        server = ServerProcess.start(
                HOME, data, root, ServerProcess.freePort(), tmp.resolve("server.log"), FAST_WATCHDOG);
        // The camera is unreachable: every stream start fails, far more often than the failure threshold.
        FakeStreamRoot.behave(root, "frames=1\npause_ms=10\nexit=1\n");
        create("cam-away", "rtsp://admin:pw@10.1.1.1/a");
        awaitState("cam-away", "retrying");
        JsonNode v = view("cam-away");
        assertEquals(1, v.path("Status").asInt(), "application-web still sees a running task: " + v);
        assertTrue(v.path("LastError").asText().contains("exited with code 1"), v.toString());
        Path dir = data.resolve("tasks/cam-away/0-yolov5");
        Children.await("tries go on past the threshold", Duration.ofSeconds(30), () -> starts(root, dir) >= 8);
        assertEquals("retrying", state("cam-away"));

        // A live stream that ends with exit 0 (the camera closed the connection) is a failure too, never "finished".
        FakeStreamRoot.behave(root, "frames=2\npause_ms=10\nexit=0\n");
        long before = starts(root, dir);
        Children.await("restarted after a clean end", Duration.ofSeconds(20), () -> starts(root, dir) >= before + 2);
        assertEquals("retrying", state("cam-away"));

        // The camera is back: running again once a try has lasted --stable-seconds.
        FakeStreamRoot.behave(root, "frames=0\npause_ms=100\n");
        awaitState("cam-away", "running");
        assertEquals(1, view("cam-away").path("Status").asInt());
        assertEquals(1, Children.stream(dir).size());
    }

    @Test
    void aConfigSetThatCannotBeMadeAtRecoveryIsRetriedUntilItCan() throws Exception {
        Path root = FakeStreamRoot.create(tmp.resolve("sophon-stream"), HOME, "frames=0\npause_ms=100\n");
        Path data = tmp.resolve("data").toAbsolutePath();
        Path log = tmp.resolve("server.log");
        int port = ServerProcess.freePort();
        server = ServerProcess.start(HOME, data, root, port, log, FAST_WATCHDOG);
        create(
                "late-volume",
                HOME.resolve("../shared/testdata/vtest.avi").normalize().toString());
        awaitState("late-volume", "running");
        server.kill9();
        // The power comes back before the volume holding the models is mounted.
        Path models = root.resolve("samples/yolov5/data/models");
        Path unmounted = tmp.resolve("models-unmounted");
        Files.move(models, unmounted);
        server = ServerProcess.start(HOME, data, root, port, log, FAST_WATCHDOG);
        awaitState("late-volume", "retrying");
        JsonNode v = view("late-volume");
        assertEquals(1, v.path("Status").asInt(), v.toString());
        assertTrue(v.path("LastError").asText().contains("config set cannot be made"), v.toString());
        assertTrue(Children.under(data.resolve("tasks")).isEmpty(), "nothing runs without its config set");
        Files.move(unmounted, models); // mounted at last
        awaitState("late-volume", "running");
        assertEquals(
                1, Children.stream(data.resolve("tasks/late-volume/0-yolov5")).size());
    }

    @Test
    void hungChildrenThatIgnoreSigtermAreReplaced() throws Exception {
        Path root = FakeStreamRoot.create(tmp.resolve("sophon-stream"), HOME, "frames=0\npause_ms=100\n");
        Path data = tmp.resolve("data").toAbsolutePath();
        server = ServerProcess.start(
                HOME, data, root, ServerProcess.freePort(), tmp.resolve("server.log"), FAST_WATCHDOG);
        create("hang", "rtsp://10.1.1.1/a");
        awaitState("hang", "running");
        // SIGSTOP: the process neither runs nor answers, and a SIGTERM stays pending: only SIGKILL ends it.
        long stream = pids("hang").get(1);
        signal("STOP", stream);
        Children.await("hung stream replaced", Duration.ofSeconds(40), () -> {
            JsonNode e = entry("hang");
            return e.path("StreamPid").asLong() != stream && e.path("StreamPid").asLong() > 0;
        });
        Children.await("old stream gone", Duration.ofSeconds(10), () -> !Children.alive(stream));
        assertTrue(
                view("hang").path("LastError").asText().contains("made no progress"),
                view("hang").toString());

        long businessLogic = pids("hang").get(0);
        signal("STOP", businessLogic);
        Children.await("hung business logic replaced", Duration.ofSeconds(60), () -> {
            JsonNode e = entry("hang");
            return e.path("BusinessLogicPid").asLong() != businessLogic
                    && e.path("BusinessLogicPid").asLong() > 0;
        });
        Children.await("old business logic gone", Duration.ofSeconds(10), () -> !Children.alive(businessLogic));
        assertTrue(
                view("hang").path("LastError").asText().contains("/health"),
                view("hang").toString());
        awaitState("hang", "running");
    }

    // ------------------------------------------------------------------ helpers

    private void create(String id, String address) throws Exception {
        ApiClient.Answer a = server.api.post(
                "/task/create",
                ApiClient.task(id, address, id.startsWith("twice") ? 1 : 3, "http://127.0.0.1:9/upload"));
        assertEquals(0, a.code(), a.msg());
    }

    private JsonNode view(String id) throws Exception {
        return server.api.query(id).result();
    }

    private JsonNode entry(String id) {
        try {
            return view(id).path("Algorithms").get(0);
        } catch (Exception e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private String state(String id) throws Exception {
        return view(id).path("State").asText();
    }

    private void awaitState(String id, String state) throws InterruptedException {
        Children.await(id + " " + state, RUNNING, () -> {
            try {
                return state(id).equals(state);
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** [business logic, stream]; both present (a test must never signal pid 0, its own process group). */
    private List<Long> pids(String id) throws Exception {
        JsonNode e = view(id).path("Algorithms").get(0);
        List<Long> pids =
                List.of(e.path("BusinessLogicPid").asLong(), e.path("StreamPid").asLong());
        assertTrue(pids.stream().allMatch(p -> p > 0), id + " has both children: " + e);
        return pids;
    }

    private static long starts(Path root, Path dir) {
        try {
            return FakeStreamRoot.starts(root).stream()
                    .filter(l -> l.endsWith(dir.toString()))
                    .count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static void signal(String sig, long pid) throws Exception {
        assertEquals(
                0,
                new ProcessBuilder("kill", "-" + sig, Long.toString(pid))
                        .start()
                        .waitFor());
    }
}
