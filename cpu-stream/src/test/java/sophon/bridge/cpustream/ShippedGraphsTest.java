package sophon.bridge.cpustream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.streamconfig.BuiltConfig;
import sophon.bridge.streamconfig.ConfigRequest;
import sophon.bridge.streamconfig.ConfigSetBuilder;
import sophon.bridge.streamconfig.Endpoint;
import sophon.bridge.streamconfig.FillProfile;
import sophon.bridge.streamconfig.StreamRoot;
import sophon.bridge.task.TaskRequest;

/**
 * The shipped stream-graphs templates, generated exactly as the server does (ConfigSetBuilder
 * with cpu-stream/root as the stream root), run unchanged on cpu-stream.
 */
class ShippedGraphsTest {
    private static final Path HOME = Path.of(System.getProperty("sophon.bridge.home", ".."))
            .toAbsolutePath()
            .normalize();

    private static BuiltConfig build(Path dir, Receiver r, String taskJson, String template, FillProfile profile)
            throws Exception {
        TaskRequest task = CpuStreamRun.JSON.readValue(taskJson, TaskRequest.class);
        ConfigSetBuilder builder = new ConfigSetBuilder(HOME.resolve("stream-graphs"), AlgorithmRegistry.load());
        ConfigRequest req = new ConfigRequest(
                task,
                0,
                dir.resolve("0-algo"),
                new StreamRoot(HOME.resolve("cpu-stream/root"), false),
                new Endpoint("127.0.0.1", r.port(), "/push"),
                null);
        return template == null ? builder.build(req) : builder.build(req, template, profile);
    }

    private static String task(
            int type, String video, int detectInterval, int trackInterval, int alarmInterval, String detectInfos) {
        return "{\"TaskID\":\"t1\",\"InputSrc\":{\"SrcID\":\"cam\",\"StreamSrc\":{\"Address\":\""
                + CpuStreamRun.TESTDATA.resolve(video) + "\"}},"
                + "\"Algorithm\":[{\"Type\":" + type + ",\"TrackInterval\":" + trackInterval + ",\"DetectInterval\":"
                + detectInterval
                + ",\"AlarmInterval\":" + alarmInterval
                + ",\"threshold\":50,\"TargetSize\":{\"MinDetect\":30,\"MaxDetect\":250},"
                + "\"DetectInfos\":" + detectInfos + ",\"Extend\":{\"LoopNum\":1}}],"
                + "\"Reporting\":{\"ReportUrlList\":[\"http://127.0.0.1:1/api/upload\"]}}";
    }

    private static CpuStreamRun runIn(BuiltConfig built) throws Exception {
        // The one change to the generated set: the template paces files at 25 fps; unpaced, the
        // test takes a fraction of the time and sees the same frames.
        Path demo = built.algorithmDir().resolve(built.demoConfigArgument());
        com.fasterxml.jackson.databind.node.ObjectNode json =
                (com.fasterxml.jackson.databind.node.ObjectNode) CpuStreamRun.JSON.readTree(demo.toFile());
        for (JsonNode c : json.get("channels")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) c).put("fps", -1);
        }
        CpuStreamRun.JSON.writeValue(demo.toFile(), json);
        CpuStreamRun run = CpuStreamRun.existing(built.algorithmDir(), built.demoConfigArgument());
        run.start();
        return run;
    }

    @Test
    void tripwireTemplateRaisesLineCrossingEventsOnVtest(@TempDir Path dir) throws Exception {
        int lineX = 400;
        String wire = "[{\"TripWire\":{\"LineStart\":{\"X\":" + lineX + ",\"Y\":60},\"LineEnd\":{\"X\":" + lineX
                + ",\"Y\":570}," + "\"DirectStart\":{\"X\":0,\"Y\":0},\"DirectEnd\":{\"X\":0,\"Y\":0}}}]";
        try (Receiver r = new Receiver()) {
            BuiltConfig built = build(dir, r, task(1, "vtest.avi", 3, 1, 1000, wire), null, null);
            CpuStreamRun run = runIn(built);
            assertEquals(0, run.await(200), run::log);
            Map<Integer, Integer> events = new HashMap<>();
            for (JsonNode f : r.frames) {
                JsonNode dets = f.get("mDetectedObjectMetadatas"), trk = f.get("mTrackedObjectMetadatas");
                assertEquals(dets.size(), trk.size(), "detections and tracks correspond by index");
                for (int i = 0; i < dets.size(); i++) {
                    JsonNode b = dets.get(i).get("mBox");
                    assertTrue(
                            b.get("mX").asInt() <= lineX
                                    && b.get("mX").asInt() + b.get("mWidth").asInt() >= lineX,
                            "only boxes touching the line are reported: " + b);
                    events.merge(trk.get(i).get("mTrackId").asInt(), 1, Integer::sum);
                }
            }
            // The tripwire plugin leaves TrackInterval/AlarmInterval to the business logic, so the filter
            // forwards every sampled frame in which a tracked person touches the line: people walking
            // across the square give many distinct tracks, each on a few consecutive frames only.
            assertTrue(events.size() >= 5, "tripwire events per track: " + events);
            assertTrue(events.values().stream().allMatch(n -> n <= 30), "tripwire events per track: " + events);
        }
    }

    @Test
    void yolov5AndYolov8TemplatesReportTrackedPeople(@TempDir Path dir) throws Exception {
        for (int type : new int[] {3, 4}) {
            try (Receiver r = new Receiver()) {
                BuiltConfig built =
                        build(dir.resolve("t" + type), r, task(type, "vtest.avi", 16, 0, 1, "null"), null, null);
                CpuStreamRun run = runIn(built);
                assertEquals(0, run.await(120), run::log);
                // filter type 2 (class + area): every sampled frame with a tracked person goes on.
                assertTrue(
                        r.frames.size() >= 30,
                        "type " + type + ": " + r.frames.size() + " of 50 sampled frames had tracked people");
                JsonNode f = r.frames.get(r.frames.size() - 1);
                assertEquals(
                        f.get("mDetectedObjectMetadatas").size(),
                        f.get("mTrackedObjectMetadatas").size());
                assertEquals(
                        0,
                        f.get("mDetectedObjectMetadatas")
                                .get(0)
                                .get("mClassify")
                                .asInt());
            }
        }
    }

    @Test
    void retinafaceTemplateFindsTheFaceOnMegamind(@TempDir Path dir) throws Exception {
        try (Receiver r = new Receiver()) {
            BuiltConfig built =
                    build(dir, r, task(3, "Megamind.avi", 6, 0, 1, "null"), "retinaface", FillProfile.recognition());
            CpuStreamRun run = runIn(built);
            assertEquals(0, run.await(120), run::log);
            assertEquals(45, r.frames.size(), "no filter in this graph: every sampled frame is posted");
            long withFace =
                    r.frames.stream().filter(f -> f.has("mFaceObjectMetadata")).count();
            assertTrue(withFace >= 0.7 * 45, withFace + " of 45 frames");
        }
    }

    @Test
    void plateAndPoseTemplatesAreRefusedByElementName(@TempDir Path dir) throws Exception {
        for (int type : new int[] {2, 5, 16}) {
            try (Receiver r = new Receiver()) {
                BuiltConfig built =
                        build(dir.resolve("t" + type), r, task(type, "vtest.avi", 3, 0, 1, "null"), null, null);
                CpuStreamRun run = runIn(built);
                assertEquals(Main.BAD_CONFIG, run.await(60), run::log);
                String log = run.log();
                assertTrue(log.contains("cannot run on the CPU: "), log);
                assertTrue(
                        type == 5 ? log.contains("openpose_group (element") : log.contains("lprnet_group (element"),
                        log);
                Thread.sleep(200);
                assertTrue(r.reported("PARSE_CONFIGURE_FAIL"), "type " + type + " reported " + r.reports);
            }
        }
    }
}
