package sophon.bridge.cpustream.detect;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_dnn.readNetFromONNX;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_dnn.Net;
import sophon.bridge.cpustream.frame.Detection;

/**
 * A YOLO ONNX export run through OpenCV DNN: letterbox to the square input, 1/255 scaling,
 * BGR to RGB, then decode the export's layout — YOLOv5/YOLOX-style [1, N, 5+C] (box, objectness,
 * class scores) or YOLOv8-style [1, 4+C, N] (box, class scores) — and per-class NMS.
 */
public final class OnnxYoloDetector implements Detector {
    private final Net net;
    private final int inputSize;
    private final float confThreshold;
    private final float nmsThreshold;
    private final List<String> classNames;
    private final boolean attributesFirst;

    /**
     * @param attributesFirst true for the YOLOv8 export layout [1, 4+C, N], false for YOLOv5/YOLOX [1, N, 5+C]
     */
    public OnnxYoloDetector(
            String modelPath,
            int inputSize,
            float confThreshold,
            float nmsThreshold,
            List<String> classNames,
            boolean attributesFirst) {
        this.net = readNetFromONNX(modelPath);
        if (net.empty()) {
            throw new IllegalArgumentException("OpenCV DNN could not load ONNX model " + modelPath);
        }
        this.inputSize = inputSize;
        this.confThreshold = confThreshold;
        this.nmsThreshold = nmsThreshold;
        this.classNames = classNames;
        this.attributesFirst = attributesFirst;
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        double r = Math.min((double) inputSize / bgr.cols(), (double) inputSize / bgr.rows());
        int nw = (int) Math.round(bgr.cols() * r), nh = (int) Math.round(bgr.rows() * r);
        int padX = (inputSize - nw) / 2, padY = (inputSize - nh) / 2;
        Mat resized = new Mat(), boxed = new Mat();
        resize(bgr, resized, new Size(nw, nh), 0, 0, INTER_LINEAR);
        copyMakeBorder(
                resized,
                boxed,
                padY,
                inputSize - nh - padY,
                padX,
                inputSize - nw - padX,
                BORDER_CONSTANT,
                new Scalar(114, 114, 114, 0));
        Mat blob = blobFromImage(
                boxed,
                1 / 255.0,
                new Size(inputSize, inputSize),
                new Scalar(0, 0, 0, 0),
                true,
                false,
                org.bytedeco.opencv.global.opencv_core.CV_32F);
        List<Detection> raw = new ArrayList<>();
        try {
            net.setInput(blob);
            Mat out = net.forward();
            if (out.dims() != 3) {
                throw new IllegalStateException("unexpected ONNX output with " + out.dims()
                        + " dimensions; expected [1, N, 5+C] or [1, 4+C, N]");
            }
            int a = out.size(1), b = out.size(2);
            boolean v8 = attributesFirst;
            int n = v8 ? b : a, attrs = v8 ? a : b;
            // Read the raw tensor: OpenCV's Mat indexers assume 2-D, this output is [1, a, b].
            float[] t = new float[a * b];
            try (FloatPointer fp = new FloatPointer(out.data())) {
                fp.capacity(t.length).get(t);
            }
            for (int i = 0; i < n; i++) {
                float cx = at(t, v8, n, attrs, i, 0),
                        cy = at(t, v8, n, attrs, i, 1),
                        w = at(t, v8, n, attrs, i, 2),
                        h = at(t, v8, n, attrs, i, 3);
                float obj = v8 ? 1f : at(t, v8, n, attrs, i, 4);
                int first = v8 ? 4 : 5;
                int best = -1;
                float bestScore = 0;
                for (int c = first; c < attrs; c++) {
                    float s = at(t, v8, n, attrs, i, c);
                    if (s > bestScore) {
                        bestScore = s;
                        best = c - first;
                    }
                }
                float score = obj * bestScore;
                if (best < 0 || score < confThreshold) {
                    continue;
                }
                int x = (int) Math.round((cx - w / 2 - padX) / r), y = (int) Math.round((cy - h / 2 - padY) / r);
                int bw = (int) Math.round(w / r), bh = (int) Math.round(h / r);
                Rect clipped = clip(x, y, bw, bh, bgr.cols(), bgr.rows());
                if (clipped == null) {
                    continue;
                }
                String label = best < classNames.size() ? classNames.get(best) : Integer.toString(best);
                raw.add(new Detection(clipped.x(), clipped.y(), clipped.width(), clipped.height(), best, score, label));
            }
            out.release();
        } finally {
            resized.release();
            boxed.release();
            blob.release();
        }
        return Nms.apply(raw, nmsThreshold);
    }

    private static float at(float[] t, boolean v8, int n, int attrs, int i, int attr) {
        return v8 ? t[attr * n + i] : t[i * attrs + attr];
    }

    private static Rect clip(int x, int y, int w, int h, int cols, int rows) {
        int x0 = Math.max(0, x), y0 = Math.max(0, y), x1 = Math.min(cols, x + w), y1 = Math.min(rows, y + h);
        return x1 - x0 < 1 || y1 - y0 < 1 ? null : new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    @Override
    public void close() {
        net.close();
    }
}
