package sophon.bridge.frame;

import java.util.List;

/**
 * One entry of {@code mDetectedObjectMetadatas}.
 *
 * @param box       {@code mBox}, as posted (not clamped; null when absent)
 * @param classify  {@code mClassify}
 * @param scores    {@code mScores}
 * @param labelName {@code mLabelName}, or null
 */
public record DetectedObjectMetadata(Box box, int classify, List<Double> scores, String labelName) {
    public DetectedObjectMetadata {
        scores = List.copyOf(scores);
    }

    /** The first score, or 1 when none is posted. */
    public double score() {
        return scores.isEmpty() ? 1.0 : scores.get(0);
    }
}
