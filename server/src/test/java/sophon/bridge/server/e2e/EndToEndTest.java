package sophon.bridge.server.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.AppHome;
import sophon.bridge.server.BridgeServer;
import sophon.bridge.server.ServerOptions;

/**
 * The whole path with real parts: the task API, generated config sets on disk, a real
 * business-logic child, a test stream program (behind a fake sophon-stream root) posting frames to
 * the injected http_push target, a real SQLite file, WireMock receiving alarms, kill -9 of children.
 */
class EndToEndTest {
    static final Path HOME = AppHome.find();
    static final Duration START = Duration.ofSeconds(40);
    static final Path VTEST = HOME.resolve("../shared/testdata/vtest.avi").normalize();

    @TempDir
    static Path tmp;

    static WireMockServer receiver;
    static Path root;
    static Path tasksDir;
    static BridgeServer server;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/api/upload")).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));
        root = FakeStreamRoot.create(tmp.resolve("sophon-stream"), HOME, "frames=0\npause_ms=100\n");
        Path data = tmp.resolve("data");
        tasksDir = data.resolve("tasks").toAbsolutePath();
        server = BridgeServer.start(
                ServerOptions.parse(
                        new String[] {
                            "--port=0",
                            "--data-dir=" + data,
                            "--stream-path=" + root,
                            "--restart-backoff-ms=200",
                            "--stop-grace-ms=3000",
                            "--max-tasks=64"
                        },
                        Map.of()),
                HOME); // the box-derived default depends on the test machine
        api = new ApiClient(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    static String reportUrl() {
        return "http://127.0.0.1:" + receiver.port() + "/api/upload";
    }

    static JsonNode query(String id) {
        try {
            return api.query(id).result();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Alarms of one task that reached WireMock (each POST body is a JSON array of alarms). */
    static List<JsonNode> alarmsOf(String id) {
        List<JsonNode> found = new java.util.ArrayList<>();
        for (var event : receiver.findAll(postRequestedFor(urlEqualTo("/api/upload")))) {
            try {
                for (JsonNode a : ApiClient.JSON.readTree(event.getBodyAsString())) {
                    if (a.path("TaskID").asText().equals(id)) {
                        found.add(a);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    static String state(String id) {
        return query(id).path("State").asText();
    }

    static JsonNode entry(String id) {
        return query(id).path("Algorithms").get(0);
    }

    @Test
    void createRunQueryListKillChildrenAndDelete() throws Exception {
        FakeStreamRoot.behave(root, "frames=0\npause_ms=100\n");
        String body = ApiClient.task("e2e-1", "rtsp://admin:secret@10.0.0.5:554/stream1", 3, reportUrl());
        ApiClient.Answer created = api.post("/task/create", body);
        assertEquals(200, created.status());
        assertEquals(0, created.code(), created.msg());
        assertEquals("success", created.msg());
        Children.await("e2e-1 running", START, () -> state("e2e-1").equals("running"));

        ApiClient.Answer q = api.query("e2e-1");
        assertEquals(0, q.code());
        JsonNode view = q.result();
        assertEquals("e2e-1", view.path("TaskID").asText());
        assertEquals(1, view.path("Status").asInt());
        assertTrue(view.path("Status").isInt(), "Status is an integer");
        assertEquals(
                "rtsp://admin:***@10.0.0.5:554/stream1", view.path("Address").asText());
        assertFalse(q.body().toString().contains("secret"), "no password in the answer");
        assertFalse(view.path("StartTime").asText().isEmpty());
        JsonNode e = view.path("Algorithms").get(0);
        assertEquals("yolov5", e.path("Algorithm").asText());
        int blPort = e.path("BusinessLogicPort").asInt();
        assertTrue(blPort >= BridgeServer.BUSINESS_LOGIC_PORT_BASE, "port " + blPort);
        assertTrue(e.path("StreamListenPort").asInt() >= BridgeServer.STREAM_LISTEN_PORT_BASE);
        long blPid = e.path("BusinessLogicPid").asLong();
        long streamPid = e.path("StreamPid").asLong();
        assertTrue(Children.alive(blPid) && Children.alive(streamPid));

        // The generated set: task.json, the demo config, and http_push aimed at this entry's business logic.
        Path dir = tasksDir.resolve("e2e-1/0-yolov5");
        assertTrue(Files.isRegularFile(tasksDir.resolve("e2e-1/task.json")));
        JsonNode push = GraphFiles.httpPush(dir, "config/yolov5_demo.json");
        assertEquals("127.0.0.1", push.path("ip").asText());
        assertEquals(blPort, push.path("port").asInt());
        assertEquals(1, Children.businessLogic(dir).size());
        assertEquals(1, Children.stream(dir).size());

        // Frames flow from the stream through http_push into business logic; its counters show up.
        Children.await(
                "frames counted",
                START,
                () -> entry("e2e-1").path("Counters").path("framesReceived").asLong() > 0);
        assertFalse(Files.readString(dir.resolve("stream.log")).isEmpty(), "stream output goes to stream.log");
        // A person in the full-frame HotArea for TrackInterval frames: business logic reports an alarm.
        Children.await(
                "an alarm of e2e-1 at the report URL",
                START,
                () -> !alarmsOf("e2e-1").isEmpty());
        JsonNode alarm = alarmsOf("e2e-1").get(0);
        assertEquals("camera-entrance", alarm.path("SrcID").asText());
        assertFalse(alarm.path("SceneImageBase64").asText().isEmpty());
        assertTrue(alarm.path("AnalyzeEvents").size() > 0);
        assertTrue(Files.exists(dir.resolve("business-logic.log")));

        ApiClient.Answer twice = api.post("/task/create", body);
        assertNotEquals(0, twice.code());
        assertTrue(twice.msg().contains("already running"), twice.msg());

        ApiClient.Answer list = api.list();
        assertEquals(0, list.code());
        boolean listed = false;
        for (JsonNode item : list.result()) {
            if (item.path("TaskID").asText().equals("e2e-1")) {
                listed = true;
                assertEquals(1, item.path("Status").asInt());
            }
        }
        assertTrue(listed);

        // kill -9 of the stream: the watchdog starts a new one.
        Children.kill9(streamPid);
        Children.await("stream restarted", START, () -> {
            JsonNode x = entry("e2e-1");
            return x.path("StreamPid").asLong() != streamPid
                    && x.path("StreamPid").asLong() > 0
                    && x.path("State").asText().equals("running");
        });
        assertTrue(entry("e2e-1").path("RestartCount").asInt() >= 1);
        // kill -9 of business logic: same.
        Children.kill9(blPid);
        Children.await("business logic restarted", START, () -> {
            JsonNode x = entry("e2e-1");
            return x.path("BusinessLogicPid").asLong() != blPid
                    && x.path("State").asText().equals("running");
        });
        Children.await(
                "one child of each kind",
                Duration.ofSeconds(10),
                () -> Children.businessLogic(dir).size() == 1
                        && Children.stream(dir).size() == 1);
        assertEquals(blPort, entry("e2e-1").path("BusinessLogicPort").asInt(), "same port after restart");

        long lastBl = entry("e2e-1").path("BusinessLogicPid").asLong();
        long lastStream = entry("e2e-1").path("StreamPid").asLong();
        ApiClient.Answer deleted = api.delete("e2e-1");
        assertEquals(0, deleted.code(), deleted.msg());
        assertFalse(Children.alive(lastBl));
        assertFalse(Children.alive(lastStream));
        assertFalse(Files.exists(tasksDir.resolve("e2e-1")));
        assertEquals("Task e2e-1 does not exist.", api.query("e2e-1").msg());
        assertTrue(Children.under(tasksDir.resolve("e2e-1")).isEmpty());
    }

    @Test
    void finiteSourceFinishesAndAStoppedTaskIsReplacedByCreate() throws Exception {
        FakeStreamRoot.behave(root, "frames=5\npause_ms=50\nexit=0\n");
        String body = ApiClient.task("e2e-fin", VTEST.toString(), 3, reportUrl());
        assertEquals(0, api.post("/task/create", body).code());
        Children.await("finished", START, () -> state("e2e-fin").equals("finished"));
        JsonNode view = query("e2e-fin");
        assertEquals(0, view.path("Status").asInt(), "a finished task is stopped");
        assertTrue(
                view.path("LastError").isMissingNode() || view.path("LastError").isNull(), "finishing is no error");
        Path dir = tasksDir.resolve("e2e-fin/0-yolov5");
        Children.await(
                "children gone",
                Duration.ofSeconds(10),
                () -> Children.under(dir).isEmpty());

        FakeStreamRoot.behave(root, "frames=0\npause_ms=100\n");
        ApiClient.Answer again = api.post("/task/create", body);
        assertEquals(0, again.code(), "create for a stopped TaskID replaces it: " + again.msg());
        Children.await("running again", START, () -> state("e2e-fin").equals("running"));
        assertEquals(0, query("e2e-fin").path("RestartCount").asInt());
        assertEquals(0, api.delete("e2e-fin").code());
    }

    @Test
    void crashingStreamOnAFiniteSourceEndsInErrorWithItsLastLogLines() throws Exception {
        // A file that makes the stream crash every time: 5 failures and the entry gives up (a live
        // source would be retried forever instead, see UnattendedTest).
        FakeStreamRoot.behave(root, "frames=1\npause_ms=10\nexit=1\n");
        assertEquals(
                0,
                api.post("/task/create", ApiClient.task("e2e-crash", VTEST.toString(), 3, reportUrl()))
                        .code());
        Children.await("error", Duration.ofSeconds(60), () -> state("e2e-crash").equals("error"));
        JsonNode view = query("e2e-crash");
        assertEquals(0, view.path("Status").asInt());
        String lastError = view.path("LastError").asText();
        assertTrue(lastError.contains("exited with code 1"), lastError);
        assertTrue(lastError.contains("boom"), "the log tail explains: " + lastError);
        assertEquals(4, view.path("RestartCount").asInt(), "5 failures = 1 start + 4 restarts");
        Path dir = tasksDir.resolve("e2e-crash/0-yolov5");
        long starts = FakeStreamRoot.starts(root).stream()
                .filter(l -> l.endsWith(dir.toString()))
                .count();
        assertEquals(5, starts);
        Children.await(
                "business logic stopped too",
                Duration.ofSeconds(10),
                () -> Children.under(dir).isEmpty());
        FakeStreamRoot.behave(root, "frames=0\npause_ms=100\n");
        assertEquals(0, api.delete("e2e-crash").code());
    }

    @Test
    void everyShippedTypeGetsAValidGraphWithItsOwnHttpPush() throws Exception {
        FakeStreamRoot.behave(root, "frames=0\npause_ms=200\n");
        int[] types = {1, 2, 3, 4, 5, 16};
        StringBuilder algorithms = new StringBuilder();
        for (int t : types) {
            algorithms.append(algorithms.length() == 0 ? "" : ",").append(GraphFiles.algorithmJson(t));
        }
        String body = """
                {"TaskID":"全部-types","InputSrc":{"SrcID":"c","StreamSrc":{"Address":"rtsp://10.0.0.9/live"}},
                 "Algorithm":[%s],"Reporting":{"ReportUrlList":["%s"]}}""".formatted(algorithms, reportUrl());
        ApiClient.Answer a = api.post("/task/create", body);
        assertEquals(0, a.code(), a.msg());
        JsonNode view = query("全部-types");
        Set<Integer> ports = new HashSet<>();
        Map<String, Integer> names = new HashMap<>();
        for (JsonNode e : view.path("Algorithms")) {
            String name = e.path("Algorithm").asText();
            names.put(name, e.path("Type").asInt());
            Path dir = tasksDir.resolve("全部-types").resolve(e.path("Index").asInt() + "-" + name);
            JsonNode push = GraphFiles.assertValidGraphWithOneHttpPush(dir, "config/" + name + "_demo.json");
            assertEquals(e.path("BusinessLogicPort").asInt(), push.path("port").asInt(), name);
            assertTrue(ports.add(push.path("port").asInt()), "own port per entry");
        }
        assertEquals(
                Map.of(
                        "tripwire",
                        1,
                        "license_area_intrusion",
                        2,
                        "yolov5",
                        3,
                        "yolov8",
                        4,
                        "openpose",
                        5,
                        "license_plate_recognition",
                        16),
                names);
        assertEquals(0, api.delete("全部-types").code());
        assertTrue(Children.under(tasksDir).stream()
                .noneMatch(p -> p.cwd().toString().contains("全部-types")));
    }

    @Test
    void aMissingReferencedFileFailsCreateWithItsName() throws Exception {
        Path model = null;
        try (var files = Files.walk(root.resolve("samples/yolov8"))) {
            model = files.filter(p -> p.toString().endsWith(".bmodel"))
                    .findFirst()
                    .orElseThrow();
        }
        Path aside = model.resolveSibling(model.getFileName() + ".aside");
        Files.move(model, aside);
        try {
            ApiClient.Answer a =
                    api.post("/task/create", ApiClient.task("e2e-missing", "rtsp://10.0.0.9/live", 4, reportUrl()));
            assertNotEquals(0, a.code());
            assertTrue(a.msg().contains(model.getFileName().toString()), a.msg());
            assertFalse(Files.exists(tasksDir.resolve("e2e-missing")), "no half-made task");
            assertEquals(
                    "Task e2e-missing does not exist.", api.query("e2e-missing").msg());
        } finally {
            Files.move(aside, model);
        }
    }

    @Test
    void concurrentCreateAndDeleteOfOneTaskIdLeaveOneConsistentOutcome() throws Exception {
        FakeStreamRoot.behave(root, "frames=0\npause_ms=200\n");
        String body = ApiClient.task("e2e-race", "rtsp://10.0.0.9/live", 3, reportUrl());
        List<Thread> threads = new java.util.ArrayList<>();
        List<ApiClient.Answer> answers = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int i = 0; i < 4; i++) {
            boolean create = i % 2 == 0;
            threads.add(new Thread(() -> {
                try {
                    answers.add(create ? api.post("/task/create", body) : api.delete("e2e-race"));
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(4, answers.size());
        for (ApiClient.Answer a : answers) {
            assertEquals(200, a.status());
            assertTrue(a.code() == 0 || !a.msg().isEmpty());
        }
        // Whatever won, the task either exists with its children or does not exist at all.
        ApiClient.Answer q = api.query("e2e-race");
        if (q.code() == 0) {
            Children.await("raced task running", START, () -> state("e2e-race").equals("running"));
            assertEquals(0, api.delete("e2e-race").code());
        }
        assertFalse(Files.exists(tasksDir.resolve("e2e-race")));
        assertTrue(Children.under(tasksDir.resolve("e2e-race")).isEmpty());
    }
}
