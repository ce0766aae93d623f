package sophon.bridge.logic;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.task.TaskRequest;

/** Every kind of bad post is counted and answered, and none kills the process or makes a bad alarm. */
class BadInputTest {
    @TempDir
    static Path dir;

    private static WireMockServer receiver;
    private static LogicProcess process;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/api/upload")).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));
        TaskRequest task = Fixtures.task(
                "1001", Fixtures.everyFrame(), List.of("http://127.0.0.1:" + receiver.port() + "/api/upload"));
        Fixtures.writeTask(dir, task);
        process = LogicProcess.start(
                Fixtures.options(dir, 0, dir.resolve("alarms")),
                task,
                AlgorithmRegistry.load().plugin(3).orElseThrow());
        port = process.port();
    }

    @AfterAll
    static void stop() {
        process.close();
        receiver.stop();
    }

    private static int postFrame(String body) throws Exception {
        return Fixtures.post(port, "/frames", body.getBytes(StandardCharsets.UTF_8))
                .statusCode();
    }

    private static long rejected() {
        return process.counters().framesRejected.sum();
    }

    @Test
    void healthAndCounters() throws Exception {
        HttpResponse<String> health = Fixtures.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        JsonNode counters = Fixtures.counters(port);
        for (String key : List.of(
                "framesReceived",
                "framesPerSecond",
                "framesWithDetections",
                "alarmsProduced",
                "alarmsDelivered",
                "alarmsFailed",
                "alarmsQueued",
                "alarmsDropped",
                "lastReportError",
                "lastReportErrorAt")) {
            assertTrue(counters.has(key), key);
        }
        assertEquals(
                405,
                Fixtures.HTTP
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/frames"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
    }

    @Test
    void malformedPostsAreCountedAndAnswered400() throws Exception {
        long before = rejected();
        assertEquals(400, postFrame("this is not json"));
        assertEquals(400, postFrame("{\"mDetectedObjectMetadatas\": []}"));
        assertEquals(
                400, postFrame("{\"mFrame\": {\"mWidth\": 640, \"mHeight\": 360, \"mSpData\": \"iVBORw0KGgo=\"}}"));
        assertEquals(400, postFrame("{\"mFrame\": {\"mWidth\": -1, \"mHeight\": 360}}"));
        assertEquals(400, postFrame("{\"mFrame\": "));
        assertEquals(before + 5, rejected());
    }

    @Test
    void boxesOutsideTheFrameOrNegativeMakeNoEvent() throws Exception {
        long produced = process.counters().alarmsProduced.sum();
        byte[] outside =
                Fixtures.frame(1000, Fixtures.scene(), new int[] {700, 400, 50, 50, 3}, new int[] {10, 10, -5, 40, 4});
        assertEquals(200, Fixtures.post(port, "/frames", outside).statusCode());
        Thread.sleep(200);
        assertEquals(produced, process.counters().alarmsProduced.sum(), "nothing valid to alarm about");
    }

    @Test
    void brokenBase64MakesNoAlarmAndAValidFrameAfterwardsStillDoes() throws Exception {
        long notBuilt = process.counters().alarmsNotBuilt.sum();
        long produced = process.counters().alarmsProduced.sum();
        assertEquals(
                200,
                Fixtures.post(port, "/frames", Fixtures.frame(2000, "/9j/%%%%broken", new int[] {100, 100, 60, 120, 1}))
                        .statusCode());
        Fixtures.await(
                "not built", 5000, () -> process.counters().alarmsNotBuilt.sum() >= notBuilt + 1);
        assertEquals(
                200,
                Fixtures.post(port, "/frames", Fixtures.alarmingFrame(2001)).statusCode());
        Fixtures.await("produced", 5000, () -> process.counters().alarmsProduced.sum() >= produced + 1);
        Fixtures.await(
                "delivered",
                5000,
                () -> receiver.getAllServeEvents().stream()
                        .anyMatch(e -> e.getRequest().getBodyAsString().contains("\"FrameIndex\":2001")));
        assertTrue(receiver.getAllServeEvents().stream()
                .noneMatch(e -> e.getRequest().getBodyAsString().contains("\"FrameIndex\":2000")));
        // and the optional alarm folder holds the same alarm as a JSON file
        try (Stream<Path> files = Files.list(dir.resolve("alarms"))) {
            Path file = files.filter(f -> f.getFileName().toString().startsWith("1001_2001_"))
                    .findFirst()
                    .orElseThrow();
            JsonNode alarm = Fixtures.JSON.readTree(file.toFile());
            assertEquals(Fixtures.scene(), alarm.get("SceneImageBase64").asText());
        }
    }

    @Test
    void a50MegabyteBodyIsRefusedWithoutHarm() throws Exception {
        long before = rejected();
        HttpURLConnection c = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/frames").toURL().openConnection();
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setFixedLengthStreamingMode(50L * 1024 * 1024);
        int status;
        try {
            try (OutputStream out = c.getOutputStream()) {
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < 50; i++) {
                    out.write(chunk);
                }
            }
            status = c.getResponseCode();
        } catch (IOException e) {
            status = 413; // the server may close the connection before reading it all
        }
        assertEquals(413, status);
        assertEquals(before + 1, rejected());
        assertEquals(
                200,
                Fixtures.post(port, "/frames", Fixtures.frame(3000, Fixtures.scene()))
                        .statusCode(),
                "still serving");
    }

    @Test
    void errorPostsFromHttpReportAreCountedAndShown() throws Exception {
        assertEquals(
                200,
                Fixtures.post(port, "/errors", "{\"error\": \"DECODE_CHANNEL_PIPE_FULL\"}".getBytes())
                        .statusCode());
        JsonNode counters = Fixtures.counters(port);
        assertEquals("DECODE_CHANNEL_PIPE_FULL", counters.get("lastReportError").asText());
        assertTrue(counters.get("lastReportErrorAt").asText().contains("T"));
        assertTrue(counters.get("errorsReceived").asInt() >= 1);
        long framesRejected = rejected();
        long errorPostsRejected = process.counters().errorPostsRejected.sum();
        assertEquals(400, Fixtures.post(port, "/errors", "nope".getBytes()).statusCode());
        assertEquals(
                400,
                Fixtures.post(port, "/errors", "{\"message\": \"no error field\"}".getBytes())
                        .statusCode());
        int tooLarge;
        try {
            tooLarge = Fixtures.post(port, "/errors", new byte[128 * 1024]).statusCode();
        } catch (IOException e) {
            tooLarge = 413; // the server may close the connection before reading it all
        }
        assertEquals(413, tooLarge);
        assertEquals(framesRejected, rejected(), "a malformed error post is not a rejected frame");
        assertEquals(
                errorPostsRejected + 3, process.counters().errorPostsRejected.sum());
        assertEquals(
                errorPostsRejected + 3,
                Fixtures.counters(port).get("errorPostsRejected").asLong());
        // an error post sent to the frame path is not a frame
        assertEquals(
                400,
                Fixtures.post(port, "/frames", "{\"error\": \"DATA_PIPE_FULL\"}".getBytes())
                        .statusCode());
    }

    @Test
    void framesAreCounted() throws Exception {
        long received = process.counters().framesReceived.sum();
        long detections = process.counters().framesWithDetections.sum();
        assertEquals(
                200,
                Fixtures.post(port, "/frames", Fixtures.frame(4000, Fixtures.scene()))
                        .statusCode());
        assertEquals(
                200,
                Fixtures.post(port, "/frames", Fixtures.frame(4001, Fixtures.scene(), new int[] {1, 1, 5, 5, 9}))
                        .statusCode());
        assertEquals(received + 2, process.counters().framesReceived.sum());
        assertEquals(detections + 1, process.counters().framesWithDetections.sum());
    }
}
