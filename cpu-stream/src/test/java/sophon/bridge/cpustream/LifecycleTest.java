package sophon.bridge.cpustream;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, stop, pacing, looping, run-time channels and back-pressure of the real process. */
class LifecycleTest {

    private static void waitFor(java.util.function.BooleanSupplier cond, long millis, String what)
            throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void sigtermStopsAnEndlessChannelCleanlyWithExitCodeZero(@TempDir Path dir) throws Exception {
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = new CpuStreamRun(dir).push(r);
            run.writeDemo(List.of(CpuStreamRun.video(0, "Megamind.avi", 6, 0, 24)), r, null);
            Process p = run.start();
            waitFor(() -> r.frames.size() >= 3, 30_000, "first frames");
            p.destroy(); // SIGTERM
            assertEquals(0, run.await(20), run::log);
            assertTrue(run.log().contains("SIGTERM received"), run::log);
        }
    }

    @Test
    void fpsPacesAFileAndLoopNumReplaysIt(@TempDir Path dir) throws Exception {
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = new CpuStreamRun(dir).push(r);
            // Megamind.avi has 270 frames; two plays at 270 fps take about 2 s, unpaced far less.
            run.writeDemo(List.of(CpuStreamRun.video(0, "Megamind.avi", 30, 2, 270)), r, null);
            long t0 = System.nanoTime();
            run.start();
            assertEquals(0, run.await(60), run::log);
            // http_push drops (and counts) frames when the receiver is slow, as it must: on a busy
            // machine the test receiver may be, so what was posted plus what was dropped is 2 x 9.
            java.util.regex.Matcher pushed = java.util.regex.Pattern.compile(
                            "http_push channel 0: (\\d+) frame\\(s\\) posted, (\\d+) dropped")
                    .matcher(run.log());
            assertTrue(pushed.find(), run::log);
            int posted = Integer.parseInt(pushed.group(1));
            assertEquals(
                    18, posted + Integer.parseInt(pushed.group(2)), () -> "2 plays x 9 sampled frames\n" + run.log());
            assertEquals(posted, r.frames.size(), run::log);
            assertTrue(posted >= 12, () -> "most sampled frames reach a receiver that keeps up\n" + run.log());
            long ids = r.frames.stream()
                    .map(f -> f.get("mFrame").get("mFrameId").asLong())
                    .distinct()
                    .count();
            assertEquals(posted, ids, "frame ids keep increasing across plays");
            assertTrue(run.log().contains("finished after 540 decoded frame(s)"), run::log);
            assertTrue((System.nanoTime() - t0) / 1e9 >= 1.9, "paced to fps");
        }
    }

    @Test
    void imageFolderIsPlayedInNameOrder(@TempDir Path dir) throws Exception {
        Path imgs = Files.createDirectories(dir.resolve("imgs"));
        for (int i = 0; i < 3; i++) {
            try (var m = new org.bytedeco.opencv.opencv_core.Mat(
                    48 + i * 16,
                    64,
                    org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                    new org.bytedeco.opencv.opencv_core.Scalar(40 * i, 90, 200, 0))) {
                imwrite(imgs.resolve("img" + i + ".png").toString(), m);
            }
        }
        Files.writeString(imgs.resolve("notes.txt"), "not an image");
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = new CpuStreamRun(dir).push(r);
            run.writeDemo(
                    List.of(Map.of("channel_id", 0, "url", "imgs", "source_type", "IMG_DIR", "loop_num", 1, "fps", -1)),
                    r,
                    null);
            run.start();
            assertEquals(0, run.await(30), run::log);
            waitFor(() -> r.frames.size() == 3, 5000, "3 frames");
            List<Integer> heights = r.frames.stream()
                    .map(f -> f.get("mFrame").get("mHeight").asInt())
                    .sorted()
                    .toList();
            assertEquals(List.of(48, 64, 80), heights);
        }
    }

    @Test
    void slowReceiverMakesHttpPushDropFramesWithoutBlockingDecode(@TempDir Path dir) throws Exception {
        try (Receiver r = new Receiver()) {
            r.slowDown(400);
            CpuStreamRun run = new CpuStreamRun(dir)
                    .element(
                            9000,
                            "http_push",
                            CpuStreamRun.JSON
                                    .createObjectNode()
                                    .put("ip", "127.0.0.1")
                                    .put("port", r.port())
                                    .put("path", "/push")
                                    .put("queue_size", 2));
            run.writeDemo(List.of(CpuStreamRun.video(0, "Megamind.avi", 1, 1, -1)), r, null);
            long t0 = System.nanoTime();
            run.start();
            assertEquals(0, run.await(60), run::log);
            String log = run.log();
            assertTrue(log.contains("too slow"), log);
            assertTrue(r.reported("DATA_PIPE_FULL"), "reported " + r.reports);
            // 270 frames at 400 ms each would take 108 s if decode waited for the receiver.
            assertTrue((System.nanoTime() - t0) / 1e9 < 40, "decode was not held back by the receiver");
            assertTrue(r.frames.size() < 270 && r.frames.size() >= 2, "posted " + r.frames.size());
        }
    }

    @Test
    void httpListenAddsAndStopsChannelsAtRunTime(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = new CpuStreamRun(dir).push(r);
            run.writeDemo(List.of(), r, port);
            Process p = run.start();
            HttpClient http = HttpClient.newHttpClient();
            URI add = URI.create("http://127.0.0.1:" + port + "/stream/addChannel");
            String channel = "{\"channel_id\":5,\"url\":\"" + CpuStreamRun.TESTDATA.resolve("Megamind.avi")
                    + "\",\"source_type\":\"VIDEO\","
                    + "\"sample_interval\":6,\"fps\":24,\"loop_num\":0,\"graph_id\":0,\"decode_id\":-1,\"sample_strategy\":\"DROP\"}";
            JsonNode answer = null;
            for (int i = 0; i < 100 && answer == null; i++) {
                try {
                    answer = CpuStreamRun.JSON.readTree(http.send(
                                    HttpRequest.newBuilder(add)
                                            .POST(HttpRequest.BodyPublishers.ofString(channel))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
                } catch (java.io.IOException notYetListening) {
                    Thread.sleep(100);
                }
            }
            assertEquals(0, answer.get("code").asInt(), answer.toString());
            assertEquals("success", answer.get("msg").asText());
            waitFor(() -> r.frames.size() >= 2, 30_000, "frames of the added channel");
            assertEquals(5, r.frames.get(0).get("mFrame").get("mChannelId").asInt());

            JsonNode twice = CpuStreamRun.JSON.readTree(http.send(
                            HttpRequest.newBuilder(add)
                                    .POST(HttpRequest.BodyPublishers.ofString(channel))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertEquals(1, twice.get("code").asInt());
            assertTrue(twice.get("msg").asText().contains("already running"));

            URI stop = URI.create("http://127.0.0.1:" + port + "/stream/stopChannel");
            JsonNode stopped = CpuStreamRun.JSON.readTree(http.send(
                            HttpRequest.newBuilder(stop)
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"channel_id\":5,\"graph_id\":0,\"decode_id\":-1}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertEquals(0, stopped.get("code").asInt(), stopped.toString());
            // Its only channel stopped, the pipeline ends by itself.
            assertEquals(0, run.await(20), run::log);
            assertFalse(p.isAlive());
        }
    }

    @Test
    void base64ChannelTakesImagesPostedToItsPort(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        byte[] png;
        try (var m = new org.bytedeco.opencv.opencv_core.Mat(
                90,
                120,
                org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                new org.bytedeco.opencv.opencv_core.Scalar(10, 200, 30, 0))) {
            Path tmp = dir.resolve("x.png");
            imwrite(tmp.toString(), m);
            png = Files.readAllBytes(tmp);
        }
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = new CpuStreamRun(dir).push(r);
            run.writeDemo(
                    List.of(Map.of(
                            "channel_id",
                            0,
                            "url",
                            "/base64",
                            "source_type",
                            "BASE64",
                            "base64_port",
                            port,
                            "loop_num",
                            1)),
                    r,
                    null);
            Process p = run.start();
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + port + "/base64");
            String body = "{\"data\":\"" + java.util.Base64.getEncoder().encodeToString(png) + "\"}";
            JsonNode answer = null;
            for (int i = 0; i < 100 && answer == null; i++) {
                try {
                    answer = CpuStreamRun.JSON.readTree(http.send(
                                    HttpRequest.newBuilder(uri)
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
                } catch (java.io.IOException notYetListening) {
                    Thread.sleep(100);
                }
            }
            assertEquals("success", answer.get("status").asText(), answer.toString());
            JsonNode bad = CpuStreamRun.JSON.readTree(http.send(
                            HttpRequest.newBuilder(uri)
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"image\":1}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertEquals("error", bad.get("status").asText());
            http.send(
                    HttpRequest.newBuilder(uri)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            waitFor(() -> r.frames.size() == 2, 20_000, "2 posted images as frames");
            assertEquals(120, r.frames.get(0).get("mFrame").get("mWidth").asInt());
            p.destroy();
            assertEquals(0, run.await(20), run::log);
        }
    }

    @Test
    void aLiveSourceThatEndsIsReconnectedAndReported(@TempDir Path dir) throws Exception {
        byte[] video = Files.readAllBytes(CpuStreamRun.TESTDATA.resolve("Megamind.avi"));
        java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer camera = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 4);
        camera.createContext("/live.avi", ex -> {
            connections.incrementAndGet();
            ex.sendResponseHeaders(200, video.length);
            try (var os = ex.getResponseBody()) {
                os.write(video);
            }
        });
        camera.start();
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = new CpuStreamRun(dir).push(r);
            run.writeDemo(
                    List.of(Map.of(
                            "channel_id",
                            0,
                            "url",
                            "http://127.0.0.1:" + camera.getAddress().getPort() + "/live.avi",
                            "source_type",
                            "HTTP",
                            "sample_interval",
                            30,
                            "fps",
                            -1)),
                    r,
                    null);
            Process p = run.start("-Dcpustream.backoff.first.ms=100");
            // The second session's last frames may still be on their way when the third opens.
            waitFor(
                    () -> connections.get() >= 3 && r.frames.size() >= 18,
                    30_000,
                    "the stream to be reopened twice, with the frames of two sessions pushed");
            p.destroy();
            assertEquals(0, run.await(20), run::log);
            assertTrue(run.log().contains("reconnected"), run.log());
            assertTrue(r.reported("STREAM_END"), "reported " + r.reports);
            assertTrue(r.frames.size() >= 18, "frames from at least two sessions: " + r.frames.size());
        } finally {
            camera.stop(0);
        }
    }

    @Test
    void keepStrategyPassesUnsampledFramesOnWithoutDetection(@TempDir Path dir) throws Exception {
        // The first quarter of vtest.avi (about 200 frames) keeps JPEG-encoding every frame cheap.
        byte[] whole = Files.readAllBytes(CpuStreamRun.TESTDATA.resolve("vtest.avi"));
        Files.write(dir.resolve("part.avi"), java.util.Arrays.copyOf(whole, whole.length / 4));
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = new CpuStreamRun(dir)
                    .element(
                            5001,
                            "yolov5_group",
                            CpuStreamRun.JSON.createObjectNode().put("threshold_conf", 0.3))
                    .element(
                            9000,
                            "http_push",
                            CpuStreamRun.JSON
                                    .createObjectNode()
                                    .put("ip", "127.0.0.1")
                                    .put("port", r.port())
                                    .put("path", "/push")
                                    .put("queue_size", 400));
            run.writeDemo(
                    List.of(Map.of(
                            "channel_id",
                            0,
                            "url",
                            "part.avi",
                            "source_type",
                            "VIDEO",
                            "sample_interval",
                            10,
                            "sample_strategy",
                            "KEEP",
                            "loop_num",
                            1,
                            "fps",
                            -1)),
                    r,
                    null);
            run.start();
            assertEquals(0, run.await(120), run::log);
            long decoded = Long.parseLong(run.log().replaceAll("(?s).*finished after (\\d+) decoded.*", "$1"));
            assertTrue(decoded > 100, "decoded " + decoded);
            waitFor(() -> r.frames.size() == decoded, 10_000, "every frame posted");
            long sampledWithPeople = 0;
            for (JsonNode f : r.frames) {
                boolean sampled = f.get("mFrame").get("mFrameId").asLong() % 10 == 0;
                if (!sampled) {
                    assertFalse(f.has("mDetectedObjectMetadatas"), "detectors leave KEEP frames alone");
                } else if (f.has("mDetectedObjectMetadatas")) {
                    sampledWithPeople++;
                }
            }
            assertTrue(
                    sampledWithPeople >= 0.75 * (decoded / 10),
                    "people on " + sampledWithPeople + " sampled frames of " + decoded);
        }
    }
}
