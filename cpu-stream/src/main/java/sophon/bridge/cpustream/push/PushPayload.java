package sophon.bridge.cpustream.push;

import java.util.ArrayList;
import java.util.List;
import sophon.bridge.cpustream.frame.Detection;
import sophon.bridge.cpustream.frame.Frame;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObjectMetadata;
import sophon.bridge.frame.FrameMetadata;
import sophon.bridge.frame.ObjectMetadata;
import sophon.bridge.frame.TrackedObjectMetadata;

/**
 * What http_push posts for a frame: its results as the shared contract model, which
 * {@link sophon.bridge.frame.ObjectMetadataWriter} writes, so cpu-stream writes what business
 * logic's {@link sophon.bridge.frame.ObjectMetadataReader} reads.
 */
public final class PushPayload {
    private PushPayload() {}

    public static ObjectMetadata of(Frame f, Base64Image jpeg) {
        FrameMetadata frame = new FrameMetadata(
                f.channelId(), f.frameId(), f.timestampMicros(), f.width(), f.height(), f.endOfStream(), jpeg);
        List<DetectedObjectMetadata> detected = new ArrayList<>(f.detections().size());
        for (Detection d : f.detections()) {
            detected.add(new DetectedObjectMetadata(
                    new Box(d.x(), d.y(), d.width(), d.height()), d.classId(), List.of(d.decimalScore()), d.label()));
        }
        List<TrackedObjectMetadata> tracked = new ArrayList<>(f.trackIds().size());
        for (int id : f.trackIds()) {
            tracked.add(new TrackedObjectMetadata(id));
        }
        return new ObjectMetadata(
                frame, detected, tracked, List.of(), List.of(), f.faces(), List.of(), f.fps(), f.graphId(), 0);
    }
}
