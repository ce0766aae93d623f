package sophon.bridge.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.AppHome;
import sophon.bridge.server.BridgeServer;
import sophon.bridge.server.ServerOptions;
import sophon.bridge.server.e2e.Children;
import sophon.bridge.server.e2e.FakeStreamRoot;

/**
 * Every kind of bad input against a real server over HTTP: HTTP 200, a non-zero Code, a Msg
 * saying why, nothing left in the data folder, and the server still serving afterwards.
 */
class BadInputTest {
    @TempDir
    static Path dataDir;

    @TempDir
    static Path rootDir;

    static BridgeServer server;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        // An empty stream root: bad input must be refused before any engine is needed.
        Path root = rootDir;
        Path main = Files.createDirectories(root.resolve("samples/build")).resolve("main");
        Files.writeString(main, "#!/bin/sh\nexit 0\n");
        main.toFile().setExecutable(true);
        ServerOptions options = ServerOptions.parse(
                new String[] {"--port=0", "--data-dir=" + dataDir.resolve("data"), "--stream-path=" + root}, Map.of());
        server = BridgeServer.start(options, AppHome.find());
        api = new ApiClient(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ObjectNode validTask() throws Exception {
        return (ObjectNode) ApiClient.JSON.readTree(
                ApiClient.task("1001", "rtsp://admin:secret@10.0.0.5:554/s1", 1, "http://127.0.0.1:8089/api/upload"));
    }

    static String mutate(java.util.function.Consumer<ObjectNode> change) {
        try {
            ObjectNode t = validTask();
            change.accept(t);
            return t.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode algorithm(ObjectNode t) {
        return (ObjectNode) t.get("Algorithm").get(0);
    }

    static Stream<Arguments> badCreates() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"TaskID\": \"1001\", ", "not valid JSON"),
                Arguments.of("empty body", "", "empty"),
                Arguments.of("not an object", "[1,2]", "JSON object"),
                Arguments.of("TaskID as number", mutate(t -> t.put("TaskID", 1001)), "TaskID"),
                Arguments.of("Type as string", mutate(t -> algorithm(t).put("Type", "1")), "Algorithm[0].Type"),
                Arguments.of("Algorithm not a list", mutate(t -> t.put("Algorithm", "tripwire")), "Algorithm"),
                Arguments.of("missing TaskID", mutate(t -> t.remove("TaskID")), "TaskID is missing"),
                Arguments.of("empty TaskID", mutate(t -> t.put("TaskID", "")), "TaskID is missing"),
                Arguments.of(
                        "missing Address",
                        mutate(t -> ((ObjectNode) t.get("InputSrc").get("StreamSrc")).remove("Address")),
                        "Address is missing"),
                Arguments.of("missing InputSrc", mutate(t -> t.remove("InputSrc")), "Address is missing"),
                Arguments.of("missing Algorithm", mutate(t -> t.remove("Algorithm")), "at least one algorithm"),
                Arguments.of("empty Algorithm", mutate(t -> t.putArray("Algorithm")), "at least one algorithm"),
                Arguments.of("missing Type", mutate(t -> algorithm(t).remove("Type")), "Type is missing"),
                Arguments.of("unknown Type", mutate(t -> algorithm(t).put("Type", 7)), "not a known algorithm type"),
                Arguments.of("missing Reporting", mutate(t -> t.remove("Reporting")), "ReportUrlList"),
                Arguments.of(
                        "empty ReportUrlList",
                        mutate(t -> ((ObjectNode) t.get("Reporting")).putArray("ReportUrlList")),
                        "ReportUrlList"),
                Arguments.of(
                        "empty report URL",
                        mutate(t -> ((ArrayNode) t.get("Reporting").get("ReportUrlList")).add("")),
                        "ReportUrlList[1] is empty"),
                Arguments.of(
                        "ftp report URL",
                        mutate(t -> ((ArrayNode) t.get("Reporting").get("ReportUrlList")).add("ftp://x/y")),
                        "ReportUrlList[1] is not an http or https URL"),
                Arguments.of("path traversal TaskID", mutate(t -> t.put("TaskID", "../../etc")), "TaskID must be"),
                Arguments.of("TaskID with space", mutate(t -> t.put("TaskID", "a b")), "TaskID must be"),
                Arguments.of("TaskID with dot", mutate(t -> t.put("TaskID", "a.b")), "TaskID must be"),
                Arguments.of("TaskID too long", mutate(t -> t.put("TaskID", "x".repeat(65))), "TaskID must be"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCreates")
    void badCreateIsRefusedClearly(String name, String body, String msgPart) throws Exception {
        ApiClient.Answer a = api.post("/task/create", body);
        assertEquals(200, a.status(), "HTTP 200 even on failure (application-web drops other bodies)");
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        assertNotEquals(0, a.code(), name);
        assertTrue(a.msg().contains(msgPart), name + ": " + a.msg());
        assertTrue(a.msg().endsWith("."), "one sentence: " + a.msg());
        assertTrue(!a.msg().contains("secret"), "no password in Msg");
        assertNothingWritten();
    }

    static ArrayNode list(ObjectNode t, String... path) {
        com.fasterxml.jackson.databind.JsonNode node = t;
        for (String p : path) {
            node = p.matches("\\d+") ? node.get(Integer.parseInt(p)) : node.get(p);
        }
        return (ArrayNode) node;
    }

    static Stream<Arguments> overLimits() {
        String wide = new String(Character.toChars(0x20000)); // 4 bytes in UTF-8
        return Stream.of(
                Arguments.of(
                        "900 algorithm entries",
                        mutate(t -> {
                            for (int i = 1; i < 900; i++) {
                                list(t, "Algorithm").add(algorithm(t).deepCopy());
                            }
                        }),
                        "Algorithm lists 900 entries; at most 8 per task."),
                Arguments.of(
                        "9 algorithm entries",
                        mutate(t -> {
                            for (int i = 1; i < 9; i++) {
                                list(t, "Algorithm").add(algorithm(t).deepCopy());
                            }
                        }),
                        "Algorithm lists 9 entries; at most 8 per task."),
                Arguments.of(
                        "17 report URLs",
                        mutate(t -> {
                            for (int i = 1; i < 17; i++) {
                                list(t, "Reporting", "ReportUrlList").add("http://10.0.0." + i + "/api/upload");
                            }
                        }),
                        "Reporting.ReportUrlList lists 17 URLs; at most 16 per task."),
                Arguments.of(
                        "17 DetectInfos",
                        mutate(t -> {
                            for (int i = 1; i < 17; i++) {
                                list(t, "Algorithm", "0", "DetectInfos")
                                        .add(list(t, "Algorithm", "0", "DetectInfos")
                                                .get(0)
                                                .deepCopy());
                            }
                        }),
                        "Algorithm[0].DetectInfos lists 17 entries; at most 16 per algorithm."),
                Arguments.of(
                        "65 HotArea points",
                        mutate(t -> {
                            ArrayNode area = list(t, "Algorithm", "0", "DetectInfos", "0", "HotArea");
                            for (int i = area.size(); i < 65; i++) {
                                area.addObject().put("X", i).put("Y", 0);
                            }
                        }),
                        "Algorithm[0].DetectInfos[0].HotArea lists 65 points; at most 64."),
                Arguments.of(
                        "257-character SrcID",
                        mutate(t -> ((ObjectNode) t.get("InputSrc")).put("SrcID", "s".repeat(257))),
                        "InputSrc.SrcID is 257 characters long; at most 256."),
                Arguments.of(
                        "256-byte TaskID",
                        mutate(t -> t.put("TaskID", wide.repeat(64))),
                        "TaskID is 256 bytes in UTF-8; at most 255 (the longest folder name)."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overLimits")
    void aRequestOverASizeLimitIsRefusedWithCode1001(String name, String body, String msg) throws Exception {
        ApiClient.Answer a = api.post("/task/create", body);
        assertEquals(200, a.status());
        assertEquals(1001, a.code(), name);
        assertEquals(msg, a.msg());
        assertNothingWritten();
        assertEquals(0, api.list().result().size(), "not in /task/list");
        // Under the tasks folder: the server's class-archive training run (data/cds/training) is
        // its own child, started at boot and still working on a slow machine.
        assertTrue(Children.under(dataDir.resolve("data/tasks")).isEmpty(), "no child process started");
    }

    /**
     * A server allowing 2 algorithm entries, with a fake sophon-stream root and real business-logic
     * processes: a finished task frees its slot, a full box refuses (1006) and writes nothing,
     * concurrent creates cannot race past the limit, and a delete makes room again.
     */
    @Test
    void maxTasksRefusesCreatesBeyondTheBoxAndADeleteMakesRoom(@TempDir Path tmp) throws Exception {
        Path root =
                FakeStreamRoot.create(tmp.resolve("sophon-stream"), AppHome.find(), "frames=3\npause_ms=50\nexit=0\n");
        Path tasks = tmp.resolve("data/tasks").toAbsolutePath();
        ServerOptions options = ServerOptions.parse(
                new String[] {"--port=0", "--data-dir=" + tmp.resolve("data"), "--stream-path=" + root, "--max-tasks=2"
                },
                Map.of());
        Duration start = Duration.ofSeconds(90);
        try (BridgeServer capped = BridgeServer.start(options, AppHome.find())) {
            ApiClient c = new ApiClient(capped.port());
            String url = "http://127.0.0.1:9/api/upload";
            // A file: its end finishes the task (a live source would be retried instead).
            String file = AppHome.find()
                    .resolve("../shared/testdata/vtest.avi")
                    .normalize()
                    .toString();
            assertEquals(
                    0,
                    c.post("/task/create", ApiClient.task("fin", file, 3, url)).code());
            Children.await("fin finished", start, () -> stateOf(c, "fin").equals("finished"));
            FakeStreamRoot.behave(root, "frames=0\npause_ms=200\n");

            assertEquals(
                    0,
                    c.post("/task/create", ApiClient.task("a", "rtsp://10.0.0.5/s1", 3, url))
                            .code(),
                    "a finished task holds no slot");
            ObjectNode wide =
                    (ObjectNode) ApiClient.JSON.readTree(ApiClient.task("wide", "rtsp://10.0.0.5/s1", 3, url));
            list(wide, "Algorithm").add(list(wide, "Algorithm").get(0).deepCopy());
            ApiClient.Answer tooWide = c.post("/task/create", wide.toString());
            assertEquals(1006, tooWide.code());
            assertEquals(
                    "This task needs 2 algorithm entries and the box has 1 free of 2 (--max-tasks=2).", tooWide.msg());

            // Four creates at once for the last slot: exactly one gets it.
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<ApiClient.Answer>> racing = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    String body = ApiClient.task("race" + i, "rtsp://10.0.0.5/s1", 3, url);
                    racing.add(pool.submit(() -> c.post("/task/create", body)));
                }
                int won = 0;
                for (Future<ApiClient.Answer> f : racing) {
                    ApiClient.Answer r = f.get();
                    if (r.code() == 0) {
                        won++;
                    } else {
                        assertEquals(1006, r.code(), r.msg());
                    }
                }
                assertEquals(1, won, "one create took the last slot");
            } finally {
                pool.shutdownNow();
            }

            ApiClient.Answer full = c.post("/task/create", ApiClient.task("late", "rtsp://10.0.0.5/s1", 3, url));
            assertEquals(1006, full.code());
            assertEquals("This task needs 1 algorithm entry and the box has 0 free of 2 (--max-tasks=2).", full.msg());
            ApiClient.Answer replace = c.post("/task/create", ApiClient.task("fin", file, 3, url));
            assertEquals(1006, replace.code(), "replacing a stopped task still needs a free slot");
            assertEquals("finished", stateOf(c, "fin"), "the refused replacement left the stopped task as it was");
            assertTrue(Files.isRegularFile(tasks.resolve("fin/task.json")));
            try (Stream<Path> s = Files.list(tasks)) {
                assertEquals(3, s.count(), "folders of fin, a and the race winner only");
            }
            assertEquals(3, c.list().result().size());
            assertTrue(Children.under(tasks.resolve("late")).isEmpty());
            assertEquals(2, c.get("/health").result().path("ActiveEntries").asInt());
            assertEquals(2, c.get("/health").result().path("MaxTasks").asInt());

            assertEquals(0, c.delete("a").code());
            assertEquals(
                    0,
                    c.post("/task/create", ApiClient.task("late", "rtsp://10.0.0.5/s1", 3, url))
                            .code(),
                    "a delete makes room");
            Children.await("late running", start, () -> stateOf(c, "late").equals("running"));
        }
    }

    private static String stateOf(ApiClient c, String id) {
        try {
            return c.query(id).result().path("State").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bodyOverOneMegabyteIsRefused() throws Exception {
        byte[] big = new byte[1024 * 1024 + 10];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        ApiClient.Answer a = api.post("/task/create", HttpRequest.BodyPublishers.ofByteArray(big));
        assertEquals(200, a.status());
        assertNotEquals(0, a.code());
        assertTrue(a.msg().contains("larger than 1 MB"), a.msg());
        assertNothingWritten();
        assertEquals(0, api.list().code(), "still serving");
    }

    @Test
    void queryAndDeleteOfUnknownOrInvalidTasks() throws Exception {
        ApiClient.Answer q = api.query("nope");
        assertEquals(200, q.status());
        assertNotEquals(0, q.code());
        assertEquals("Task nope does not exist.", q.msg());
        ApiClient.Answer d = api.delete("nope");
        assertNotEquals(0, d.code());
        assertEquals("Task nope does not exist.", d.msg());
        ApiClient.Answer missing = api.post("/task/query", "{}");
        assertNotEquals(0, missing.code());
        assertEquals("TaskID is missing.", missing.msg());
        ApiClient.Answer bad = api.post("/task/delete", "{\"TaskID\":\"../x\"}");
        assertNotEquals(0, bad.code());
        assertTrue(bad.msg().startsWith("TaskID must be"), bad.msg());
        ApiClient.Answer garbage = api.post("/task/delete", "{{");
        assertNotEquals(0, garbage.code());
    }

    @Test
    void listAndHealthOnAnEmptyServer() throws Exception {
        ApiClient.Answer list = api.post("/task/list", "{\"ignored\": true}");
        assertEquals(200, list.status());
        assertEquals(0, list.code());
        assertEquals("success", list.msg());
        assertTrue(list.result().isArray());
        assertEquals(0, api.get("/health").code());
    }

    private static void assertNothingWritten() throws Exception {
        try (Stream<Path> s = Files.list(dataDir.resolve("data/tasks"))) {
            assertEquals(0, s.count(), "no task folder left behind");
        }
        try (Stream<Path> s = Files.list(dataDir)) {
            assertEquals(
                    java.util.List.of("data"),
                    s.map(p -> p.getFileName().toString()).toList(),
                    "nothing outside the data folder");
        }
    }

    @Test
    void theDataFolderHoldingCameraPasswordsIsReadableByItsOwnerOnly() throws Exception {
        assertEquals(
                "rwx------",
                java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(dataDir.resolve("data"))));
    }
}
