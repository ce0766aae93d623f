package sophon.bridge.cpustream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection quality of the built-in CPU detectors on the shared videos, through the real process
 * and http_push (faces and tripwire events: ShippedGraphsTest, on the shipped templates).
 */
class QualityTest {

    @Test
    void peopleDetectorFindsSomeoneInAtLeast80PercentOfSampledVtestFrames(@TempDir Path dir) throws Exception {
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = new CpuStreamRun(dir)
                    .element(
                            5001,
                            "yolov5_group",
                            CpuStreamRun.JSON
                                    .createObjectNode()
                                    .put("model_path", "x.bmodel")
                                    .put("threshold_conf", 0.5))
                    .push(r);
            run.writeDemo(List.of(CpuStreamRun.video(0, "vtest.avi", 8, 1, -1)), r, null);
            run.start();
            assertEquals(0, run.await(180), run::log);
            // 795 frames, 1 in 8 sampled: frames 0, 8, ..., 792
            assertEquals(100, r.frames.size(), "every sampled frame is posted when no filter is in the graph");
            long withPerson = r.frames.stream()
                    .filter(f -> f.path("mDetectedObjectMetadatas").size() > 0)
                    .count();
            assertTrue(withPerson >= 80, "people found in " + withPerson + " of 100 sampled frames");
            JsonNode first = r.frames.get(0);
            JsonNode frame = first.get("mFrame");
            assertEquals(768, frame.get("mWidth").asInt());
            assertEquals(576, frame.get("mHeight").asInt());
            assertEquals(0, frame.get("mFrameId").asLong() % 8);
            byte[] jpeg = Base64.getDecoder().decode(frame.get("mSpData").asText());
            assertEquals((byte) 0xFF, jpeg[0]);
            assertEquals((byte) 0xD8, jpeg[1]);
            for (JsonNode f : r.frames) {
                for (JsonNode d : f.path("mDetectedObjectMetadatas")) {
                    assertEquals(0, d.get("mClassify").asInt());
                    assertEquals("person", d.get("mLabelName").asText());
                    assertTrue(d.get("mScores").get(0).asDouble() >= 0.5);
                    JsonNode b = d.get("mBox");
                    assertTrue(b.get("mX").asInt() >= 0
                            && b.get("mX").asInt() + b.get("mWidth").asInt() <= 768 + 8);
                }
            }
            assertTrue(run.log().contains("finished"), run::log);
        }
    }

    @Test
    void anOnnxModelNamedInTheConfigReplacesTheBuiltInDetector(@TempDir Path dir) throws Exception {
        Path onnx = sophon.bridge.cpustream.detect.OnnxYoloDetectorTest.model("fixed_yolov8.onnx");
        Path names = onnx.resolveSibling("classes.names");
        try (Receiver r = new Receiver()) {
            CpuStreamRun run = new CpuStreamRun(dir)
                    .element(
                            5001,
                            "yolov8_group",
                            CpuStreamRun.JSON
                                    .createObjectNode()
                                    .put("model_path", "x.bmodel")
                                    .put("onnx_model_path", onnx.toString())
                                    .put("class_names_file", names.toString())
                                    .put("input_size", 320)
                                    .put("threshold_conf", 0.5))
                    .push(r);
            run.writeDemo(List.of(CpuStreamRun.video(0, "Megamind.avi", 30, 1, -1)), r, null);
            run.start();
            assertEquals(0, run.await(60), run::log);
            assertEquals(9, r.frames.size());
            for (JsonNode f : r.frames) {
                JsonNode d = f.get("mDetectedObjectMetadatas");
                assertEquals(1, d.size(), f.toString().substring(0, 200));
                // 720x528 letterboxed into 320x320: scale 4/9, 42 px padding on top.
                assertEquals(
                        "{\"mX\":270,\"mY\":86,\"mWidth\":180,\"mHeight\":360}",
                        d.get(0).get("mBox").toString());
                assertEquals("person", d.get(0).get("mLabelName").asText());
            }
        }
    }
}
