package sophon.bridge.server.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.BridgeServer;
import sophon.bridge.server.ServerOptions;

/**
 * The operator's snapshot and recent alarms with real parts: the server, real business-logic
 * children fed JPEG frames by the test stream over http_push, WireMock receiving the alarms, and
 * cpu-stream's one-shot grab (FFmpeg) for a task whose stream posts no frames.
 */
class SnapshotEndToEndTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @TempDir
    static Path tmp;

    static WireMockServer receiver;
    static Path root;
    static BridgeServer server;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/api/upload")).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));
        root = FakeStreamRoot.create(tmp.resolve("sophon-stream"), EndToEndTest.HOME, "frames=0\npause_ms=100\n");
        server = BridgeServer.start(
                ServerOptions.parse(
                        new String[] {
                            "--port=0", "--data-dir=" + tmp.resolve("data"), "--stream-path=" + root, "--max-tasks=8"
                        },
                        Map.of()),
                EndToEndTest.HOME);
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

    private static String report() {
        return "http://127.0.0.1:" + receiver.port() + "/api/upload";
    }

    private static void createRunning(String id, String address, String behaviour) throws Exception {
        FakeStreamRoot.behave(root, behaviour);
        ApiClient.Answer created = api.post("/task/create", ApiClient.task(id, address, 3, report()));
        assertEquals(0, created.code(), created.msg());
        Children.await(id + " running", EndToEndTest.START, () -> state(id).equals("running"));
    }

    private static long framesReceived(String id) {
        try {
            return api.query(id)
                    .result()
                    .path("Algorithms")
                    .get(0)
                    .path("Counters")
                    .path("framesReceived")
                    .asLong();
        } catch (IOException | NullPointerException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static String state(String id) {
        try {
            return api.query(id).result().path("State").asText();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static boolean isJpeg(byte[] b) {
        return b.length > 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8;
    }

    @Test
    void snapshotOfAStreamingTaskIsTheFrameHttpPushPosted() throws Exception {
        createRunning("snap-1", "rtsp://admin:secret@10.0.0.5:554/stream1", "frames=0\npause_ms=100\n");
        Children.await("frames counted", EndToEndTest.START, () -> framesReceived("snap-1") > 0);
        HttpResponse<byte[]> r = get("/task/snapshot?TaskID=snap-1");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("stream", r.headers().firstValue("X-Snapshot-Source").orElse(""));
        assertTrue(isJpeg(r.body()), "starts with FF D8");
        assertEquals(0, api.delete("snap-1").code());
    }

    @Test
    void anUnknownTaskIs404WithTheApisJson() throws Exception {
        for (String path : new String[] {
            "/task/snapshot?TaskID=nope",
            "/task/alarms?TaskID=nope",
            "/task/alarms/0000000000001-1-scene.jpg?TaskID=nope"
        }) {
            HttpResponse<byte[]> r = get(path);
            assertEquals(404, r.statusCode(), path);
            JsonNode body = ApiClient.JSON.readTree(r.body());
            assertEquals(1002, body.path("Code").asInt(), path);
            assertTrue(body.path("Msg").asText().contains("nope"), path);
        }
    }

    @Test
    void aQuietStreamShowsAFrameGrabbedFromTheSourceAndAFailedGrabIsMasked() throws Exception {
        // One frame at start, then silence (as a filter element passes only frames with events).
        String quiet = "frames=0\npause_ms=600000\n";
        createRunning("snap-grab", EndToEndTest.VTEST.toString(), quiet);
        createRunning("snap-dead", "rtsp://admin:secret@127.0.0.1:9/none", quiet);
        Thread.sleep(3500); // the one frame is older than "current"
        HttpResponse<byte[]> r = get("/task/snapshot?TaskID=snap-grab");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("grab", r.headers().firstValue("X-Snapshot-Source").orElse(""));
        assertTrue(isJpeg(r.body()), "starts with FF D8");

        HttpResponse<byte[]> dead = get("/task/snapshot?TaskID=snap-dead");
        assertEquals(503, dead.statusCode());
        String text = new String(dead.body(), StandardCharsets.UTF_8);
        JsonNode body = ApiClient.JSON.readTree(text);
        assertEquals(1005, body.path("Code").asInt(), text);
        assertTrue(body.path("Msg").asText().contains("rtsp://admin:***@127.0.0.1:9/none"), text);
        assertFalse(text.contains("secret"), text);
        assertEquals(0, api.delete("snap-grab").code());
        assertEquals(0, api.delete("snap-dead").code());
    }

    @Test
    void recentAlarmsListTheirImagesByUrlAndRefuseOtherPaths() throws Exception {
        createRunning("snap-alarms", "rtsp://10.0.0.7/stream", "frames=0\npause_ms=100\n");
        JsonNode[] alarms = new JsonNode[1];
        Children.await("a recent alarm", Duration.ofSeconds(60), () -> {
            try {
                HttpResponse<byte[]> r = get("/task/alarms?TaskID=snap-alarms&limit=5");
                alarms[0] = ApiClient.JSON.readTree(r.body()).path("Result").path("Alarms");
                return r.statusCode() == 200 && alarms[0].size() >= 1;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        JsonNode alarm = alarms[0].get(0);
        assertEquals("snap-alarms", alarm.path("TaskID").asText());
        assertTrue(alarm.path("FrameIndex").asLong() >= 0);
        assertTrue(alarm.path("Time").asLong() > 0);
        JsonNode event = alarm.path("Events").get(0);
        assertEquals(3, event.path("Type").asInt());
        assertTrue(event.path("Box").has("LeftTopX"), alarm.toString());
        assertTrue(event.path("Extend").has("TrackId"), alarm.toString());
        for (String url : new String[] {
            alarm.path("SceneImageUrl").asText(), event.path("ImageUrl").asText()
        }) {
            HttpResponse<byte[]> image = get(url);
            assertEquals(200, image.statusCode(), url);
            assertEquals(
                    "image/jpeg", image.headers().firstValue("Content-Type").orElse(""));
            assertTrue(isJpeg(image.body()), url);
        }
        assertEquals(400, get("/task/alarms?TaskID=snap-alarms&limit=0").statusCode());

        // Hostile names: never a file outside the listing.
        Path taskJson = tmp.resolve("data/tasks/snap-alarms/task.json");
        assertTrue(Files.exists(taskJson));
        for (String path : new String[] {
            "/task/alarms/..%2F..%2Ftask.json?TaskID=snap-alarms",
            "/task/alarms/%2E%2E?TaskID=snap-alarms",
            "/task/alarms/task.json?TaskID=snap-alarms",
            "/task/alarms/9999999999999-1-scene.jpg?TaskID=snap-alarms"
        }) {
            HttpResponse<byte[]> r = get(path);
            assertNotEquals(200, r.statusCode(), path);
            assertFalse(new String(r.body(), StandardCharsets.UTF_8).contains("InputSrc"), path);
        }
        String raw = rawGet("/task/alarms/../../tasks/snap-alarms/task.json?TaskID=snap-alarms");
        assertFalse(raw.startsWith("HTTP/1.1 200"), raw);
        assertFalse(raw.contains("InputSrc"), raw);
        assertEquals(0, api.delete("snap-alarms").code());
    }

    /** A request line as written, with no client normalising the path. */
    private static String rawGet(String target) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
