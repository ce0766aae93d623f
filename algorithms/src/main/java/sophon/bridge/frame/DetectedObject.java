package sophon.bridge.frame;

/**
 * One detection of a frame with what the other lists say about it (they correspond by index).
 *
 * @param index     position in {@code mDetectedObjectMetadatas}
 * @param box       clamped to the frame
 * @param classId   {@code mClassify}
 * @param score     first of {@code mScores}, or 1 when absent
 * @param label     {@code mLabelName}, or null
 * @param trackId   {@code mTrackedObjectMetadatas[index].mTrackId}, or -1 when untracked
 * @param plateText {@code mSubObjectMetadatas[index].mRecognizedObjectMetadatas[0].mLabelName}, or null
 */
public record DetectedObject(
        int index, Box box, int classId, double score, String label, long trackId, String plateText) {

    public boolean tracked() {
        return trackId >= 0;
    }
}
