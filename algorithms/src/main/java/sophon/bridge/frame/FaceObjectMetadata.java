package sophon.bridge.frame;

import java.util.List;

/**
 * One entry of {@code mFaceObjectMetadata} (retinaface): the face's edges in frame pixels, its
 * landmarks (five for retinaface; none from a cascade detector) and its score.
 *
 * @param pointsX {@code points_x}
 * @param pointsY {@code points_y}
 */
public record FaceObjectMetadata(
        int top, int bottom, int left, int right, List<Double> pointsX, List<Double> pointsY, double score) {
    public FaceObjectMetadata {
        pointsX = List.copyOf(pointsX);
        pointsY = List.copyOf(pointsY);
    }

    /** The face as a box (left, top, width, height), not clamped; null when it has no area. */
    public Box box() {
        return right > left && bottom > top ? new Box(left, top, right - left, bottom - top) : null;
    }
}
