package sophon.bridge.alert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.frame.FaceObjectMetadata;
import sophon.bridge.frame.FrameMetadata;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadata;
import sophon.bridge.frame.Pose;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.DetectInfo;
import sophon.bridge.task.Point;
import sophon.bridge.task.TargetSize;
import sophon.bridge.task.TripWire;

/** Builders for scripted frame sequences. */
final class Scripts {
    static final int W = 1920;
    static final int H = 1080;

    private Scripts() {}

    static AlgorithmSpec spec(
            int type, int track, int detect, int alarm, double threshold, TargetSize size, List<DetectInfo> infos) {
        return new AlgorithmSpec(type, track, detect, alarm, threshold, size, infos, null);
    }

    static DetectInfo area(double... xy) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i + 1 < xy.length; i += 2) {
            points.add(new Point(xy[i], xy[i + 1]));
        }
        TripWire none = new TripWire(new Point(0, 0), new Point(0, 0), new Point(0, 0), new Point(0, 0));
        return new DetectInfo(none, points);
    }

    static DetectInfo wire(double x1, double y1, double x2, double y2, double dx1, double dy1, double dx2, double dy2) {
        return new DetectInfo(
                new TripWire(new Point(x1, y1), new Point(x2, y2), new Point(dx1, dy1), new Point(dx2, dy2)),
                List.of(new Point(0, 0), new Point(W, 0), new Point(W, H), new Point(0, H)));
    }

    static DetectedObject person(int x, int y, int w, int h, long track) {
        return new DetectedObject(0, new Box(x, y, w, h), 0, 0.9, "person", track, null);
    }

    static DetectedObject object(int x, int y, int w, int h, int cls, double score, long track) {
        return new DetectedObject(0, new Box(x, y, w, h), cls, score, "c" + cls, track, null);
    }

    static DetectedObject plate(int x, int y, String text, double score) {
        return new DetectedObject(0, new Box(x, y, 120, 40), 0, score, "plate", -1, text);
    }

    static FrameResult frame(long id, DetectedObject... objects) {
        return new FrameResult(ObjectMetadata.of(frameMetadata(id)), Arrays.asList(objects), 0, System.nanoTime());
    }

    static FrameResult poseFrame(long id, Pose... poses) {
        return new FrameResult(
                ObjectMetadata.of(frameMetadata(id)).withPosed(Arrays.asList(poses)), List.of(), 0, System.nanoTime());
    }

    static FrameResult faceFrame(long id, FaceObjectMetadata... faces) {
        return new FrameResult(
                ObjectMetadata.of(frameMetadata(id)).withFaces(Arrays.asList(faces)), List.of(), 0, System.nanoTime());
    }

    /** Frame id on channel 0 of a W x H source, one frame per 40 ms. */
    static FrameMetadata frameMetadata(long id) {
        return new FrameMetadata(0, id, id * 40_000, W, H, false, Base64Image.of("/9j/AA=="));
    }

    /** Frame ids (one per call) at which the logic returned a non-empty list. */
    static List<Long> alarmsOver(AlertLogic logic, List<FrameResult> frames) {
        List<Long> out = new ArrayList<>();
        for (FrameResult f : frames) {
            if (!logic.onFrame(f).isEmpty()) {
                out.add(f.frameId());
            }
        }
        return out;
    }
}
