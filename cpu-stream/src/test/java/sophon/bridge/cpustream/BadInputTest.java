package sophon.bridge.cpustream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives a clear error, an http_report where the graph is up, and the right exit code; nothing hangs. */
class BadInputTest {

    private static CpuStreamRun pushOnly(Path dir, Receiver r) throws Exception {
        return new CpuStreamRun(dir).push(r);
    }

    @Test
    void missingDemoConfigIsAConfigError(@TempDir Path dir) throws Exception {
        CpuStreamRun run = new CpuStreamRun(dir);
        run.start();
        assertEquals(Main.BAD_CONFIG, run.await(30));
        assertTrue(run.log().contains("demo config") && run.log().contains("does not exist"), run::log);
    }

    @Test
    void malformedGraphIsAConfigError(@TempDir Path dir) throws Exception {
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = pushOnly(dir, r);
            run.writeDemo(List.of(CpuStreamRun.video(0, "vtest.avi", 1, 1, -1)), r, null);
            Files.writeString(
                    dir.resolve("config/engine_group.json"), "[{\"graph_id\":0,\"elements\":[{\"element_id\":1,");
            run.start();
            assertEquals(Main.BAD_CONFIG, run.await(30));
            assertTrue(run.log().contains("engine config") && run.log().contains("not valid JSON"), run::log);
        }
    }

    @Test
    void connectionToAMissingElementIsAConfigError(@TempDir Path dir) throws Exception {
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = pushOnly(dir, r);
            run.writeDemo(List.of(CpuStreamRun.video(0, "vtest.avi", 1, 1, -1)), r, null);
            Path engine = dir.resolve("config/engine_group.json");
            Files.writeString(
                    engine, Files.readString(engine).replace("\"dst_element_id\" : 9000", "\"dst_element_id\" : 4242"));
            run.start();
            assertEquals(Main.BAD_CONFIG, run.await(30));
            assertTrue(run.log().contains("names an element that does not exist"), run::log);
        }
    }

    @Test
    void tpuOnlyElementsAreRefusedByName(@TempDir Path dir) throws Exception {
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = new CpuStreamRun(dir)
                    .element(5001, "yolov5_group", CpuStreamRun.JSON.createObjectNode())
                    .element(5006, "lprnet_group", CpuStreamRun.JSON.createObjectNode())
                    .element(5007, "openpose_group", CpuStreamRun.JSON.createObjectNode())
                    .push(r);
            run.writeDemo(List.of(CpuStreamRun.video(0, "vtest.avi", 1, 1, -1)), r, null);
            run.start();
            assertEquals(Main.BAD_CONFIG, run.await(30));
            String log = run.log();
            assertTrue(
                    log.contains("cannot run on the CPU: lprnet_group (element 5006")
                            && log.contains("openpose_group (element 5007"),
                    log);
            assertTrue(!log.contains("yolov5_group (element"), log);
            Thread.sleep(300);
            assertTrue(r.reported("PARSE_CONFIGURE_FAIL"), "reported " + r.reports);
        }
    }

    @Test
    void onnxModelThatDoesNotExistIsAConfigError(@TempDir Path dir) throws Exception {
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = new CpuStreamRun(dir)
                    .element(
                            5001,
                            "yolov8_group",
                            CpuStreamRun.JSON.createObjectNode().put("onnx_model_path", "models/yolov8n.onnx"))
                    .push(r);
            run.writeDemo(List.of(CpuStreamRun.video(0, "vtest.avi", 1, 1, -1)), r, null);
            run.start();
            assertEquals(Main.BAD_CONFIG, run.await(30));
            assertTrue(
                    run.log().contains("onnx_model_path " + dir.resolve("models/yolov8n.onnx") + " does not exist"),
                    run::log);
        }
    }

    @Test
    void missingVideoFileFailsTheChannelAndIsReported(@TempDir Path dir) throws Exception {
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = pushOnly(dir, r);
            run.writeDemo(
                    List.of(Map.of(
                            "channel_id", 3, "url", "videos/nothing.mp4", "source_type", "VIDEO", "loop_num", 1)),
                    r,
                    null);
            run.start();
            assertEquals(Main.CHANNEL_FAILED, run.await(30));
            assertTrue(
                    run.log().contains("video file " + dir.resolve("videos/nothing.mp4") + " does not exist"),
                    run::log);
            assertTrue(r.reported("ERR_FFMPEG_INPUT_CTX_OPEN"), "reported " + r.reports);
            assertEquals(3, r.reports.get(0).get("channel_id").asInt());
        }
    }

    @Test
    void corruptVideoFailsTheChannel(@TempDir Path dir) throws Exception {
        byte[] junk = new byte[200_000];
        new Random(7).nextBytes(junk);
        Files.write(dir.resolve("junk.avi"), junk);
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = pushOnly(dir, r);
            run.writeDemo(
                    List.of(Map.of(
                            "channel_id", 0, "url", "junk.avi", "source_type", "VIDEO", "loop_num", 1, "fps", -1)),
                    r,
                    null);
            run.start();
            assertEquals(Main.CHANNEL_FAILED, run.await(60));
            assertTrue(run.log().contains("junk.avi"), run::log);
            assertEquals(0, r.frames.size());
        }
    }

    @Test
    void truncatedVideoPlaysWhatIsThereAndEnds(@TempDir Path dir) throws Exception {
        byte[] whole = Files.readAllBytes(CpuStreamRun.TESTDATA.resolve("vtest.avi"));
        Files.write(dir.resolve("cut.avi"), java.util.Arrays.copyOf(whole, whole.length / 4));
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = pushOnly(dir, r);
            run.writeDemo(
                    List.of(Map.of(
                            "channel_id",
                            0,
                            "url",
                            "cut.avi",
                            "source_type",
                            "VIDEO",
                            "loop_num",
                            1,
                            "fps",
                            -1,
                            "sample_interval",
                            10)),
                    r,
                    null);
            run.start();
            assertEquals(0, run.await(60), run::log);
            assertTrue(
                    r.frames.size() > 5 && r.frames.size() < 80,
                    "frames posted from a quarter of the file: " + r.frames.size());
        }
    }

    @Test
    void unreachableRtspIsRetriedWithBackoffThenFails(@TempDir Path dir) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = pushOnly(dir, r);
            run.writeDemo(
                    List.of(Map.of(
                            "channel_id",
                            0,
                            "url",
                            "rtsp://admin:secret@127.0.0.1:" + closedPort + "/live",
                            "source_type",
                            "RTSP")),
                    r,
                    null);
            run.start("-Dcpustream.backoff.first.ms=100", "-Dcpustream.backoff.initial.attempts=3");
            assertEquals(Main.CHANNEL_FAILED, run.await(60), run::log);
            String log = run.log();
            assertTrue(log.contains("retrying in 100 ms") && log.contains("retrying in 200 ms"), log);
            assertTrue(!log.contains("secret"), "credentials are masked: " + log);
            assertEquals(
                    3,
                    r.reports.stream()
                            .filter(x -> x.path("error").asText().equals("ERR_FFMPEG_INPUT_CTX_OPEN"))
                            .count());
        }
    }

    @Test
    void rtspServerThatAcceptsButNeverAnswersTimesOut(@TempDir Path dir) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
                Receiver r = new Receiver()) {
            Thread sink = new Thread(() -> {
                try {
                    while (true) {
                        var s = silent.accept();
                        InputStream in = s.getInputStream();
                        OutputStream ignored = s.getOutputStream();
                        new Thread(() -> {
                                    try {
                                        in.transferTo(OutputStream.nullOutputStream());
                                    } catch (Exception e) {
                                        /* closed */
                                    }
                                })
                                .start();
                    }
                } catch (Exception e) {
                    // server closed at the end of the test
                }
            });
            sink.setDaemon(true);
            sink.start();
            CpuStreamRun run = pushOnly(dir, r);
            run.writeDemo(
                    List.of(Map.of(
                            "channel_id",
                            0,
                            "url",
                            "rtsp://127.0.0.1:" + silent.getLocalPort() + "/live",
                            "source_type",
                            "RTSP")),
                    r,
                    null);
            run.start(
                    "-Dcpustream.backoff.first.ms=100",
                    "-Dcpustream.backoff.initial.attempts=2",
                    "-Dcpustream.io.timeout.ms=1000");
            long t0 = System.nanoTime();
            assertEquals(Main.CHANNEL_FAILED, run.await(60), run::log);
            assertTrue((System.nanoTime() - t0) / 1e9 < 20, "reads time out instead of hanging");
            assertTrue(r.reported("ERR_FFMPEG_INPUT_CTX_OPEN"), "reported " + r.reports);
        }
    }
}
