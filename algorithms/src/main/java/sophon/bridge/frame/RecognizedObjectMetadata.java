package sophon.bridge.frame;

import java.util.List;

/**
 * One entry of {@code mRecognizedObjectMetadatas} (a plate's text in a sub-object, a classifier's
 * result).
 *
 * @param labelName  {@code mLabelName}, or null
 * @param scores     {@code mScores}
 * @param topKLabels {@code mTopKLabels}: class indices, best first
 */
public record RecognizedObjectMetadata(String labelName, List<Double> scores, List<Integer> topKLabels) {
    public RecognizedObjectMetadata {
        scores = List.copyOf(scores);
        topKLabels = List.copyOf(topKLabels);
    }
}
