package sophon.bridge.cpustream.element;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sophon.bridge.cpustream.detect.CascadeDetector;
import sophon.bridge.cpustream.detect.HogPeopleDetector;
import sophon.bridge.cpustream.frame.Detection;
import sophon.bridge.cpustream.frame.Frame;

/** The built-in detectors on a real vtest.avi frame: roi, threshold, skipped frames, face output. */
class DetectorElementTest {
    private static Mat image;

    @BeforeAll
    static void grabFrame() throws Exception {
        Path video = Path.of(System.getProperty("sophon.bridge.home", ".."))
                .resolve("../shared/testdata/vtest.avi")
                .normalize();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toString());
                OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            for (int i = 0; i < 40; i++) {
                g.grabImage();
            }
            image = conv.convert(g.grabImage()).clone();
        }
    }

    @AfterAll
    static void release() {
        image.release();
    }

    private static Frame run(DetectorElement el, boolean skipped) {
        Frame f = new Frame(0, 40, 0, image.cols(), image.rows(), false, skipped, 0, 0, image.clone());
        List<Frame> out = new ArrayList<>();
        el.process(f, out::add);
        assertEquals(1, out.size());
        return out.get(0);
    }

    @Test
    void peopleInsideTheRoiOnlyInFrameCoordinates() {
        List<Detection> all = run(new DetectorElement(new HogPeopleDetector(1.0, 1.1), 0.3f, null, false), false)
                .detections();
        assertTrue(all.size() >= 2, "people on frame 40: " + all);
        DetectorElement.Roi roi = new DetectorElement.Roi(384, 0, 384, 576);
        List<Detection> right = run(new DetectorElement(new HogPeopleDetector(1.0, 1.1), 0.3f, roi, false), false)
                .detections();
        assertFalse(right.isEmpty(), "people in the right half: " + all);
        for (Detection d : right) {
            assertTrue(d.x() >= 384 && d.right() <= 768 + 8, "box in frame pixels inside the roi: " + d);
        }
        assertTrue(right.size() < all.size());
    }

    @Test
    void thresholdAndSkippedFramesAreHonoured() {
        List<Detection> low = run(new DetectorElement(new HogPeopleDetector(1.0, 1.1), 0.3f, null, false), false)
                .detections();
        List<Detection> high = run(new DetectorElement(new HogPeopleDetector(1.0, 1.1), 0.95f, null, false), false)
                .detections();
        assertTrue(high.size() < low.size(), low + " vs " + high);
        for (Detection d : high) {
            assertTrue(d.score() >= 0.95f);
        }
        assertTrue(run(new DetectorElement(new HogPeopleDetector(1.0, 1.1), 0.3f, null, false), true)
                .detections()
                .isEmpty());
    }

    @Test
    void shippedCascadesLoadAndFaceElementsWriteFaces() {
        Frame f = run(new DetectorElement(CascadeDetector.faces(), 0f, null, true), false);
        assertTrue(f.detections().isEmpty(), "face elements report in mFaceObjectMetadata only");
        try (CascadeDetector plates = CascadeDetector.plates()) {
            for (Detection d : plates.detect(image)) {
                assertEquals("license_plate", d.label());
            }
        }
    }
}
