package sophon.bridge.frame;

import java.util.List;

/**
 * One frame's ObjectMetadata as posted by http_push ({@code ../shared/spec/sophon-stream.md},
 * "Results"), reduced to what alert logic and alarms use. Immutable.
 *
 * @param image          the frame's base64 JPEG as received ({@code mFrame.mSpData}); empty when absent
 * @param objects        valid detections (boxes clamped to the frame; empty or outside ones left out)
 * @param poses          {@code mPosedObjectMetadatas}
 * @param rejectedBoxes  detections left out because their box was negative, empty or outside the frame
 * @param receivedNanos  {@link System#nanoTime()} when the post arrived, for alarm latency
 */
public record FrameResult(
        int channelId,
        long frameId,
        long timestamp,
        int width,
        int height,
        boolean endOfStream,
        Base64Image image,
        List<DetectedObject> objects,
        List<Pose> poses,
        int rejectedBoxes,
        long receivedNanos) {
    public FrameResult {
        objects = List.copyOf(objects);
        poses = List.copyOf(poses);
    }

    /** This frame with its image in its own array (see {@link Base64Image#copy()}). */
    public FrameResult withOwnImage() {
        return new FrameResult(
                channelId,
                frameId,
                timestamp,
                width,
                height,
                endOfStream,
                image.copy(),
                objects,
                poses,
                rejectedBoxes,
                receivedNanos);
    }

    public boolean hasDetections() {
        return !objects.isEmpty() || !poses.isEmpty();
    }
}
