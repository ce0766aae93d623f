package sophon.bridge.frame;

import java.util.ArrayList;
import java.util.List;

/**
 * One frame as alert logic and alarms see it: the post's whole {@link ObjectMetadata} plus its
 * detections joined with their tracks and plate texts. Immutable.
 *
 * @param metadata       the post as read; its {@code frame} is never null
 * @param objects        valid detections (boxes clamped to the frame; empty or outside ones left out)
 * @param rejectedBoxes  detections left out because their box was negative, empty or outside the frame
 * @param receivedNanos  {@link System#nanoTime()} when the post arrived, for alarm latency
 */
public record FrameResult(
        ObjectMetadata metadata, List<DetectedObject> objects, int rejectedBoxes, long receivedNanos) {
    public FrameResult {
        objects = List.copyOf(objects);
    }

    /**
     * The frame of a post: checks that it is one (an {@code mFrame} of positive size) and joins
     * each detection with its track ({@code mTrackedObjectMetadatas[i]}) and plate text
     * ({@code mSubObjectMetadatas[i]}).
     */
    public static FrameResult of(ObjectMetadata m, long receivedNanos) throws BadFrameException {
        FrameMetadata frame = m.frame();
        if (frame == null) {
            throw new BadFrameException("post lacks mFrame");
        }
        if (frame.width() <= 0 || frame.height() <= 0) {
            throw new BadFrameException("mFrame has no positive mWidth/mHeight");
        }
        List<DetectedObjectMetadata> detected = m.detected();
        List<DetectedObject> objects = new ArrayList<>(detected.size());
        int rejected = 0;
        for (int i = 0; i < detected.size(); i++) {
            DetectedObjectMetadata d = detected.get(i);
            Box box = d.box() == null || d.box().width() <= 0 || d.box().height() <= 0
                    ? null
                    : d.box().clampTo(frame.width(), frame.height());
            if (box == null) {
                rejected++;
                continue;
            }
            long track = i < m.tracked().size() ? m.tracked().get(i).trackId() : -1;
            objects.add(new DetectedObject(i, box, d.classify(), d.score(), d.labelName(), track, m.subObjectText(i)));
        }
        return new FrameResult(m, objects, rejected, receivedNanos);
    }

    /** This frame with its images in their own arrays (see {@link ObjectMetadata#withOwnImages()}). */
    public FrameResult withOwnImage() {
        return new FrameResult(metadata.withOwnImages(), objects, rejectedBoxes, receivedNanos);
    }

    public boolean hasDetections() {
        return !objects.isEmpty() || !poses().isEmpty() || !faces().isEmpty();
    }

    public int channelId() {
        return metadata.frame().channelId();
    }

    public long frameId() {
        return metadata.frame().frameId();
    }

    public long timestamp() {
        return metadata.frame().timestamp();
    }

    public int width() {
        return metadata.frame().width();
    }

    public int height() {
        return metadata.frame().height();
    }

    public boolean endOfStream() {
        return metadata.frame().endOfStream();
    }

    /** The frame's base64 JPEG as received ({@code mFrame.mSpData}); empty when absent. */
    public Base64Image image() {
        return metadata.frame().image();
    }

    /** {@code mPosedObjectMetadatas}. */
    public List<Pose> poses() {
        return metadata.posed();
    }

    /** {@code mFaceObjectMetadata}, as posted (boxes not clamped). */
    public List<FaceObjectMetadata> faces() {
        return metadata.faces();
    }
}
