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
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.AppHome;

/**
 * Camera and report URLs with awkward passwords, through the shipped server (its own logback
 * config), real business-logic children and a test stream that prints and reports its source URL
 * as sophon-stream does: no API answer and no log file under the data folder holds a password.
 * task.json and the database hold the request by design (owner-only) and are not checked.
 */
class CredentialMaskingTest {
    static final Path HOME = AppHome.find();
    static final Duration RUNNING = Duration.ofSeconds(90);

    // Each password is made of fragments that appear nowhere else, so a partial leak shows too.
    static final String CAMERA_AT = "rtsp://admin:Pq7@Zr4:Wm2@10.0.0.5:554/s1";
    static final String CAMERA_SLASH_UPPER = "RTMP://pub:Kx3/Vn8%40Hy6@media.local:1935/app";
    static final String REPORT_USER = "rep:Gt5Rep";
    static final String DEAD_USER = "dead:Jb9Dead";
    static final List<String> SECRETS =
            List.of("Pq7", "Zr4", "Wm2", "Kx3", "Vn8", "Hy6", "Gt5Rep", "Jb9Dead", "Bq2Bare", "Fm6Ftp", "Ud4Udp");

    @TempDir
    Path tmp;

    ServerProcess server;
    WireMockServer receiver;

    @AfterEach
    void cleanup() throws Exception {
        if (server != null && server.process.isAlive()) {
            server.terminate();
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    @Test
    void noPasswordInAnswersOrLogs() throws Exception {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/api/upload")).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));
        String reportUrl = "http://" + REPORT_USER + "@127.0.0.1:" + receiver.port() + "/api/upload";
        String deadUrl = "http://" + DEAD_USER + "@127.0.0.1:" + ServerProcess.freePort() + "/api/upload";
        Path root =
                FakeStreamRoot.create(tmp.resolve("sophon-stream"), HOME, "frames=0\npause_ms=100\necho_source=true\n");
        Path data = tmp.resolve("data").toAbsolutePath();
        Path console = tmp.resolve("server-console.log");
        server = ServerProcess.startWithJvmOptions(
                HOME,
                data,
                root,
                ServerProcess.freePort(),
                console,
                List.of("-Dlogback.configurationFile=logback.xml"));
        ApiClient api = server.api;
        List<JsonNode> answers = new ArrayList<>();

        // Refused creates: the Msg quotes the input, masked.
        ApiClient.Answer bare =
                api.post("/task/create", task("mask-bare", "admin:Bq2Bare@192.168.1.10:554/h264", reportUrl));
        assertNotEquals(0, bare.code());
        assertTrue(bare.msg().contains("admin:***@192.168.1.10:554/h264"), bare.msg());
        ApiClient.Answer udp = api.post("/task/create", task("mask-udp", "udp://u:Ud4Udp@239.0.0.1:1234", reportUrl));
        assertNotEquals(0, udp.code());
        assertTrue(udp.msg().contains("udp://u:***@239.0.0.1:1234"), udp.msg());
        ApiClient.Answer ftp = api.post("/task/create", task("mask-ftp", CAMERA_AT, "ftp://f:Fm6Ftp@h/x"));
        assertNotEquals(0, ftp.code());
        answers.addAll(List.of(bare.body(), udp.body(), ftp.body()));

        // Running tasks: the dead report URL first, so its failure is recorded before the live one delivers.
        ApiClient.Answer at = api.post("/task/create", task("mask-at", CAMERA_AT, deadUrl, reportUrl));
        assertEquals(0, at.code(), at.msg());
        ApiClient.Answer slash = api.post("/task/create", task("mask-slash", CAMERA_SLASH_UPPER, reportUrl));
        assertEquals(0, slash.code(), slash.msg());
        answers.addAll(List.of(at.body(), slash.body()));

        try {
            Children.await("both running, errors reported, an alarm delivered", RUNNING, () -> {
                JsonNode a = counters(api, "mask-at");
                JsonNode s = counters(api, "mask-slash");
                return a.path("lastReportError").isTextual()
                        && s.path("lastReportError").isTextual()
                        && a.path("lastDeliveryError").isTextual()
                        && a.path("alarmsDelivered").asLong() > 0;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; tasks: " + api.list().result(), e);
        }
        assertFalse(
                receiver.findAll(postRequestedFor(urlEqualTo("/api/upload"))).isEmpty(),
                "the report URL with credentials works");
        JsonNode atView = api.query("mask-at").result();
        assertEquals("rtsp://admin:***@10.0.0.5:554/s1", atView.path("Address").asText());
        assertEquals(
                "RTMP://pub:***@media.local:1935/app",
                api.query("mask-slash").result().path("Address").asText());
        JsonNode atCounters = atView.path("Algorithms").get(0).path("Counters");
        assertEquals(
                "cannot open rtsp://admin:***@10.0.0.5:554/s1",
                atCounters.path("lastReportError").asText());
        assertTrue(
                atCounters.path("lastDeliveryError").asText().contains(" from http://dead:***@127.0.0.1:"),
                atCounters.path("lastDeliveryError").asText());
        answers.add(api.query("mask-at").body());
        answers.add(api.query("mask-slash").body());
        answers.add(api.list().body());
        for (JsonNode answer : answers) {
            assertNoSecret("API answer", answer.toString());
        }
        String metrics = api.getText("/metrics").body();
        assertTrue(metrics.contains("task_id=\"mask-at\""), metrics);
        assertNoSecret("GET /metrics", metrics);
        for (String host : List.of("10.0.0.5", "media.local", "127.0.0.1")) {
            assertFalse(metrics.contains(host), "GET /metrics names " + host);
        }

        // SIGTERM keeps the tasks and flushes every log; then every log file under the data folder.
        server.terminate();
        List<Path> logs;
        try (Stream<Path> files = Files.walk(data)) {
            logs = files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .toList();
        }
        assertTrue(logs.contains(data.resolve("logs/server.log")), "the shipped config writes server.log: " + logs);
        for (String id : List.of("mask-at", "mask-slash")) {
            for (String name : List.of("business-logic.log", "stream.log")) {
                assertTrue(
                        logs.contains(data.resolve("tasks/" + id + "/0-yolov5/" + name)),
                        id + " " + name + ": " + logs);
            }
        }
        String atStream = Files.readString(data.resolve("tasks/mask-at/0-yolov5/stream.log"));
        assertTrue(atStream.contains("opening rtsp://admin:***@10.0.0.5:554/s1"), "the stream printed its URL, masked");
        String atLogic = Files.readString(data.resolve("tasks/mask-at/0-yolov5/business-logic.log"));
        assertTrue(atLogic.contains("http://dead:***@127.0.0.1:"), "business logic logged the failing URL, masked");
        for (Path log : logs) {
            assertNoSecret(log.toString(), Files.readString(log, StandardCharsets.UTF_8));
        }
        assertNoSecret(console.toString(), Files.readString(console, StandardCharsets.UTF_8));
    }

    private static JsonNode counters(ApiClient api, String id) {
        try {
            return api.query(id).result().path("Algorithms").path(0).path("Counters");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            int i = text.indexOf(secret);
            assertTrue(
                    i < 0,
                    where + " holds " + secret + ": ..."
                            + text.substring(Math.max(0, i - 80), Math.min(text.length(), i + 40)) + "...");
        }
    }

    private static String task(String id, String address, String... reportUrls) throws Exception {
        ObjectNode t = (ObjectNode) ApiClient.JSON.readTree(ApiClient.task(id, address, 3, reportUrls[0]));
        ArrayNode urls = ((ObjectNode) t.get("Reporting")).putArray("ReportUrlList");
        for (String u : reportUrls) {
            urls.add(u);
        }
        return t.toString();
    }
}
