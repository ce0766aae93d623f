package sophon.bridge.logic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import sophon.bridge.logic.intake.AlarmBuilder;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.InputSrc;
import sophon.bridge.task.Reporting;
import sophon.bridge.task.StreamSrc;
import sophon.bridge.task.TaskRequest;

/** Frames, tasks and HTTP helpers shared by the business-logic tests. */
final class Fixtures {
    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static String scene;

    private Fixtures() {}

    /** A 640x360 JPEG, base64. */
    static synchronized String scene() {
        if (scene == null) {
            BufferedImage img = new BufferedImage(640, 360, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.ORANGE);
            g.fillRect(100, 100, 200, 100);
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                ImageIO.write(img, "jpeg", out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            scene = Base64.getEncoder().encodeToString(out.toByteArray());
        }
        return scene;
    }

    /** An http_push post of frame id with one person box per {x, y, w, h, trackId}. */
    static byte[] frame(long id, String image, int[]... boxes) {
        return frame(0, id, 640, 360, image, boxes);
    }

    /** The same for a channel and a frame size of choice. */
    static byte[] frame(int channel, long id, int width, int height, String image, int[]... boxes) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("mChannelId", channel);
        frame.put("mFrameId", id);
        frame.put("mTimestamp", id * 40_000);
        frame.put("mWidth", width);
        frame.put("mHeight", height);
        frame.put("mEndOfStream", false);
        frame.put("mSpData", image);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mFrame", frame);
        if (boxes.length > 0) {
            List<Object> detections = new ArrayList<>();
            List<Object> tracks = new ArrayList<>();
            for (int[] b : boxes) {
                detections.add(Map.of(
                        "mBox",
                        Map.of("mX", b[0], "mY", b[1], "mWidth", b[2], "mHeight", b[3]),
                        "mClassify",
                        0,
                        "mScores",
                        List.of(0.9),
                        "mLabelName",
                        "person"));
                tracks.add(Map.of("mTrackId", b[4]));
            }
            body.put("mDetectedObjectMetadatas", detections);
            body.put("mTrackedObjectMetadatas", tracks);
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A frame that alarms under {@link #everyFrame()}. */
    static byte[] alarmingFrame(long id) {
        return frame(id, scene(), new int[] {100, 100, 60, 120, 1});
    }

    /** yolov5 (type 3), persons, no dwell, an alarm per frame: one alarm per alarming frame. */
    static AlgorithmSpec everyFrame() {
        return new AlgorithmSpec(3, 1, 1, 1, 50.0, null, null, null);
    }

    static TaskRequest task(String id, AlgorithmSpec spec, List<String> urls) {
        return new TaskRequest(
                id,
                new InputSrc("cam-1", new StreamSrc("rtsp://admin:secret@10.0.0.5/s")),
                List.of(spec),
                new Reporting(urls));
    }

    static Options options(Path workDir, int port, Path alarmDir) {
        return new Options(
                "127.0.0.1",
                port,
                workDir.resolve("task.json"),
                0,
                workDir,
                10_000,
                Options.DEFAULT_OUTBOX_MAX_BYTES,
                alarmDir,
                Options.DEFAULT_MAX_BODY_BYTES,
                2,
                2_000,
                20,
                AlarmBuilder.DEFAULT_SUBMIT_WAIT_MS,
                false);
    }

    static Path writeTask(Path dir, TaskRequest task) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("task.json");
        JSON.writeValue(file.toFile(), task);
        return file;
    }

    static HttpResponse<String> post(int port, String path, byte[] body) throws IOException, InterruptedException {
        return post(port, path, body, Duration.ofSeconds(10));
    }

    static HttpResponse<String> post(int port, String path, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .timeout(timeout)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    static JsonNode counters(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/counters"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
