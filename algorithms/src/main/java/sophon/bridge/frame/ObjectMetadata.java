package sophon.bridge.frame;

import java.util.ArrayList;
import java.util.List;

/**
 * One frame's ObjectMetadata, the body of an http_push post ({@code ../shared/spec/sophon-stream.md},
 * "Results"), field for field. The lists keep the contract's order: detections, tracks and
 * sub-objects correspond by index. An absent key reads as an empty list (http_push leaves empty
 * lists out). Read by {@link ObjectMetadataReader}, written by {@link ObjectMetadataWriter}. Immutable.
 *
 * @param frame      {@code mFrame}; null only in a sub-object that has none
 * @param detected   {@code mDetectedObjectMetadatas}
 * @param tracked    {@code mTrackedObjectMetadatas}
 * @param recognized {@code mRecognizedObjectMetadatas}
 * @param posed      {@code mPosedObjectMetadatas}
 * @param faces      {@code mFaceObjectMetadata} (the contract's key is singular)
 * @param subObjects {@code mSubObjectMetadatas}: each an ObjectMetadata of its own (a plate's crop in
 *                   its {@code mFrame}, its text in its {@code mRecognizedObjectMetadatas})
 * @param fps        {@code mFps}
 * @param graphId    {@code mGraphId}
 * @param subId      {@code mSubId}
 */
public record ObjectMetadata(
        FrameMetadata frame,
        List<DetectedObjectMetadata> detected,
        List<TrackedObjectMetadata> tracked,
        List<RecognizedObjectMetadata> recognized,
        List<Pose> posed,
        List<FaceObjectMetadata> faces,
        List<ObjectMetadata> subObjects,
        double fps,
        int graphId,
        int subId) {
    public ObjectMetadata {
        detected = List.copyOf(detected);
        tracked = List.copyOf(tracked);
        recognized = List.copyOf(recognized);
        posed = List.copyOf(posed);
        faces = List.copyOf(faces);
        subObjects = List.copyOf(subObjects);
    }

    /** A frame with no results. */
    public static ObjectMetadata of(FrameMetadata frame) {
        return new ObjectMetadata(frame, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), 0, 0, 0);
    }

    public ObjectMetadata withPosed(List<Pose> poses) {
        return new ObjectMetadata(frame, detected, tracked, recognized, poses, faces, subObjects, fps, graphId, subId);
    }

    public ObjectMetadata withFaces(List<FaceObjectMetadata> f) {
        return new ObjectMetadata(frame, detected, tracked, recognized, posed, f, subObjects, fps, graphId, subId);
    }

    /**
     * The same metadata with every image (the frame's and the sub-objects' crops) in its own
     * array: for keeping beyond the life of the request buffer the reader sliced them from.
     */
    public ObjectMetadata withOwnImages() {
        List<ObjectMetadata> subs = new ArrayList<>(subObjects.size());
        for (ObjectMetadata s : subObjects) {
            subs.add(s.withOwnImages());
        }
        return new ObjectMetadata(
                frame == null ? null : frame.withOwnImage(),
                detected,
                tracked,
                recognized,
                posed,
                faces,
                subs,
                fps,
                graphId,
                subId);
    }

    /** The text of sub-object i ({@code mSubObjectMetadatas[i].mRecognizedObjectMetadatas[0].mLabelName}), or null. */
    public String subObjectText(int i) {
        if (i >= subObjects.size()) {
            return null;
        }
        List<RecognizedObjectMetadata> r = subObjects.get(i).recognized();
        return r.isEmpty() ? null : r.get(0).labelName();
    }
}
