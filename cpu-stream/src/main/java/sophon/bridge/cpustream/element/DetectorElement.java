package sophon.bridge.cpustream.element;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import sophon.bridge.cpustream.detect.Detector;
import sophon.bridge.cpustream.frame.Detection;
import sophon.bridge.cpustream.frame.Frame;
import sophon.bridge.frame.FaceObjectMetadata;

/**
 * A detector group element (yolov5_group, retinaface_group, ...): detects inside the optional
 * roi, keeps boxes at or above the confidence threshold and writes them either as detections
 * or, for face elements, as mFaceObjectMetadata entries.
 */
public final class DetectorElement implements Element {
    /** A rectangle roi {left, top, width, height} in frame pixels. */
    public record Roi(int left, int top, int width, int height) {}

    private final Detector detector;
    private final float threshold;
    private final Roi roi;
    private final boolean facesOutput;

    public DetectorElement(Detector detector, float threshold, Roi roi, boolean facesOutput) {
        this.detector = detector;
        this.threshold = threshold;
        this.roi = roi;
        this.facesOutput = facesOutput;
    }

    @Override
    public void process(Frame frame, Consumer<Frame> out) {
        if (!frame.endOfStream() && !frame.skipped() && frame.mat() != null) {
            List<Detection> found = detectInRoi(frame.mat());
            List<Detection> kept = new ArrayList<>();
            for (Detection d : found) {
                if (d.score() >= threshold) {
                    kept.add(d);
                }
            }
            if (facesOutput) {
                List<FaceObjectMetadata> faces = new ArrayList<>();
                for (Detection d : kept) {
                    faces.add(new FaceObjectMetadata(
                            d.y(), d.bottom(), d.x(), d.right(), List.of(), List.of(), d.decimalScore()));
                }
                frame.setFaces(faces);
            } else {
                frame.setDetections(kept);
            }
        }
        out.accept(frame);
    }

    private List<Detection> detectInRoi(Mat image) {
        if (roi == null) {
            return detector.detect(image);
        }
        int x0 = clamp(roi.left(), image.cols()), y0 = clamp(roi.top(), image.rows());
        int x1 = clamp(roi.left() + roi.width(), image.cols()), y1 = clamp(roi.top() + roi.height(), image.rows());
        if (x1 - x0 < 2 || y1 - y0 < 2) {
            return List.of();
        }
        Mat crop = new Mat(image, new Rect(x0, y0, x1 - x0, y1 - y0));
        try {
            List<Detection> inCrop = detector.detect(crop);
            List<Detection> shifted = new ArrayList<>(inCrop.size());
            for (Detection d : inCrop) {
                shifted.add(d.offset(x0, y0));
            }
            return shifted;
        } finally {
            crop.release();
        }
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    @Override
    public void close() {
        detector.close();
    }
}
