package sophon.bridge.cpustream.detect;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.HOGDescriptor;
import sophon.bridge.cpustream.frame.Detection;

/**
 * People (COCO class 0) with OpenCV's built-in HOG + linear SVM: no model download needed.
 * The SVM margin is mapped to 0..1 with 1 - e^-(margin) so that threshold_conf keeps its
 * meaning (0.5 keeps detections with a margin of about 0.7 and above).
 */
public final class HogPeopleDetector implements Detector {
    private final HOGDescriptor hog = new HOGDescriptor();
    private final double scale;
    private final double pyramidStep;

    /**
     * @param scale       the image is resized by this before detection (HOG's window is 64x128,
     *                    so people smaller than that need scale above 1)
     * @param pyramidStep scale step between pyramid levels; larger is faster and coarser
     */
    public HogPeopleDetector(double scale, double pyramidStep) {
        this.scale = scale;
        this.pyramidStep = pyramidStep;
        hog.setSVMDetector(new Mat(HOGDescriptor.getDefaultPeopleDetector()));
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        Mat input = bgr;
        Mat scaled = null;
        if (scale != 1.0) {
            scaled = new Mat();
            resize(bgr, scaled, new Size(), scale, scale, INTER_LINEAR);
            input = scaled;
        }
        List<Detection> out = new ArrayList<>();
        try (RectVector rects = new RectVector();
                DoublePointer weights = new DoublePointer()) {
            if (input.cols() < 64 || input.rows() < 128) {
                return out;
            }
            hog.detectMultiScale(input, rects, weights, 0, new Size(8, 8), new Size(0, 0), pyramidStep, 2, false);
            for (int i = 0; i < rects.size(); i++) {
                Rect r = rects.get(i);
                double w = i < weights.limit() ? weights.get(i) : 0;
                float score = (float) (1 - Math.exp(-Math.max(0, w)));
                // HOG boxes carry a margin around the person; trim it so boxes hug the body.
                int x = (int) Math.round(r.x() / scale), y = (int) Math.round(r.y() / scale);
                int bw = (int) Math.round(r.width() / scale), bh = (int) Math.round(r.height() / scale);
                int padX = bw / 8, padY = bh / 16;
                out.add(new Detection(x + padX, y + padY, bw - 2 * padX, bh - 2 * padY, 0, score, "person"));
            }
        } finally {
            if (scaled != null) {
                scaled.release();
            }
        }
        return out;
    }

    @Override
    public void close() {
        hog.close();
    }
}
