package sophon.bridge.frame;

import java.util.List;

/**
 * One entry of {@code mPosedObjectMetadatas}: its {@code keypoints}, posted flat as
 * [x, y, score, …], as (x, y, score) triples (a trailing incomplete triple is dropped).
 */
public record Pose(List<Keypoint> keypoints) {
    public Pose {
        keypoints = List.copyOf(keypoints);
    }

    /** The bounding box of the keypoints scoring at least minScore, or null when none does. */
    public Box boundingBox(double minScore) {
        double x1 = Double.MAX_VALUE;
        double y1 = Double.MAX_VALUE;
        double x2 = -Double.MAX_VALUE;
        double y2 = -Double.MAX_VALUE;
        int n = 0;
        for (Keypoint k : keypoints) {
            if (k.score() >= minScore && k.score() > 0) {
                x1 = Math.min(x1, k.x());
                y1 = Math.min(y1, k.y());
                x2 = Math.max(x2, k.x());
                y2 = Math.max(y2, k.y());
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        int left = (int) Math.floor(x1);
        int top = (int) Math.floor(y1);
        return new Box(left, top, Math.max(1, (int) Math.ceil(x2) - left), Math.max(1, (int) Math.ceil(y2) - top));
    }

    public int validKeypoints(double minScore) {
        int n = 0;
        for (Keypoint k : keypoints) {
            if (k.score() >= minScore && k.score() > 0) {
                n++;
            }
        }
        return n;
    }

    /** Flat [x, y, score, …] as sophon-stream posts it, for Extend. */
    public double[] flat() {
        double[] out = new double[keypoints.size() * 3];
        for (int i = 0; i < keypoints.size(); i++) {
            Keypoint k = keypoints.get(i);
            out[i * 3] = k.x();
            out[i * 3 + 1] = k.y();
            out[i * 3 + 2] = k.score();
        }
        return out;
    }
}
