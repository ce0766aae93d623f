package sophon.bridge.cpustream.detect;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sophon.bridge.cpustream.frame.Detection;

/**
 * The ONNX path through OpenCV DNN with the fixed-output models of src/test/resources/onnx
 * (see make_models.py): letterbox mapping back to frame pixels, threshold, NMS, both layouts.
 */
public class OnnxYoloDetectorTest {
    public static Path model(String name) throws Exception {
        return Path.of(OnnxYoloDetectorTest.class.getResource("/onnx/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixed_yolov5.onnx", "fixed_yolov8.onnx"})
    void boxesAreMappedBackThroughTheLetterboxAndFiltered(String file) throws Exception {
        try (OnnxYoloDetector d = new OnnxYoloDetector(
                        model(file).toString(), 320, 0.5f, 0.5f, List.of("person", "bicycle"), file.contains("v8"));
                Mat frame = new Mat(576, 768, CV_8UC3, new Scalar(50, 60, 70, 0))) {
            List<Detection> found = d.detect(frame);
            // 768x576 -> scale 320/768, 320x240 content, 40 px padding above and below.
            assertEquals(1, found.size(), found.toString());
            Detection a = found.get(0);
            assertEquals(288, a.x());
            assertEquals(96, a.y());
            assertEquals(192, a.width());
            assertEquals(384, a.height());
            assertEquals(0, a.classId());
            assertEquals("person", a.label());
            assertEquals(0.81, a.score(), 1e-5);
        }
    }
}
